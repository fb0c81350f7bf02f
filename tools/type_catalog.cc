#include "tools/type_catalog.h"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "pgcpp/adapt/registration.h"

namespace pgcpp::tools {

namespace {

// One row per type whose oid or array oid is in the list.
constexpr std::string_view kTypesQuery = R"(
SELECT t.oid::int8, t.typname::text, t.typarray::int8, format_type(t.oid, NULL),
       t.typdelim::text, t.typtype::text,
       coalesce(r.rngsubtype, m.rngtypid, t.typbasetype)::int8,
       coalesce((SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
                 WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '{}'),
       coalesce((SELECT array_agg(a.atttypid::int8 ORDER BY a.attnum) FROM pg_attribute a
                 WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '{}')
FROM pg_type t
LEFT JOIN pg_range r ON r.rngtypid = t.oid
LEFT JOIN pg_range m ON m.rngmultitypid = t.oid
WHERE t.oid::int8 = ANY(%s) OR t.typarray::int8 = ANY(%s)
ORDER BY t.oid)";

TypeKind kind_of(std::string_view typtype) {
  if (typtype == "c") return TypeKind::kComposite;
  if (typtype == "e") return TypeKind::kEnum;
  if (typtype == "r") return TypeKind::kRange;
  if (typtype == "m") return TypeKind::kMultirange;
  if (typtype == "p") return TypeKind::kPseudo;
  return TypeKind::kBase;
}

}  // namespace

void register_result_types(const Connection& conn, Cursor& cur) {
  if (!cur.description()) return;
  AdaptersMap& adapters = cur.adapters();
  std::set<int64_t> seen;
  std::vector<int64_t> unknown;
  auto want = [&](int64_t oid) {
    if (oid != 0 && adapters.types().get(static_cast<Oid>(oid)) == nullptr &&
        seen.insert(oid).second) {
      unknown.push_back(oid);
    }
  };
  for (const ColumnDescription& c : *cur.description()) want(c.type_code);
  // Types inside types (composite fields, range elements, domain bases), a few levels deep.
  std::vector<std::pair<Oid, Oid>> domains;  // (domain, base)
  for (int depth = 0; depth < 4 && !unknown.empty(); ++depth) {
    std::vector<int64_t> batch;
    batch.swap(unknown);
    for (auto [oid, name, array_oid, regtype, delimiter, typtype, subtype, field_names,
               field_types] :
         conn.execute(kTypesQuery, batch, batch)
             .rows<int64_t, std::string, int64_t, std::string, std::string, std::string, int64_t,
                   std::vector<std::string>, std::vector<int64_t>>()) {
      TypeInfo info{.name = name,
                    .oid = static_cast<Oid>(oid),
                    .array_oid = static_cast<Oid>(array_oid),
                    .regtype = regtype,
                    .delimiter = delimiter.empty() ? ',' : delimiter[0],
                    .kind = kind_of(typtype),
                    .subtype_oid = static_cast<Oid>(subtype)};
      for (int64_t f : field_types) {
        info.field_types.push_back(static_cast<Oid>(f));
        want(f);
      }
      info.field_names = field_names;
      if (typtype == "d") domains.emplace_back(info.oid, info.subtype_oid);
      want(subtype);
      if (name == "hstore" && typtype == "b") {
        register_hstore(adapters, std::move(info));
      } else {
        register_type(adapters, std::move(info));
      }
    }
  }
  // A domain loads as its base type.
  for (auto [domain, base] : domains) {
    for (Format f : {Format::kText, Format::kBinary}) {
      adapters.register_loader(domain, adapters.get_loader(base, f));
    }
  }
}

}  // namespace pgcpp::tools
