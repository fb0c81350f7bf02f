// TypesRegistry: what pgcpp knows about PostgreSQL types (name, oid, array oid, delimiter).
//
// Every AdaptersMap owns one (`map.types()`); a fresh registry knows every builtin type of
// PostgreSQL 15, arrays, ranges and multiranges included. Types created by users
// (enums, composites, extension types such as hstore) are added with `add()`, usually
// with a TypeInfo that //core fetched from the server's catalog. Like the AdaptersMap,
// copies are copy-on-write: a copy shares the parent's table until one of them is written,
// and a later change to the parent does not reach copies already made.
//
//   pgcpp::TypesRegistry types;
//   types.get("int4[]")->array_oid;        // 1007
//   types.get_oid("text[]");               // 1009
//   types.get(pgcpp::oids::kTimestamptz)->regtype;  // "timestamp with time zone"
//   types.add({.name = "mood", .oid = 16390, .array_oid = 16389, .kind = pgcpp::TypeKind::kEnum,
//              .labels = {"sad", "ok", "happy"}});
#ifndef PGCPP_ADAPT_TYPES_REGISTRY_H_
#define PGCPP_ADAPT_TYPES_REGISTRY_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pgcpp/adapt/oid.h"

namespace pgcpp {

enum class TypeKind : uint8_t { kBase, kPseudo, kRange, kMultirange, kComposite, kEnum };

struct TypeInfo {
  std::string name{};  // pg_type.typname ("int4"), or a qualified name for user types
  Oid oid = 0;
  Oid array_oid = 0;      // 0 when the type has no array type
  std::string regtype{};  // the server's spelling ("integer"), used for casts of non-builtins
  char delimiter = ',';
  TypeKind kind = TypeKind::kBase;
  Oid subtype_oid = 0;  // range: the element type; multirange: the range type
  // Composite types: attributes in attnum order, dropped ones skipped.
  std::vector<std::string> field_names{};
  std::vector<Oid> field_types{};
  // Enum types: labels in enumsortorder.
  std::vector<std::string> labels{};
};

class TypesRegistry {
 public:
  // A registry that knows the builtin types.
  TypesRegistry();

  // The type whose oid or array oid is `oid` (so `get(1007)` is int4); nullptr if unknown.
  const TypeInfo* get(Oid oid) const;
  // The type called `name` (typname or regtype, optionally ending in "[]" for its array);
  // nullptr if unknown.
  const TypeInfo* get(std::string_view name) const;
  // The oid of `name`; the array oid if `name` ends in "[]". 0 if unknown.
  Oid get_oid(std::string_view name) const;
  // The range (kind kRange, subtype = element) or multirange (kind kMultirange,
  // subtype = range) type over `subtype`; nullptr if none is known.
  const TypeInfo* get_by_subtype(TypeKind kind, Oid subtype) const;
  // The element type of the array type `array_oid`, or 0 if it is not a known array.
  Oid element_oid(Oid array_oid) const;
  // The delimiter of arrays of `element_oid` (';' for box, ',' for almost everything).
  char delimiter(Oid element_oid) const;

  // Adds (or replaces) a type. Other registries sharing this one's table are unaffected.
  void add(TypeInfo info);

 private:
  struct Table;
  static const Table& builtin_table();
  std::shared_ptr<const Table> user_;  // types added with add(); null when none
};

namespace adapt_internal {
// The builtin type with this oid or array oid, for error messages.
const TypeInfo* builtin_type(Oid oid);
// "int4 (oid 23)" or "oid 16390" for error messages.
std::string describe_oid(Oid oid);
}  // namespace adapt_internal

}  // namespace pgcpp

#endif  // PGCPP_ADAPT_TYPES_REGISTRY_H_
