// `pgcpp bench`: runs the //bench workloads (W1–W5 of PERFORMANCE.md) through pgcpp and
// through the reference client in one process on one server, interleaved, and prints the
// medians and the pgcpp/reference ratios; --json and --svg write them to files.
#ifndef PGCPP_TOOLS_BENCH_COMMAND_H_
#define PGCPP_TOOLS_BENCH_COMMAND_H_

#include <span>
#include <string_view>
#include <vector>

#include "tools/bench_runner.h"

namespace pgcpp::tools {

// The workloads `pgcpp bench` runs, in order.
std::vector<BenchEntry> bench_workloads();

int bench_command(std::span<const std::string_view> args);

}  // namespace pgcpp::tools

#endif  // PGCPP_TOOLS_BENCH_COMMAND_H_
