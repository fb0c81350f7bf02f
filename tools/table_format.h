// Text layouts of a query result for `pgcpp query`: psql's aligned table and RFC 4180 CSV.
//
//   pgcpp::tools::ResultTable t{.columns = {"id", "name"}, .right_align = {true, false}};
//   t.rows.push_back({"1", "Ann"});
//   pgcpp::tools::write_aligned(t, std::cout);
//    id | name
//   ----+------
//     1 | Ann
//   (1 row)
#ifndef PGCPP_TOOLS_TABLE_FORMAT_H_
#define PGCPP_TOOLS_TABLE_FORMAT_H_

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace pgcpp::tools {

struct ResultTable {
  std::vector<std::string> columns{};
  std::vector<bool> right_align{};  // per column: numbers are right-aligned, as in psql
  std::vector<std::vector<std::optional<std::string>>> rows{};  // nullopt: NULL
};

// psql's default output: centred headers, " | " between columns, "-+-" under the header,
// NULL as an empty cell, and "(N rows)" at the end.
void write_aligned(const ResultTable& table, std::ostream& out);
// RFC 4180: a header row, CRLF line ends, fields quoted when they hold a comma, a quote,
// CR or LF (quotes doubled). NULL is an empty field, an empty string is "".
void write_csv(const ResultTable& table, std::ostream& out);

}  // namespace pgcpp::tools

#endif  // PGCPP_TOOLS_TABLE_FORMAT_H_
