#include "pgcpp/adapt/value.h"

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"

namespace pgcpp {
namespace {

class BuiltinDumpContext final : public DumpContext {
 public:
  bool has_user_dumpers() const override { return false; }
  const Dumper* find_dumper(std::type_index, ParamFormat) const override { return nullptr; }
  const TypesRegistry& types() const override { return types_; }

 private:
  TypesRegistry types_;
};

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

ParamFormat element_format(Format f) {
  return f == Format::kText ? ParamFormat::kText : ParamFormat::kBinary;
}

// Containers of Values default to text (as psycopg's lists): their elements' types may
// only be known once dumped.
Format container_format(ParamFormat pf) {
  return pf == ParamFormat::kBinary ? Format::kBinary : Format::kText;
}

DumpInfo dump_with(const Dumper& d, const void* obj, std::string& out) {
  const bool not_null = d.dump_erased(obj, out);
  return {d.oid(), d.format(), !not_null};
}

template <class A>
DumpInfo dump_alternative(const A& a, ParamFormat pf, const DumpContext& ctx, std::string& out) {
  if (ctx.has_user_dumpers()) {
    if (const Dumper* d = ctx.find_dumper(typeid(A), pf)) return dump_with(*d, &a, out);
  }
  const Format f = resolve_format<A>(pf);
  Codec<A>::dump(a, f, out);
  return {Codec<A>::oid(f), f, false};
}

// The array type of `elem`, from the registry (0 if it has none).
Oid array_oid_of(Oid elem, const DumpContext& ctx) {
  if (elem == 0) return 0;
  if (Oid builtin = builtin_array_oid(elem); builtin != 0) return builtin;
  const TypeInfo* info = ctx.types().get(elem);
  return info != nullptr && info->oid == elem ? info->array_oid : 0;
}

// Flattens arrays whose elements are arrays (psycopg's nested lists) into one array with
// more dimensions. DataError if the sub-arrays do not all have the same shape.
void flatten_nested(const Array<Value>& a, Array<Value>& out, bool& nested) {
  nested = false;
  const Array<Value>* first_sub = nullptr;
  for (const Value& e : a.elements) {
    if (const auto* sub = std::get_if<Array<Value>>(&e.storage())) {
      first_sub = sub;
      break;
    }
  }
  if (first_sub == nullptr) return;
  nested = true;
  Array<Value> first_flat;
  bool sub_nested;
  flatten_nested(*first_sub, first_flat, sub_nested);
  const std::vector<ArrayDim> sub_dims = sub_nested ? first_flat.dims : first_sub->dims;
  if (sub_dims.empty()) adapt_internal::throw_ragged_array();
  out.dims.clear();
  out.dims.push_back({static_cast<int32_t>(a.elements.size()), 1});
  out.dims.insert(out.dims.end(), sub_dims.begin(), sub_dims.end());
  out.elements.clear();
  for (const Value& e : a.elements) {
    const auto* sub = std::get_if<Array<Value>>(&e.storage());
    if (sub == nullptr) adapt_internal::throw_ragged_array();
    Array<Value> flat;
    bool n;
    flatten_nested(*sub, flat, n);
    const Array<Value>& src = n ? flat : *sub;
    if (src.dims != sub_dims) adapt_internal::throw_ragged_array();
    out.elements.insert(out.elements.end(), src.elements.begin(), src.elements.end());
  }
}

DumpInfo dump_array_value(const Array<Value>& input, ParamFormat pf, const DumpContext& ctx,
                          std::string& out) {
  Array<Value> flattened;
  bool nested;
  flatten_nested(input, flattened, nested);
  const Array<Value>& a = nested ? flattened : input;

  adapt_internal::ArrayShape shape;
  if (a.dims.size() > static_cast<size_t>(adapt_internal::kMaxArrayDims)) {
    adapt_internal::throw_array_depth(static_cast<int>(a.dims.size()),
                                      adapt_internal::kMaxArrayDims, "an array");
  }
  shape.ndim = static_cast<int>(a.dims.size());
  for (int d = 0; d < shape.ndim; ++d) shape.dims[d] = a.dims[d];
  if (shape.size() != static_cast<int64_t>(a.elements.size())) adapt_internal::throw_ragged_array();

  // Dump every element first: the element oid (and, in text, the delimiter) depends on it.
  const Format f = container_format(pf);
  std::string scratch;
  struct Piece {
    size_t offset, size;
    bool is_null;
  };
  std::vector<Piece> pieces;
  pieces.reserve(a.elements.size());
  Oid elem_oid = 0;
  bool seen = false;
  for (const Value& e : a.elements) {
    const size_t start = scratch.size();
    const DumpInfo info = dump_value(e, element_format(f), ctx, scratch);
    pieces.push_back({start, scratch.size() - start, info.is_null});
    if (info.is_null) continue;
    if (!seen) {
      elem_oid = info.oid;
      seen = true;
    } else if (info.oid != elem_oid) {
      throw DataError("cannot dump lists of mixed types");
    }
  }
  if (f == Format::kBinary) {
    if (elem_oid == 0) elem_oid = oids::kText;
    const size_t header = out.size();
    adapt_internal::append_binary_array_header(shape, elem_oid, out);
    bool has_nulls = false;
    for (const Piece& p : pieces) {
      if (p.is_null) {
        has_nulls = true;
        adapt_internal::append_be<int32_t>(out, -1);
      } else {
        adapt_internal::append_be<int32_t>(out, static_cast<int32_t>(p.size));
        out.append(scratch, p.offset, p.size);
      }
    }
    if (has_nulls) adapt_internal::set_binary_array_has_nulls(out, header);
    return {array_oid_of(elem_oid, ctx), f, false};
  }
  adapt_internal::TextArrayWriter writer(shape, ctx.types().delimiter(elem_oid), out);
  for (const Piece& p : pieces) {
    writer.next();
    if (p.is_null) {
      out.append("NULL");
    } else {
      adapt_internal::append_text_element(
          out, writer.delimiter(), [&](std::string& o) { o.append(scratch, p.offset, p.size); });
    }
  }
  writer.finish();
  return {array_oid_of(elem_oid, ctx), f, false};
}

Oid range_oid_of(Oid subtype, const DumpContext& ctx) {
  if (subtype == 0) return 0;
  if (Oid builtin = adapt_internal::builtin_range_oid(subtype); builtin != 0) return builtin;
  const TypeInfo* info = ctx.types().get_by_subtype(TypeKind::kRange, subtype);
  return info != nullptr ? info->oid : 0;
}

Oid multirange_oid_of(Oid range, const DumpContext& ctx) {
  if (range == 0) return 0;
  if (Oid builtin = adapt_internal::builtin_multirange_oid(range); builtin != 0) return builtin;
  const TypeInfo* info = ctx.types().get_by_subtype(TypeKind::kMultirange, range);
  return info != nullptr ? info->oid : 0;
}

// Dumps a range of Values; `subtype` receives the bounds' oid (0 if there is no bound).
void dump_range_value(const Range<Value>& r, Format f, const DumpContext& ctx, std::string& out,
                      Oid& subtype) {
  adapt_internal::dump_range(r, f, out, [&](const Value& bound, std::string& o) {
    const DumpInfo info = dump_value(bound, element_format(f), ctx, o);
    if (info.is_null)
      throw DataError("a range bound cannot be NULL; use std::nullopt for unbounded");
    if (subtype != 0 && info.oid != subtype) throw DataError("range bounds of different types");
    subtype = info.oid;
  });
}

DumpInfo dump_record_value(const Record& r, ParamFormat pf, const DumpContext& ctx,
                           std::string& out) {
  const Format f = container_format(pf);
  adapt_internal::RecordWriter w(out, f, r.fields.size());
  for (const Value& field : r.fields) {
    if (field.is_null()) {
      w.null_field(0);
      continue;
    }
    std::string bytes;
    const DumpInfo info = dump_value(field, element_format(f), ctx, bytes);
    if (info.is_null) {
      w.null_field(info.oid);
    } else {
      w.field(info.oid, [&](std::string& o) { o.append(bytes); });
    }
  }
  w.finish();
  // Anonymous records cannot be parameters: let the server infer the type.
  return {r.type_oid == oids::kRecord ? Oid{0} : r.type_oid, f, false};
}

DumpInfo dump_any(const AnyValue& a, ParamFormat pf, const DumpContext& ctx, std::string& out) {
  if (ctx.has_user_dumpers()) {
    if (const Dumper* d = ctx.find_dumper(a.type(), pf)) return dump_with(*d, a.data(), out);
  }
  const TypeOps& ops = a.ops();
  if (ops.dump == nullptr) adapt_internal::throw_cannot_adapt(ops.name(), pf);
  const Format f = pf == ParamFormat::kAuto   ? ops.auto_format
                   : pf == ParamFormat::kText ? Format::kText
                                              : Format::kBinary;
  ops.dump(a.data(), f, out);
  return {ops.oid(f), f, false};
}

}  // namespace

const DumpContext& DumpContext::builtins() {
  static const BuiltinDumpContext* ctx = new BuiltinDumpContext();
  return *ctx;
}

DumpInfo dump_value(const Value& v, ParamFormat pf, const DumpContext& ctx, std::string& out) {
  return std::visit(
      Overloaded{
          [](const std::monostate&) {
            return DumpInfo{0, Format::kText, true};
          },
          [&](const Array<Value>& a) { return dump_array_value(a, pf, ctx, out); },
          [&](const Box<Range<Value>>& r) {
            const Format f = container_format(pf);
            Oid subtype = 0;
            dump_range_value(*r, f, ctx, out, subtype);
            return DumpInfo{range_oid_of(subtype, ctx), f, false};
          },
          [&](const Multirange<Value>& m) {
            const Format f = container_format(pf);
            Oid subtype = 0;
            adapt_internal::dump_multirange(m, f, out, [&](const Range<Value>& r, std::string& o) {
              dump_range_value(r, f, ctx, o, subtype);
            });
            return DumpInfo{multirange_oid_of(range_oid_of(subtype, ctx), ctx), f, false};
          },
          [&](const Record& r) { return dump_record_value(r, pf, ctx, out); },
          [&](const AnyValue& a) { return dump_any(a, pf, ctx, out); },
          [&](const auto& a) { return dump_alternative(a, pf, ctx, out); },
      },
      v.storage());
}

Oid quote_value(const Value& v, const DumpContext& ctx, std::string& out) {
  auto quote_text_form = [&] {
    std::string text;
    const DumpInfo info = dump_value(v, ParamFormat::kText, ctx, text);
    adapt_internal::append_quoted_literal(text, out);
    return info.oid;
  };
  return std::visit(Overloaded{
                        [&](const std::monostate&) {
                          out.append("NULL");
                          return Oid{0};
                        },
                        [&](const Array<Value>&) { return quote_text_form(); },
                        [&](const Box<Range<Value>>&) { return quote_text_form(); },
                        [&](const Multirange<Value>&) { return quote_text_form(); },
                        [&](const Record&) { return quote_text_form(); },
                        [&](const AnyValue& a) {
                          if (ctx.has_user_dumpers()) {
                            if (const Dumper* d = ctx.find_dumper(a.type(), ParamFormat::kText)) {
                              d->quote_erased(a.data(), out);
                              return d->oid();
                            }
                          }
                          if (a.ops().quote == nullptr)
                            adapt_internal::throw_cannot_adapt(a.ops().name(), ParamFormat::kText);
                          a.ops().quote(a.data(), out);
                          return a.ops().oid(Format::kText);
                        },
                        [&](const auto& a) {
                          using A = std::decay_t<decltype(a)>;
                          if (ctx.has_user_dumpers()) {
                            if (const Dumper* d = ctx.find_dumper(typeid(A), ParamFormat::kText)) {
                              d->quote_erased(&a, out);
                              return d->oid();
                            }
                          }
                          pgcpp::quote_value(a, out);
                          return Codec<A>::oid(Format::kText);
                        },
                    },
                    v.storage());
}

std::string Value::type_name() const {
  return std::visit(
      Overloaded{
          [](const std::monostate&) { return std::string("NULL"); },
          [](const Box<Range<Value>>&) { return std::string("pgcpp::Range<pgcpp::Value>"); },
          [](const Array<Value>&) { return std::string("pgcpp::Array<pgcpp::Value>"); },
          [](const Multirange<Value>&) { return std::string("pgcpp::Multirange<pgcpp::Value>"); },
          [](const Record&) { return std::string("pgcpp::Record"); },
          [](const AnyValue& a) { return a.ops().name(); },
          [](const auto& a) { return adapt_internal::type_name<std::decay_t<decltype(a)>>(); },
      },
      v_);
}

std::string Value::to_string() const {
  if (is_null()) return "NULL";
  Oid oid;
  return adapt_internal::value_text(*this, oid);
}

void Value::throw_wrong_type(std::string_view wanted) const {
  throw ProgrammingError(
      absl::StrCat("the Value holds ", type_name(), ", not ", std::string(wanted)));
}

namespace adapt_internal {

std::string value_text(const Value& v, Oid& oid) {
  std::string out;
  oid = dump_value(v, ParamFormat::kText, DumpContext::builtins(), out).oid;
  return out;
}

void throw_cannot_adapt(std::string_view type, ParamFormat format) {
  throw ProgrammingError(absl::StrCat("cannot adapt type '", std::string(type),
                                      "' using placeholder '%",
                                      std::string(1, placeholder_char(format)),
                                      "' (format: ", std::string(format_name(format)), ")"));
}

void throw_value_null(std::string_view target) {
  throw DataError(
      absl::StrCat("cannot convert NULL to ", std::string(target), "; use std::optional"));
}

void throw_value_convert(std::string_view held, std::string_view target) {
  throw ProgrammingError(absl::StrCat("cannot convert a Value holding ", std::string(held), " to ",
                                      std::string(target)));
}

}  // namespace adapt_internal
}  // namespace pgcpp
