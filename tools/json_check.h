// A strict JSON syntax check for the tools' tests (RFC 8259: one value, nothing after it).
//
//   EXPECT_TRUE(pgcpp::tools::is_valid_json(R"({"a": [1, 2.5e3, "x\n", null]})"));
#ifndef PGCPP_TOOLS_JSON_CHECK_H_
#define PGCPP_TOOLS_JSON_CHECK_H_

#include <string_view>

namespace pgcpp::tools {

bool is_valid_json(std::string_view text);

}  // namespace pgcpp::tools

#endif  // PGCPP_TOOLS_JSON_CHECK_H_
