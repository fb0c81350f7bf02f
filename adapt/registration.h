// Registering types that only exist in a database: enums, composites, hstore, custom
// ranges. //core fetches the TypeInfo from the catalog (psycopg's TypeInfo.fetch and
// friends); these functions record it in an AdaptersMap and register the adapters.
//
//   pgcpp::TypeInfo mood = ...;   // {name "mood", oid, array oid, kind kEnum, labels}
//   enum class Mood { kSad, kOk, kHappy };
//   pgcpp::register_enum<Mood>(adapters, mood,
//                              {{Mood::kSad, "sad"}, {Mood::kOk, "ok"}, {Mood::kHappy, "happy"}});
//   Mood m = row.get<Mood>(0);                        // DataError for an unmapped label
//   conn.execute("INSERT INTO t VALUES (%s)", Mood::kOk);   // sent with mood's oid
//
//   pgcpp::register_composite<Point3>(adapters, point3_info);  // Fields<Point3> needed
//   pgcpp::register_composite(adapters, info);  // loads as pgcpp::Record with typed fields
//   pgcpp::register_hstore(adapters, hstore_info);
#ifndef PGCPP_ADAPT_REGISTRATION_H_
#define PGCPP_ADAPT_REGISTRATION_H_

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pgcpp/adapt/adapters_map.h"
#include "pgcpp/adapt/composite.h"
#include "pgcpp/adapt/dumper.h"
#include "pgcpp/adapt/hstore.h"
#include "pgcpp/adapt/loader.h"
#include "pgcpp/adapt/types_registry.h"

namespace pgcpp {

// Adds the type (and its array) to map.types(): enums then load as std::string,
// composites as Record with typed fields, ranges and multiranges as Range/Multirange.
void register_type(AdaptersMap& map, TypeInfo info);
inline void register_composite(AdaptersMap& map, TypeInfo info) {
  info.kind = TypeKind::kComposite;
  register_type(map, std::move(info));
}

// A struct with Fields<T> sent with the composite's oid and loaded as T (also in Values).
template <class T>
requires HasFields<T>
void register_composite(AdaptersMap& map, TypeInfo info) {
  const Oid oid = info.oid;
  register_composite(map, std::move(info));
  for (Format f : {Format::kText, Format::kBinary}) {
    map.register_loader(oid, std::make_shared<CodecLoader<T>>(oid, f));
    map.register_dumper<T>(std::make_shared<CodecDumper<T>>(f, oid));
  }
  // %s picks text, as for other composites.
  map.register_dumper<T>(std::make_shared<CodecDumper<T>>(Format::kText, oid));
}

// hstore's oid differs per database: Hstore is then sent with it (both formats).
void register_hstore(AdaptersMap& map, TypeInfo info);

namespace adapt_internal {
[[noreturn]] void throw_unknown_label(std::string_view label, std::string_view type);
[[noreturn]] void throw_unmapped_enum(std::string_view cpp_type, std::string_view type);
}  // namespace adapt_internal

// A C++ enum E mapped to a PostgreSQL enum's labels, in both directions and formats.
template <class E>
void register_enum(AdaptersMap& map, TypeInfo info,
                   std::vector<std::pair<E, std::string>> mapping) {
  info.kind = TypeKind::kEnum;
  const Oid oid = info.oid;
  auto shared = std::make_shared<const std::vector<std::pair<E, std::string>>>(std::move(mapping));
  auto type_name = std::make_shared<const std::string>(info.name);
  register_type(map, std::move(info));

  class EnumLoader final : public TypedLoader<E> {
   public:
    EnumLoader(Format f, decltype(shared) m, decltype(type_name) n)
        : TypedLoader<E>(f), mapping_(std::move(m)), name_(std::move(n)) {}
    E load_value(std::string_view data) const override {
      for (const auto& [value, label] : *mapping_) {
        if (label == data) return value;
      }
      adapt_internal::throw_unknown_label(data, *name_);
    }

   private:
    decltype(shared) mapping_;
    decltype(type_name) name_;
  };
  class EnumDumper final : public TypedDumper<E> {
   public:
    EnumDumper(Oid oid, Format f, decltype(shared) m, decltype(type_name) n)
        : TypedDumper<E>(oid, f), mapping_(std::move(m)), name_(std::move(n)) {}
    bool dump_value(const E& v, std::string& out) const override {
      for (const auto& [value, label] : *mapping_) {
        if (value == v) {
          out.append(label);
          return true;
        }
      }
      adapt_internal::throw_unmapped_enum(adapt_internal::type_name<E>(), *name_);
    }

   private:
    decltype(shared) mapping_;
    decltype(type_name) name_;
  };
  for (Format f : {Format::kBinary, Format::kText}) {  // text last: %s sends text
    map.register_loader(oid, std::make_shared<EnumLoader>(f, shared, type_name));
    map.register_dumper<E>(std::make_shared<EnumDumper>(oid, f, shared, type_name));
  }
}

}  // namespace pgcpp

#endif  // PGCPP_ADAPT_REGISTRATION_H_
