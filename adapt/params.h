// Dumping query parameters (what PQsendQueryParams needs) and quoting SQL literals.
//
// A parameter list is either a compile-time pack (the fast path: each type's Codec is
// called directly) or a run-time list of Values or ParamRefs. Every parameter's bytes go
// into one buffer owned by the DumpedParams; the four arrays libpq wants point into it:
//
//   std::vector<pgcpp::ParamFormat> formats = ...;  // from the query's %s/%t/%b
//   pgcpp::DumpedParams p = pgcpp::dump_params(adapters, formats, 42, "Ann", std::nullopt);
//   PQsendQueryParams(conn, sql, p.size(), p.types(), p.values(), p.lengths(), p.formats(), 1);
//
// Reuse one DumpedParams (dump_params_into) to dump many rows without allocating once its
// buffers have grown. std::optional, std::nullopt, nullptr, a null const char* and a NULL
// Value are SQL NULL (oid 0, as psycopg). A type with neither a Codec nor a dumper
// registered in the map raises ProgrammingError("cannot adapt type 'T' using placeholder
// '%s' (format: AUTO)").
//
//   pgcpp::as_literal(std::string("it's"));   // "'it''s'"
//   pgcpp::as_literal(pgcpp::Date());         // "'2000-01-01'::date"
//   pgcpp::as_literal(std::vector<int>{1,2}); // "'{1,2}'::int4[]"
#ifndef PGCPP_ADAPT_PARAMS_H_
#define PGCPP_ADAPT_PARAMS_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <vector>

#include "pgcpp/adapt/adapters_map.h"
#include "pgcpp/adapt/codec.h"
#include "pgcpp/adapt/oid.h"
#include "pgcpp/adapt/value.h"

namespace pgcpp {

// The dumped parameters of one query: arrays in libpq's shapes, all pointing into one
// buffer. Copies and moves keep the pointers right.
class DumpedParams {
 public:
  DumpedParams() = default;
  DumpedParams(const DumpedParams& other) { *this = other; }
  DumpedParams& operator=(const DumpedParams& other);
  DumpedParams(DumpedParams&& other) noexcept { *this = std::move(other); }
  DumpedParams& operator=(DumpedParams&& other) noexcept;

