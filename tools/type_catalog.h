// Teaching a cursor the database's own types (enums, composites, ranges, domains, hstore)
// before its rows are loaded, so that `pgcpp query` renders them by type in both formats.
//
//   pgcpp::Cursor cur = conn.cursor();
//   cur.execute(sql);
//   pgcpp::tools::register_result_types(conn, cur);   // catalog queries for unknown oids
//   for (const pgcpp::Row& row : cur) row.value(0);   // an enum loads as its label, ...
#ifndef PGCPP_TOOLS_TYPE_CATALOG_H_
#define PGCPP_TOOLS_TYPE_CATALOG_H_

#include "pgcpp/core/connection.h"
#include "pgcpp/core/cursor.h"

namespace pgcpp::tools {

// Fetches from pg_type what the cursor's adapters do not know about the current result's
// column types (and the types inside them) and registers it in cur.adapters().
void register_result_types(const Connection& conn, Cursor& cur);

}  // namespace pgcpp::tools

#endif  // PGCPP_TOOLS_TYPE_CATALOG_H_
