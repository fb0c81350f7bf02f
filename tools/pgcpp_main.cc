// pgcpp: the command-line tool. `pgcpp --help` lists the commands.
#include <iostream>
#include <span>
#include <string_view>
#include <vector>

#include "tools/bench_command.h"
#include "tools/command_args.h"
#include "tools/demo_command.h"
#include "tools/error_report.h"
#include "tools/query_command.h"
#include "tools/server_command.h"

namespace {

constexpr std::string_view kUsage =
    "usage: pgcpp COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  bench     benchmark pgcpp against raw libpq (ratios, JSON, SVG chart)\n"
    "  demo      a guided tour of pgcpp's components\n"
    "  query     run SQL and print the result as a table, CSV or JSON\n"
    "  server    start an ephemeral PostgreSQL server and print its DSN\n"
    "\n"
    "`pgcpp COMMAND --help` describes a command. Commands that connect use --dsn, else\n"
    "$PGCPP_DSN, else libpq's PG* variables, else an embedded server of their own.\n";

struct Command {
  std::string_view name;
  int (*run)(std::span<const std::string_view>);
};

constexpr Command kCommands[] = {
    {"bench", &pgcpp::tools::bench_command},
    {"demo", &pgcpp::tools::demo_command},
    {"query", &pgcpp::tools::query_command},
    {"server", &pgcpp::tools::server_command},
};

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  std::string_view name = args[0];
  std::span<const std::string_view> rest(args.data() + 1, args.size() - 1);
  for (const Command& command : kCommands) {
    if (command.name != name) continue;
    try {
      return command.run(rest);
    } catch (const pgcpp::tools::UsageError& e) {
      std::cerr << "pgcpp " << name << ": " << e.what() << " (see pgcpp " << name << " --help)\n";
      return 2;
    } catch (const std::exception& e) {
      pgcpp::tools::report_error(std::cerr, name, e);
      return 1;
    }
  }
  std::cerr << "pgcpp: unknown command '" << name << "'\n" << kUsage;
  return 2;
}