  int size() const { return static_cast<int>(types_.size()); }
  const Oid* types() const { return types_.data(); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

  // One parameter's bytes (empty for NULL) and attributes, for tests and logging.
  bool is_null(int i) const { return values_[static_cast<size_t>(i)] == nullptr; }
  std::string_view value(int i) const {
    return is_null(i) ? std::string_view()
                      : std::string_view(values_[static_cast<size_t>(i)],
                                         static_cast<size_t>(lengths_[static_cast<size_t>(i)]));
  }
  Format format(int i) const { return static_cast<Format>(formats_[static_cast<size_t>(i)]); }

  // ---- building (used by dump_params)
  // Forgets the parameters, keeping the capacity.
  void clear();
  void reserve(size_t n);
  // The buffer to append the next parameter's bytes to.
  std::string& buffer() { return buffer_; }
  // Records a parameter whose bytes were appended since `start` (ignored when NULL).
  void add(const DumpInfo& info, size_t start);
  // Points values() into the buffer; call after the last add().
  void finish();

 private:
  std::string buffer_;
  std::vector<Oid> types_;
  std::vector<int64_t> offsets_;  // -1: NULL
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

// A non-owning reference to a parameter of any type, for run-time parameter lists of
// mixed C++ types: std::vector<pgcpp::ParamRef> params = {id, name, maybe_date};
// The referenced objects must outlive the dump.
class ParamRef {
 public:
  template <class T>
  requires(!std::is_same_v<std::remove_cvref_t<T>, ParamRef>)
      ParamRef(const T& v)  // NOLINT: implicit, like a reference
      : ptr_(&v), dump_(&dump_impl<T>) {}

  DumpInfo dump(ParamFormat format, const DumpContext& ctx, std::string& out) const {
    return dump_(ptr_, format, ctx, out);
  }

 private:
  template <class T>
  static DumpInfo dump_impl(const void* v, ParamFormat format, const DumpContext& ctx,
                            std::string& out);

  const void* ptr_;
  DumpInfo (*dump_)(const void*, ParamFormat, const DumpContext&, std::string&);
};

namespace adapt_internal {

[[noreturn]] void throw_param_count(size_t params, size_t formats);

template <class T>
DumpInfo dump_non_null(const T& v, ParamFormat pf, const DumpContext& ctx, std::string& out) {
  if (ctx.has_user_dumpers()) [[unlikely]] {
    if (const Dumper* d = ctx.find_dumper(typeid(T), pf)) {
      const bool not_null = d->dump_erased(&v, out);
      return {d->oid(), d->format(), !not_null};
    }
  }
  if constexpr (StaticDumpable<T>) {
    const Format f = resolve_format<T>(pf);
    Codec<T>::dump(v, f, out);
    return {Codec<T>::oid(f), f, false};
  } else if constexpr (kIsValueContainer<T>) {
    return dump_value(Value::from(v), pf, ctx, out);  // e.g. std::vector<Value>
  } else {
    throw_cannot_adapt(type_name<T>(), pf);
  }
}

}  // namespace adapt_internal

// Dumps one parameter into `out` and says how libpq must send it.
template <class T>
DumpInfo dump_param(const T& v, ParamFormat format, const DumpContext& ctx, std::string& out) {
  if constexpr (std::is_same_v<T, Value>) {
    return dump_value(v, format, ctx, out);
  } else if constexpr (std::is_same_v<T, ParamRef>) {
    return v.dump(format, ctx, out);
  } else if constexpr (std::is_same_v<T, std::nullopt_t> || std::is_same_v<T, std::nullptr_t>) {
    return {0, Format::kText, true};
  } else if constexpr (std::is_same_v<T, const char*>) {
    if (v == nullptr) return {0, Format::kText, true};
    return adapt_internal::dump_non_null(v, format, ctx, out);
  } else if constexpr (kIsNullable<T>) {
    if (NullableTraits<T>::is_null(v)) return {0, Format::kText, true};
    return dump_param(NullableTraits<T>::inner(v), format, ctx, out);
  } else {
    return adapt_internal::dump_non_null(v, format, ctx, out);
  }
}

template <class T>
DumpInfo ParamRef::dump_impl(const void* v, ParamFormat format, const DumpContext& ctx,
                             std::string& out) {
  return dump_param(*static_cast<const T*>(v), format, ctx, out);
}

// Dumps a parameter pack. `formats` has one entry per parameter, or is empty for all %s.
template <class... Ts>
void dump_params_into(DumpedParams& out, const AdaptersMap& adapters,
                      std::span<const ParamFormat> formats, const Ts&... params) {
  if (!formats.empty() && formats.size() != sizeof...(Ts)) {
    adapt_internal::throw_param_count(sizeof...(Ts), formats.size());
  }
  out.clear();
  out.reserve(sizeof...(Ts));
  size_t i = 0;
  auto one = [&](const auto& p) {
    const ParamFormat f = formats.empty() ? ParamFormat::kAuto : formats[i++];
    const size_t start = out.buffer().size();
    out.add(dump_param(p, f, adapters, out.buffer()), start);
  };
  (one(params), ...);
  out.finish();
}

template <class... Ts>
DumpedParams dump_params(const AdaptersMap& adapters, std::span<const ParamFormat> formats,
                         const Ts&... params) {
  DumpedParams out;
  dump_params_into(out, adapters, formats, params...);
  return out;
}

// Run-time lists.
void dump_params_into(DumpedParams& out, const AdaptersMap& adapters,
                      std::span<const ParamFormat> formats, std::span<const Value> params);
void dump_params_into(DumpedParams& out, const AdaptersMap& adapters,
                      std::span<const ParamFormat> formats, std::span<const ParamRef> params);
DumpedParams dump_params(const AdaptersMap& adapters, std::span<const ParamFormat> formats,
                         std::span<const Value> params);
DumpedParams dump_params(const AdaptersMap& adapters, std::span<const ParamFormat> formats,
                         std::span<const ParamRef> params);

// ---- SQL literals -------------------------------------------------------------------------

namespace adapt_internal {
// Appends "::typename" after a quoted literal of a known, non-text oid (psycopg's rule:
// the short name for builtins, the regtype for others, "[]" for arrays).
void append_cast(Oid oid, const TypesRegistry& types, std::string& out);

template <class T>
Oid quote_param(const T& v, const DumpContext& ctx, std::string& out) {
  if constexpr (std::is_same_v<T, Value>) {
    return quote_value(v, ctx, out);
  } else if constexpr (std::is_same_v<T, std::nullopt_t> || std::is_same_v<T, std::nullptr_t>) {
    out.append("NULL");
    return 0;
  } else if constexpr (kIsNullable<T> && !std::is_same_v<T, const char*>) {
    if (NullableTraits<T>::is_null(v)) {
      out.append("NULL");
      return 0;
    }
    return quote_param(NullableTraits<T>::inner(v), ctx, out);
  } else {
    if constexpr (std::is_same_v<T, const char*>) {
      if (v == nullptr) {
        out.append("NULL");
        return 0;
      }
    }
    if (ctx.has_user_dumpers()) {
      if (const Dumper* d = ctx.find_dumper(typeid(T), ParamFormat::kText)) {
        d->quote_erased(&v, out);
        return d->oid();
      }
    }
    if constexpr (StaticDumpable<T>) {
      quote_value(v, out);
      return Codec<T>::oid(Format::kText);
    } else if constexpr (kIsValueContainer<T>) {
      return quote_value(Value::from(v), ctx, out);
    } else {
      throw_cannot_adapt(type_name<T>(), ParamFormat::kText);
    }
  }
}
}  // namespace adapt_internal

// psycopg's Transformer.as_literal: `value` as an SQL literal, with a ::type cast when the
// literal is quoted and its type is known and not text. NULL is "NULL".
template <class T>
std::string as_literal(const T& value, const AdaptersMap& adapters = AdaptersMap::global()) {
  std::string out;
  const Oid oid = adapt_internal::quote_param(value, adapters, out);
  adapt_internal::append_cast(oid, adapters.types(), out);
  return out;
}

}  // namespace pgcpp

#endif  // PGCPP_ADAPT_PARAMS_H_
