#include "pgcpp/adapt/types_registry.h"

#include <algorithm>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace pgcpp {
namespace {

struct BuiltinRow {
  const char* name;
  Oid oid;
  Oid array_oid;
  const char* regtype;
  char delimiter;
  TypeKind kind;
  Oid subtype_oid;
};

// PostgreSQL 15's builtin types (pg_catalog, excluding the catalogs' row types).
constexpr BuiltinRow kBuiltins[] = {
    {"bool", 16, 1000, "boolean", ',', TypeKind::kBase, 0},
    {"bytea", 17, 1001, "bytea", ',', TypeKind::kBase, 0},
    {"char", 18, 1002, "\"char\"", ',', TypeKind::kBase, 0},
    {"name", 19, 1003, "name", ',', TypeKind::kBase, 0},
    {"int8", 20, 1016, "bigint", ',', TypeKind::kBase, 0},
    {"int2", 21, 1005, "smallint", ',', TypeKind::kBase, 0},
    {"int2vector", 22, 1006, "int2vector", ',', TypeKind::kBase, 0},
    {"int4", 23, 1007, "integer", ',', TypeKind::kBase, 0},
    {"regproc", 24, 1008, "regproc", ',', TypeKind::kBase, 0},
    {"text", 25, 1009, "text", ',', TypeKind::kBase, 0},
    {"oid", 26, 1028, "oid", ',', TypeKind::kBase, 0},
    {"tid", 27, 1010, "tid", ',', TypeKind::kBase, 0},
    {"xid", 28, 1011, "xid", ',', TypeKind::kBase, 0},
    {"cid", 29, 1012, "cid", ',', TypeKind::kBase, 0},
    {"oidvector", 30, 1013, "oidvector", ',', TypeKind::kBase, 0},
    {"json", 114, 199, "json", ',', TypeKind::kBase, 0},
    {"xml", 142, 143, "xml", ',', TypeKind::kBase, 0},
    {"point", 600, 1017, "point", ',', TypeKind::kBase, 0},
    {"lseg", 601, 1018, "lseg", ',', TypeKind::kBase, 0},
    {"path", 602, 1019, "path", ',', TypeKind::kBase, 0},
    {"box", 603, 1020, "box", ';', TypeKind::kBase, 0},
    {"polygon", 604, 1027, "polygon", ',', TypeKind::kBase, 0},
    {"line", 628, 629, "line", ',', TypeKind::kBase, 0},
    {"cidr", 650, 651, "cidr", ',', TypeKind::kBase, 0},
    {"float4", 700, 1021, "real", ',', TypeKind::kBase, 0},
    {"float8", 701, 1022, "double precision", ',', TypeKind::kBase, 0},
    {"unknown", 705, 0, "unknown", ',', TypeKind::kPseudo, 0},
    {"circle", 718, 719, "circle", ',', TypeKind::kBase, 0},
    {"macaddr8", 774, 775, "macaddr8", ',', TypeKind::kBase, 0},
    {"money", 790, 791, "money", ',', TypeKind::kBase, 0},
    {"macaddr", 829, 1040, "macaddr", ',', TypeKind::kBase, 0},
    {"inet", 869, 1041, "inet", ',', TypeKind::kBase, 0},
    {"aclitem", 1033, 1034, "aclitem", ',', TypeKind::kBase, 0},
    {"bpchar", 1042, 1014, "character", ',', TypeKind::kBase, 0},
    {"varchar", 1043, 1015, "character varying", ',', TypeKind::kBase, 0},
    {"date", 1082, 1182, "date", ',', TypeKind::kBase, 0},
    {"time", 1083, 1183, "time without time zone", ',', TypeKind::kBase, 0},
    {"timestamp", 1114, 1115, "timestamp without time zone", ',', TypeKind::kBase, 0},
    {"timestamptz", 1184, 1185, "timestamp with time zone", ',', TypeKind::kBase, 0},
    {"interval", 1186, 1187, "interval", ',', TypeKind::kBase, 0},
    {"timetz", 1266, 1270, "time with time zone", ',', TypeKind::kBase, 0},
    {"bit", 1560, 1561, "bit", ',', TypeKind::kBase, 0},
    {"varbit", 1562, 1563, "bit varying", ',', TypeKind::kBase, 0},
    {"numeric", 1700, 1231, "numeric", ',', TypeKind::kBase, 0},
    {"refcursor", 1790, 2201, "refcursor", ',', TypeKind::kBase, 0},
    {"regprocedure", 2202, 2207, "regprocedure", ',', TypeKind::kBase, 0},
    {"regoper", 2203, 2208, "regoper", ',', TypeKind::kBase, 0},
    {"regoperator", 2204, 2209, "regoperator", ',', TypeKind::kBase, 0},
    {"regclass", 2205, 2210, "regclass", ',', TypeKind::kBase, 0},
    {"regtype", 2206, 2211, "regtype", ',', TypeKind::kBase, 0},
    {"record", 2249, 2287, "record", ',', TypeKind::kPseudo, 0},
    {"cstring", 2275, 1263, "cstring", ',', TypeKind::kPseudo, 0},
    {"anyarray", 2277, 0, "anyarray", ',', TypeKind::kPseudo, 0},
    {"void", 2278, 0, "void", ',', TypeKind::kPseudo, 0},
    {"trigger", 2279, 0, "trigger", ',', TypeKind::kPseudo, 0},
    {"anyelement", 2283, 0, "anyelement", ',', TypeKind::kPseudo, 0},
    {"anynonarray", 2776, 0, "anynonarray", ',', TypeKind::kPseudo, 0},
    {"uuid", 2950, 2951, "uuid", ',', TypeKind::kBase, 0},
    {"txid_snapshot", 2970, 2949, "txid_snapshot", ',', TypeKind::kBase, 0},
    {"pg_lsn", 3220, 3221, "pg_lsn", ',', TypeKind::kBase, 0},
    {"anyenum", 3500, 0, "anyenum", ',', TypeKind::kPseudo, 0},
    {"tsvector", 3614, 3643, "tsvector", ',', TypeKind::kBase, 0},
    {"tsquery", 3615, 3645, "tsquery", ',', TypeKind::kBase, 0},
    {"gtsvector", 3642, 3644, "gtsvector", ',', TypeKind::kBase, 0},
    {"regconfig", 3734, 3735, "regconfig", ',', TypeKind::kBase, 0},
    {"regdictionary", 3769, 3770, "regdictionary", ',', TypeKind::kBase, 0},
    {"jsonb", 3802, 3807, "jsonb", ',', TypeKind::kBase, 0},
    {"anyrange", 3831, 0, "anyrange", ',', TypeKind::kPseudo, 0},
    {"int4range", 3904, 3905, "int4range", ',', TypeKind::kRange, 23},
    {"numrange", 3906, 3907, "numrange", ',', TypeKind::kRange, 1700},
    {"tsrange", 3908, 3909, "tsrange", ',', TypeKind::kRange, 1114},
    {"tstzrange", 3910, 3911, "tstzrange", ',', TypeKind::kRange, 1184},
    {"daterange", 3912, 3913, "daterange", ',', TypeKind::kRange, 1082},
    {"int8range", 3926, 3927, "int8range", ',', TypeKind::kRange, 20},
    {"jsonpath", 4072, 4073, "jsonpath", ',', TypeKind::kBase, 0},
    {"regnamespace", 4089, 4090, "regnamespace", ',', TypeKind::kBase, 0},
    {"regrole", 4096, 4097, "regrole", ',', TypeKind::kBase, 0},
    {"regcollation", 4191, 4192, "regcollation", ',', TypeKind::kBase, 0},
    {"int4multirange", 4451, 6150, "int4multirange", ',', TypeKind::kMultirange, 3904},
    {"nummultirange", 4532, 6151, "nummultirange", ',', TypeKind::kMultirange, 3906},
    {"tsmultirange", 4533, 6152, "tsmultirange", ',', TypeKind::kMultirange, 3908},
    {"tstzmultirange", 4534, 6153, "tstzmultirange", ',', TypeKind::kMultirange, 3910},
    {"datemultirange", 4535, 6155, "datemultirange", ',', TypeKind::kMultirange, 3912},
    {"int8multirange", 4536, 6157, "int8multirange", ',', TypeKind::kMultirange, 3926},
    {"anymultirange", 4537, 0, "anymultirange", ',', TypeKind::kPseudo, 0},
    {"pg_snapshot", 5038, 5039, "pg_snapshot", ',', TypeKind::kBase, 0},
    {"xid8", 5069, 271, "xid8", ',', TypeKind::kBase, 0},
    {"anycompatible", 5077, 0, "anycompatible", ',', TypeKind::kPseudo, 0},
};

}  // namespace

