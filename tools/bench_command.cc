#include "tools/bench_command.h"

#include <fstream>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>

#include "pgcpp/bench/batch_insert.h"
#include "pgcpp/bench/copy_in.h"
#include "pgcpp/bench/pool_select.h"
#include "pgcpp/bench/round_trips.h"
#include "pgcpp/bench/typed_fetch.h"
#include "tools/command_args.h"
#include "tools/embedded_server.h"
#include "tools/svg_chart.h"
#include "tools/table_format.h"

namespace pgcpp::tools {

namespace {

constexpr std::string_view kUsage =
    "usage: pgcpp bench [--dsn DSN] [--rows N] [--seconds N] [--repetitions N]\n"
    "                   [--json FILE] [--svg FILE]\n"
    "\n"
    "Runs the benchmark workloads through pgcpp and through raw libpq (pgbench for the\n"
    "pool) on the same server, alternating, and prints the median throughput of each\n"
    "side and their ratio (pgcpp / reference: 1.0 is as fast, higher is better).\n"
    "\n"
    "  --dsn DSN         where to connect; default: $PGCPP_DSN, else libpq's PG*\n"
    "                    variables, else an embedded server started for the run\n"
    "  --rows N          rows (or queries) per run for every workload sized so, instead\n"
    "                    of each workload's own size\n"
    "  --seconds N       the same for the workloads that run for a time (W5)\n"
    "  --repetitions N   runs per side (default 5)\n"
    "  --json FILE       also write the results as JSON\n"
    "  --svg FILE        also write a bar chart of the ratios\n";

void write_file(const std::string& path, const std::string& content) {
  std::ofstream file(path, std::ios::binary);
  file << content;
  file.close();
  if (!file) throw std::runtime_error("cannot write " + path);
}

}  // namespace

std::vector<BenchEntry> bench_workloads() {
  // One line per workload: {name, default size, target ratio (PERFORMANCE.md), factory}.
  // The factories live in //bench, one file each.
  using Size = BenchEntry::Size;
  auto typed_fetch_in = [](Format format) {
    return [format](const std::string& dsn, int64_t rows) {
      return bench::typed_fetch(dsn, rows, format);
    };
  };
  return {
      {"W1 typed fetch (text)", 1000000, 0.95, typed_fetch_in(Format::kText)},
      {"W1 typed fetch (binary)", 1000000, 0.95, typed_fetch_in(Format::kBinary)},
      {"W2 COPY in", 1000000, 0.95, &bench::copy_in},
      {"W3 executemany (pipeline)", 10000, 0.9, &bench::batch_insert},
      {"W4 prepared round trip", 20000, 0.95, &bench::round_trips},
      {"W5 pool, 8 clients", 10, 0.9,
       [](const std::string& dsn, int64_t seconds) {
         return bench::pool_select(dsn, static_cast<int>(seconds));
       },
       Size::kSeconds},
  };
}

int bench_command(std::span<const std::string_view> args) {
  std::optional<std::string> dsn, json_file, svg_file;
  BenchOptions options;
  CommandArgs in(args);
  if (!in.read_options(kUsage, [&](std::string_view arg) {
        if (arg == "--dsn") {
          dsn = std::string(in.value(arg));
        } else if (arg == "--rows") {
          options.rows = parse_int(arg, in.value(arg));
        } else if (arg == "--seconds") {
          options.seconds = parse_int(arg, in.value(arg));
        } else if (arg == "--repetitions") {
          options.repetitions = static_cast<int>(parse_int(arg, in.value(arg)));
          if (options.repetitions < 1) throw UsageError("--repetitions must be at least 1");
        } else if (arg == "--json") {
          json_file = std::string(in.value(arg));
        } else if (arg == "--svg") {
          svg_file = std::string(in.value(arg));
        } else {
          return false;
        }
        return true;
      })) {
    return 0;
  }
  const std::vector<BenchEntry> entries = bench_workloads();
  Target target = resolve_target(dsn);
  options.dsn = target.dsn;
  options.progress = &std::cerr;
  if (entries.empty()) std::cerr << "pgcpp bench: no workloads are registered yet\n";
  const std::vector<BenchResult> results = run_benchmarks(entries, options);
  write_aligned(bench_table(results), std::cout);
  if (json_file) write_file(*json_file, bench_json(results, options));
  if (svg_file) {
    write_file(*svg_file, ratio_chart_svg("pgcpp / reference throughput (median of " +
                                              std::to_string(options.repetitions) + " runs each)",
                                          bench_bars(results)));
  }
  return 0;
}

}  // namespace pgcpp::tools
