// `pgcpp query`: runs one SQL statement (or several, without parameters) and prints the
// result as a psql-style table, CSV or JSON.
//
//   pgcpp query --format json "SELECT %s::int4 + 1 AS n" 41
//   {"columns": [{"name": "n", "type_oid": 23, "type": "int4"}], "rows": [[42]]}
#ifndef PGCPP_TOOLS_QUERY_COMMAND_H_
#define PGCPP_TOOLS_QUERY_COMMAND_H_

#include <span>
#include <string_view>

namespace pgcpp::tools {

int query_command(std::span<const std::string_view> args);

}  // namespace pgcpp::tools

#endif  // PGCPP_TOOLS_QUERY_COMMAND_H_
