// `pgcpp server`: an ephemeral PostgreSQL server for trying pgcpp out.
#ifndef PGCPP_TOOLS_SERVER_COMMAND_H_
#define PGCPP_TOOLS_SERVER_COMMAND_H_

#include <span>
#include <string_view>

namespace pgcpp::tools {

// Starts a throwaway server (initdb in a temporary folder), prints its DSN,
// and stops and deletes it on Ctrl-C / SIGTERM or after --for SECONDS.
int server_command(std::span<const std::string_view> args);

}  // namespace pgcpp::tools

#endif  // PGCPP_TOOLS_SERVER_COMMAND_H_
