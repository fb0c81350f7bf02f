#include "pgcpp/adapt/adapters_map.h"

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "pgcpp/adapt/array.h"
#include "pgcpp/adapt/composite.h"
#include "pgcpp/adapt/range.h"

namespace pgcpp {
namespace {

struct TypeKey {
  std::type_index type;
  int format;
  friend bool operator==(const TypeKey&, const TypeKey&) = default;
  template <class H>
  friend H AbslHashValue(H h, const TypeKey& k) {
    return H::combine(std::move(h), k.type.hash_code(), k.format);
  }
};

struct OidKey {
  Oid oid;
  int format;
  friend bool operator==(const OidKey&, const OidKey&) = default;
  template <class H>
  friend H AbslHashValue(H h, const OidKey& k) {
    return H::combine(std::move(h), k.oid, k.format);
  }
};

int key(ParamFormat f) { return static_cast<int>(f); }
int key(Format f) { return static_cast<int>(f); }

ParamFormat param_format(Format f) {
  return f == Format::kText ? ParamFormat::kText : ParamFormat::kBinary;
}

// Calls fn.template operator()<T>(oid) for each builtin scalar type and the C++ type its
// values in format `f` load into as a Value.
template <class Fn>
void for_each_builtin_scalar(Format f, Fn&& fn) {
  fn.template operator()<bool>(oids::kBool);
  fn.template operator()<int16_t>(oids::kInt2);
  fn.template operator()<int32_t>(oids::kInt4);
  fn.template operator()<int64_t>(oids::kInt8);
  for (Oid oid : {oids::kOid, oids::kXid, oids::kCid}) fn.template operator()<int64_t>(oid);
  // The reg* types print names ('pg_class'), and send the oid in binary: a string in
  // text, as psycopg loads them, and the oid number in binary. (Core's prepared
  // statements do not switch them to binary, so a prepared query keeps the names.)
  for (Oid oid : {oids::kRegproc, Oid{2202}, Oid{2203}, Oid{2204}, oids::kRegclass, oids::kRegtype,
                  Oid{3734}, Oid{3769}, Oid{4089}, Oid{4096}, Oid{4191}}) {
    if (f == Format::kText) {
      fn.template operator()<std::string>(oid);
    } else {
      fn.template operator()<int64_t>(oid);
    }
  }
  fn.template operator()<float>(oids::kFloat4);
  fn.template operator()<double>(oids::kFloat8);
  fn.template operator()<Numeric>(oids::kNumeric);
  for (Oid oid : {oids::kText, oids::kVarchar, oids::kBpchar, oids::kName, oids::kChar,
                  oids::kUnknown, oids::kXml, Oid{1790}}) {
    fn.template operator()<std::string>(oid);
  }
  fn.template operator()<Bytes>(oids::kBytea);
  fn.template operator()<Date>(oids::kDate);
  fn.template operator()<Time>(oids::kTime);
  fn.template operator()<TimeTz>(oids::kTimetz);
  fn.template operator()<Timestamp>(oids::kTimestamp);
  fn.template operator()<TimestampTz>(oids::kTimestamptz);
  fn.template operator()<Interval>(oids::kInterval);
  fn.template operator()<Uuid>(oids::kUuid);
  fn.template operator()<Json>(oids::kJson);
  fn.template operator()<Jsonb>(oids::kJsonb);
  fn.template operator()<Inet>(oids::kInet);
  fn.template operator()<Cidr>(oids::kCidr);
}

// ---- Value loaders for containers ------------------------------------------------------

std::string array_name() { return "pgcpp::Array<pgcpp::Value>"; }
std::string record_name() { return "pgcpp::Record"; }

class ArrayValueLoader final : public Loader {
 public:
  ArrayValueLoader(Format format, std::shared_ptr<const Loader> element, char delimiter)
      : Loader(format), element_(std::move(element)), delimiter_(delimiter) {}

  Value load(std::string_view data) const override {
    Array<Value> out;
    adapt_internal::ArrayShape shape;
    auto on_element = [&](std::string_view e, bool is_null) {
      out.elements.push_back(is_null ? Value() : element_->load(e));
    };
    if (format() == Format::kBinary) {
      adapt_internal::parse_array(
          data, Format::kBinary, 0, &array_name, shape,
          [&](std::string_view e, bool is_null, Oid) { on_element(e, is_null); });
    } else {
      adapt_internal::TextArrayParser(data, delimiter_).parse(shape, on_element);
    }
    out.dims.assign(shape.dims, shape.dims + shape.ndim);
    return Value(std::move(out));
  }

