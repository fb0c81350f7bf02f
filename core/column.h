// ColumnDescription: one entry of Cursor::description(), psycopg's Column.
//
//   for (const pgcpp::ColumnDescription& c : cur.description())
//     std::cout << c.name << " " << c.type_display() << "\n";   // "price numeric(10,2)"
//
// display_size, precision and scale come from the column's type modifier:
// varchar(n)/bpchar(n) give display_size n; numeric(p,s) gives precision p and
// scale s; time, timetz, timestamp, timestamptz and interval give their
// fractional-seconds precision. Each is nullopt when it does not apply.
#ifndef PGCPP_CORE_COLUMN_H_
#define PGCPP_CORE_COLUMN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pgcpp/adapt/oid.h"
#include "pgcpp/adapt/types_registry.h"
#include "pgcpp/core/pq.h"

namespace pgcpp {

struct ColumnDescription {
  std::string name{};
  Oid type_code = 0;
  int32_t type_modifier = -1;
  std::optional<int> display_size{};
  std::optional<int> internal_size{};  // PQfsize; nullopt for variable-size types
  std::optional<int> precision{};
  std::optional<int> scale{};
  std::optional<bool> null_ok{};  // unknown from a result, always nullopt (as psycopg)
  // "int4", "numeric(10,2)", "varchar(5)", "timestamptz(3)", "int4[]"; the oid as a
  // number for a type the registry does not know.
  std::string type_display{};
};

// The description of every column of `result` (empty for a result without fields).
std::vector<ColumnDescription> describe_columns(const PGresult* result, const TypesRegistry& types);

}  // namespace pgcpp

#endif  // PGCPP_CORE_COLUMN_H_
