// `pgcpp demo`: a guided tour of pgcpp's components against a server (the embedded one by
// default), printing each step and what it did. Each step is one function in the list in
// demo_command.cc.
#ifndef PGCPP_TOOLS_DEMO_COMMAND_H_
#define PGCPP_TOOLS_DEMO_COMMAND_H_

#include <span>
#include <string_view>

namespace pgcpp::tools {

int demo_command(std::span<const std::string_view> args);

}  // namespace pgcpp::tools

#endif  // PGCPP_TOOLS_DEMO_COMMAND_H_