struct TypesRegistry::Table {
  // Keyed by oid and by array oid.
  absl::flat_hash_map<Oid, std::shared_ptr<const TypeInfo>> by_oid;
  // Keyed by name and by regtype.
  absl::flat_hash_map<std::string, std::shared_ptr<const TypeInfo>> by_name;

  void add(std::shared_ptr<const TypeInfo> info) {
    // A replaced type must not stay reachable through its old array oid or names.
    if (auto it = by_oid.find(info->oid); it != by_oid.end()) {
      std::shared_ptr<const TypeInfo> old = it->second;
      if (old->oid == info->oid) {
        by_oid.erase(old->array_oid);
        by_name.erase(old->name);
        by_name.erase(old->regtype);
      }
    }
    by_oid[info->oid] = info;
    if (info->array_oid != 0) by_oid[info->array_oid] = info;
    by_name[info->name] = info;
    if (!info->regtype.empty()) by_name[info->regtype] = info;
  }
};

const TypesRegistry::Table& TypesRegistry::builtin_table() {
  static const TypesRegistry::Table* table = [] {
    auto* t = new TypesRegistry::Table();
    for (const BuiltinRow& row : kBuiltins) {
      auto info = std::make_shared<TypeInfo>();
      info->name = row.name;
      info->oid = row.oid;
      info->array_oid = row.array_oid;
      info->regtype = row.regtype;
      info->delimiter = row.delimiter;
      info->kind = row.kind;
      info->subtype_oid = row.subtype_oid;
      t->add(std::move(info));
    }
    return t;
  }();
  return *table;
}

