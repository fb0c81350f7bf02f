// How `pgcpp` commands report a failure on stderr: the exception's class, the SQLSTATE
// and message, then the server's detail, hint and position (with the query line and a
// caret under the position when the query is known).
//
//   pgcpp query: pgcpp::errors::SyntaxError: ERROR 42601: syntax error at or near "SELEC"
//   LINE 1: SELEC 1
//           ^
//   POSITION: 1
#ifndef PGCPP_TOOLS_ERROR_REPORT_H_
#define PGCPP_TOOLS_ERROR_REPORT_H_

#include <exception>
#include <ostream>
#include <string_view>

namespace pgcpp::tools {

// Writes the report for `e` raised by `command`; `query` is the SQL that failed, if any.
void report_error(std::ostream& out, std::string_view command, const std::exception& e,
                  std::string_view query = {});

}  // namespace pgcpp::tools

#endif  // PGCPP_TOOLS_ERROR_REPORT_H_