 private:
  std::shared_ptr<const Loader> element_;
  char delimiter_;
};

class RangeValueLoader final : public Loader {
 public:
  RangeValueLoader(Format format, std::shared_ptr<const Loader> subtype)
      : Loader(format), subtype_(std::move(subtype)) {}

  Range<Value> load_range(std::string_view data) const {
    return adapt_internal::load_range<Value>(data, format(),
                                             [&](std::string_view b) { return subtype_->load(b); });
  }
  Value load(std::string_view data) const override { return Value(load_range(data)); }

 private:
  std::shared_ptr<const Loader> subtype_;
};

class MultirangeValueLoader final : public Loader {
 public:
  MultirangeValueLoader(Format format, std::shared_ptr<const RangeValueLoader> range)
      : Loader(format), range_(std::move(range)) {}

  Value load(std::string_view data) const override {
    return Value(adapt_internal::load_multirange<Value>(
        data, format(), [&](std::string_view r) { return range_->load_range(r); }));
  }

 private:
  std::shared_ptr<const RangeValueLoader> range_;
};

// Anonymous records: text fields are strings (no types are sent), binary fields are
// loaded by the oids the data carries.
class RecordValueLoader final : public Loader {
 public:
  RecordValueLoader(Format format, AdaptersMap map) : Loader(format), map_(std::move(map)) {}

  Value load(std::string_view data) const override {
    Record r{oids::kRecord, {}};
    adapt_internal::parse_record(data, format(), [&](std::string_view v, bool is_null, Oid oid) {
      if (is_null) {
        r.fields.emplace_back();
      } else if (format() == Format::kText) {
        r.fields.emplace_back(std::string(v));
      } else {
        r.fields.push_back(map_.get_loader(oid, Format::kBinary)->load(v));
      }
    });
    return Value(std::move(r));
  }

 private:
  AdaptersMap map_;
};

// Registered composite types: fields loaded by the types the registry lists.
class CompositeValueLoader final : public Loader {
 public:
  CompositeValueLoader(Format format, Oid oid, std::vector<std::shared_ptr<const Loader>> fields)
      : Loader(format), oid_(oid), fields_(std::move(fields)) {}

  Value load(std::string_view data) const override {
    Record r{oid_, {}};
    r.fields.reserve(fields_.size());
    adapt_internal::load_record_fields(
        data, format(), fields_.size(), &record_name,
        [&](size_t index, std::string_view v, bool is_null, Oid) {
          r.fields.push_back(is_null ? Value() : fields_[index]->load(v));
        });
    return Value(std::move(r));
  }

 private:
  Oid oid_;
  std::vector<std::shared_ptr<const Loader>> fields_;
};

// Converts a Value to T, then dumps it with Codec<T> (get_dumper_by_oid).
template <class T>
class ValueAsDumper final : public TypedDumper<Value> {
 public:
  ValueAsDumper(Oid oid, Format format) : TypedDumper<Value>(oid, format) {}
  bool dump_value(const Value& v, std::string& out) const override {
    if (v.is_null()) return false;
    Codec<T>::dump(v.as<T>(), format(), out);
    return true;
  }
};

// Dumps a Value as it is, reporting a fixed oid (get_dumper_by_oid for containers).
class FixedOidValueDumper final : public TypedDumper<Value> {
 public:
  FixedOidValueDumper(Oid oid, Format format) : TypedDumper<Value>(oid, format) {}
  bool dump_value(const Value& v, std::string& out) const override {
    return !pgcpp::dump_value(v, param_format(format()), DumpContext::builtins(), out).is_null;
  }
};

// The value for `k` in `table`, or null.
template <class Table, class Key>
auto find_shared(const Table& table, const Key& k) -> typename Table::mapped_type {
  auto it = table.find(k);
  return it == table.end() ? nullptr : it->second;
}

struct Builtins {
  absl::flat_hash_map<OidKey, std::shared_ptr<const Loader>> loaders;
  absl::flat_hash_map<OidKey, std::shared_ptr<const Dumper>> oid_dumpers;
  absl::flat_hash_map<TypeKey, std::shared_ptr<const Dumper>> dumpers;
  std::shared_ptr<const Loader> text_fallback, binary_fallback, string_text, string_binary;