namespace {

template <class Table>
const TypeInfo* find_in(const Table& table, Oid oid) {
  auto it = table.by_oid.find(oid);
  return it == table.by_oid.end() ? nullptr : it->second.get();
}

template <class Table>
const TypeInfo* find_in(const Table& table, std::string_view name) {
  auto it = table.by_name.find(absl::string_view(name.data(), name.size()));
  return it == table.by_name.end() ? nullptr : it->second.get();
}

constexpr std::string_view kArraySuffix = "[]";

bool strip_array_suffix(std::string_view& name) {
  if (name.size() > kArraySuffix.size() && name.ends_with(kArraySuffix)) {
    name.remove_suffix(kArraySuffix.size());
    return true;
  }
  return false;
}

}  // namespace

TypesRegistry::TypesRegistry() = default;

const TypeInfo* TypesRegistry::get(Oid oid) const {
  if (user_) {
    if (const TypeInfo* info = find_in(*user_, oid)) return info;
  }
  return find_in(builtin_table(), oid);
}

const TypeInfo* TypesRegistry::get(std::string_view name) const {
  strip_array_suffix(name);
  if (user_) {
    if (const TypeInfo* info = find_in(*user_, name)) return info;
  }
  return find_in(builtin_table(), name);
}

Oid TypesRegistry::get_oid(std::string_view name) const {
  const bool is_array = strip_array_suffix(name);
  const TypeInfo* info = get(name);
  if (info == nullptr) return 0;
  return is_array ? info->array_oid : info->oid;
}

const TypeInfo* TypesRegistry::get_by_subtype(TypeKind kind, Oid subtype) const {
  auto matches = [&](const TypeInfo& info) {
    return info.kind == kind && info.subtype_oid == subtype;
  };
  if (user_) {
    for (const auto& [oid, info] : user_->by_oid) {
      if (matches(*info)) return info.get();
    }
  }
  for (const auto& [oid, info] : builtin_table().by_oid) {
    if (matches(*info)) return info.get();
  }
  return nullptr;
}

Oid TypesRegistry::element_oid(Oid array_oid) const {
  const TypeInfo* info = get(array_oid);
  return info != nullptr && info->array_oid == array_oid ? info->oid : 0;
}

char TypesRegistry::delimiter(Oid element_oid) const {
  const TypeInfo* info = get(element_oid);
  return info != nullptr && info->oid == element_oid ? info->delimiter : ',';
}

void TypesRegistry::add(TypeInfo info) {
  auto table = user_ ? std::make_shared<Table>(*user_) : std::make_shared<Table>();
  table->add(std::make_shared<const TypeInfo>(std::move(info)));
  user_ = std::move(table);
}

namespace adapt_internal {

const TypeInfo* builtin_type(Oid oid) {
  static const TypesRegistry* builtins = new TypesRegistry();
  return builtins->get(oid);
}

std::string describe_oid(Oid oid) {
  const TypeInfo* info = builtin_type(oid);
  if (info == nullptr) return absl::StrCat("oid ", oid);
  if (info->array_oid == oid) return absl::StrCat(info->name, "[] (oid ", oid, ")");
  return absl::StrCat(info->name, " (oid ", oid, ")");
}

}  // namespace adapt_internal
}  // namespace pgcpp
