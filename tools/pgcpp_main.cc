// pgcpp: the command-line tool. `pgcpp --help` lists the commands.
#include <iostream>
#include <span>
#include <string_view>
#include <vector>

#include "tools/server_command.h"

namespace {

constexpr std::string_view kUsage =
    "usage: pgcpp COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  server    start an ephemeral PostgreSQL server and print its DSN\n"
    "\n"
    "`pgcpp COMMAND --help` describes a command.\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  std::string_view command = args[0];
  std::span<const std::string_view> rest(args.data() + 1, args.size() - 1);
  try {
    if (command == "server") return pgcpp::tools::server_command(rest);
    std::cerr << "pgcpp: unknown command '" << command << "'\n" << kUsage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "pgcpp " << command << ": " << e.what() << "\n";
    return 1;
  }
}