  Builtins() {
    for (Format f : {Format::kText, Format::kBinary}) {
      for_each_builtin_scalar(f, [&]<class T>(Oid oid) {
        loaders[{oid, key(f)}] = std::make_shared<CodecLoader<T>>(oid, f);
        oid_dumpers[{oid, key(f)}] = std::make_shared<ValueAsDumper<T>>(oid, f);
        // A copy, not a reference into the table: the next insertion may rehash it.
        std::shared_ptr<const Dumper> d = dumpers[{typeid(T), key(param_format(f))}];
        if (!d) {
          d = std::make_shared<CodecDumper<T>>(f);
          dumpers[{typeid(T), key(param_format(f))}] = d;
        }
        if (Codec<T>::kAutoFormat == f) dumpers[{typeid(T), key(ParamFormat::kAuto)}] = d;
      });
      // Arrays of builtin scalars.
      for (Oid elem = 1; elem < oids::kFirstNormalObjectId; ++elem) {
        const Oid array = builtin_array_oid(elem);
        if (array == 0) continue;
        auto it = loaders.find(OidKey{elem, key(f)});
        auto element = it != loaders.end() ? it->second : fallback(f);
        loaders[{array, key(f)}] =
            std::make_shared<ArrayValueLoader>(f, element, adapt_internal::builtin_delimiter(elem));
        oid_dumpers.try_emplace(OidKey{array, key(f)},
                                std::make_shared<FixedOidValueDumper>(array, f));
      }
      // Ranges and multiranges.
      for (const adapt_internal::BuiltinRange& r : adapt_internal::kBuiltinRanges) {
        const Oid range = r.range;
        const Oid multi = r.multirange;
        auto range_loader = std::make_shared<RangeValueLoader>(f, loaders.at({r.subtype, key(f)}));
        loaders[{range, key(f)}] = range_loader;
        loaders[{multi, key(f)}] = std::make_shared<MultirangeValueLoader>(f, range_loader);
        oid_dumpers[{range, key(f)}] = std::make_shared<FixedOidValueDumper>(range, f);
        oid_dumpers[{multi, key(f)}] = std::make_shared<FixedOidValueDumper>(multi, f);
      }
    }
    // Hstore has no builtin oid; it is dumpable by type.
    auto hstore_text = std::make_shared<CodecDumper<Hstore>>(Format::kText);
    dumpers[{typeid(Hstore), key(ParamFormat::kText)}] = hstore_text;
    dumpers[{typeid(Hstore), key(ParamFormat::kAuto)}] = hstore_text;
    dumpers[{typeid(Hstore), key(ParamFormat::kBinary)}] =
        std::make_shared<CodecDumper<Hstore>>(Format::kBinary);
  }

  std::shared_ptr<const Loader> fallback(Format f) {
    if (!text_fallback) {
      text_fallback = std::make_shared<CodecLoader<std::string>>(0, Format::kText);
      binary_fallback = std::make_shared<CodecLoader<Bytes>>(0, Format::kBinary);
    }
    return f == Format::kText ? text_fallback : binary_fallback;
  }

  static Builtins& get() {
    static Builtins* b = new Builtins();
    return *b;
  }
};

}  // namespace

struct AdaptersMap::Tables {
  absl::flat_hash_map<TypeKey, std::shared_ptr<const Dumper>> dumpers;
  absl::flat_hash_map<OidKey, std::shared_ptr<const Dumper>> oid_dumpers;
  absl::flat_hash_map<OidKey, std::shared_ptr<const Loader>> loaders;
};

AdaptersMap::AdaptersMap() = default;
AdaptersMap::~AdaptersMap() = default;

AdaptersMap& AdaptersMap::global() {
  static AdaptersMap* map = new AdaptersMap();
  return *map;
}

AdaptersMap::Tables& AdaptersMap::mutable_tables() {
  if (!tables_) {
    tables_ = std::make_shared<Tables>();
  } else if (tables_.use_count() > 1) {
    tables_ = std::make_shared<Tables>(*tables_);  // copy on write
  }
  // Created non-const above; const only to share safely.
  return const_cast<Tables&>(*tables_);
}

void AdaptersMap::register_dumper(std::type_index type, std::shared_ptr<const Dumper> dumper) {
  if (!dumper) throw ProgrammingError("register_dumper: null dumper");
  if (dumper->type() != type) {
    throw ProgrammingError(
        absl::StrCat("register_dumper: a dumper of ", adapt_internal::demangle(dumper->type()),
                     " cannot be registered for ", adapt_internal::demangle(type)));
  }
  Tables& t = mutable_tables();
  t.dumpers[{type, key(param_format(dumper->format()))}] = dumper;
  t.dumpers[{type, key(ParamFormat::kAuto)}] = dumper;
  if (dumper->oid() != 0) t.oid_dumpers[{dumper->oid(), key(dumper->format())}] = dumper;
}

const Dumper* AdaptersMap::find_user_dumper(std::type_index type, ParamFormat format) const {
  if (!tables_) return nullptr;
  auto it = tables_->dumpers.find(TypeKey{type, key(format)});
  return it == tables_->dumpers.end() ? nullptr : it->second.get();
}

bool AdaptersMap::has_user_dumpers() const { return tables_ && !tables_->dumpers.empty(); }

const Dumper* AdaptersMap::find_dumper(std::type_index type, ParamFormat format) const {
  return find_user_dumper(type, format);
}

std::shared_ptr<const Dumper> AdaptersMap::get_dumper(std::type_index type,
                                                      ParamFormat format) const {
  const TypeKey k{type, key(format)};
  if (tables_) {
    if (auto d = find_shared(tables_->dumpers, k)) return d;
  }
  if (auto d = find_shared(Builtins::get().dumpers, k)) return d;
  adapt_internal::throw_cannot_adapt(adapt_internal::demangle(type), format);
}

std::shared_ptr<const Dumper> AdaptersMap::get_dumper_by_oid(Oid oid, Format format) const {
  const OidKey k{oid, key(format)};
  if (tables_) {
    if (auto d = find_shared(tables_->oid_dumpers, k)) return d;
  }
  if (auto d = find_shared(Builtins::get().oid_dumpers, k)) return d;
  if (types_.get(oid) != nullptr) return std::make_shared<FixedOidValueDumper>(oid, format);
  throw ProgrammingError(absl::StrCat("no dumper for ", adapt_internal::describe_oid(oid), " in ",
                                      std::string(format_name(format)), " format"));
}

void AdaptersMap::register_loader(Oid oid, std::shared_ptr<const Loader> loader) {
  if (!loader) throw ProgrammingError("register_loader: null loader");
  mutable_tables().loaders[{oid, key(loader->format())}] = std::move(loader);
}

void AdaptersMap::register_loader(std::string_view type_name,
                                  std::shared_ptr<const Loader> loader) {
  const Oid oid = types_.get_oid(type_name);
  if (oid == 0) {
    throw ProgrammingError(
        absl::StrCat("register_loader: unknown type '", std::string(type_name), "'"));
  }
  register_loader(oid, std::move(loader));
}

const Loader* AdaptersMap::find_user_loader(Oid oid, Format format) const {
  if (!tables_) return nullptr;
  auto it = tables_->loaders.find(OidKey{oid, key(format)});
  return it == tables_->loaders.end() ? nullptr : it->second.get();
}

bool AdaptersMap::has_user_loader(Oid oid, Format format) const {
  if (!tables_ || tables_->loaders.empty()) return false;
  if (find_user_loader(oid, format) != nullptr) return true;
  const Oid elem = types_.element_oid(oid);
  return elem != 0 && find_user_loader(elem, format) != nullptr;
}

std::shared_ptr<const Loader> AdaptersMap::get_loader(Oid oid, Format format) const {
  if (tables_) {
    auto it = tables_->loaders.find(OidKey{oid, key(format)});
    if (it != tables_->loaders.end()) return it->second;
  }
  Builtins& b = Builtins::get();
  const TypeInfo* info = types_.get(oid);
  const bool overridden = tables_ && !tables_->loaders.empty();
  if (info != nullptr && info->array_oid == oid && info->oid != oid) {
    if (!overridden || find_user_loader(info->oid, format) == nullptr) {
      auto it = b.loaders.find(OidKey{oid, key(format)});
      if (it != b.loaders.end()) return it->second;
    }
    return std::make_shared<ArrayValueLoader>(format, get_loader(info->oid, format),
                                              info->delimiter);
  }
  if (!overridden) {
    auto it = b.loaders.find(OidKey{oid, key(format)});
    if (it != b.loaders.end()) return it->second;
  }
  if (info != nullptr && info->oid == oid) {
    switch (info->kind) {
      case TypeKind::kRange:
        return std::make_shared<RangeValueLoader>(format, get_loader(info->subtype_oid, format));
      case TypeKind::kMultirange: {
        const TypeInfo* range = types_.get(info->subtype_oid);
        auto sub = range != nullptr ? get_loader(range->subtype_oid, format) : b.fallback(format);
        return std::make_shared<MultirangeValueLoader>(
            format, std::make_shared<RangeValueLoader>(format, std::move(sub)));
      }
      case TypeKind::kComposite: {
        std::vector<std::shared_ptr<const Loader>> fields;
        for (Oid field : info->field_types) fields.push_back(get_loader(field, format));
        return std::make_shared<CompositeValueLoader>(format, oid, std::move(fields));
      }
      case TypeKind::kEnum:
        return std::make_shared<CodecLoader<std::string>>(0, format);
      case TypeKind::kPseudo:
        if (oid == oids::kRecord) return std::make_shared<RecordValueLoader>(format, *this);
        break;
      case TypeKind::kBase:
        break;
    }
  }
  auto it = b.loaders.find(OidKey{oid, key(format)});
  if (it != b.loaders.end()) return it->second;
  return b.fallback(format);
}

}  // namespace pgcpp
