// Running the //bench workloads for `pgcpp bench`: a registry entry per workload, the
// runs (through pgcpp::bench::compare, both sides interleaved), and the results as a
// table, JSON and chart bars.
//
//   std::vector<pgcpp::tools::BenchEntry> entries = {
//       {"W4 prepared round trip", 20000, 0.95,
//        [](const std::string& dsn, int64_t n) { return pgcpp::bench::round_trips(dsn, n); }},
//   };
//   auto results = pgcpp::tools::run_benchmarks(entries, {.dsn = dsn, .repetitions = 5});
//   std::cout << pgcpp::tools::bench_json(results, options);
#ifndef PGCPP_TOOLS_BENCH_RUNNER_H_
#define PGCPP_TOOLS_BENCH_RUNNER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "pgcpp/bench/workload.h"
#include "tools/svg_chart.h"
#include "tools/table_format.h"

namespace pgcpp::tools {

struct BenchEntry {
  std::string name{};         // "W4 prepared round trip"
  int64_t default_units = 0;  // rows or queries when --rows is not given
  double target = 0;          // the ratio PERFORMANCE.md asks for
  std::function<bench::Workload(const std::string& dsn, int64_t units)> make{};
  // What default_units counts: rows (or queries), set by --rows; or seconds of running
  // (W5), set by --seconds.
  enum class Size { kRows, kSeconds } size = Size::kRows;
};

struct BenchOptions {
  std::string dsn{};
  std::optional<int64_t> rows{};     // --rows: overrides default_units of kRows entries
  std::optional<int64_t> seconds{};  // --seconds: the same for kSeconds entries
  int repetitions = 5;
  std::ostream* progress = nullptr;  // a progress line, rewritten in place ('\r')
};

struct BenchResult {
  BenchEntry entry{};
  int64_t units = 0;  // the size the workload was made with (rows or seconds)
  bench::Comparison comparison{};
};

// Runs each entry in turn. Throws what compare() throws (e.g. sides disagreeing).
std::vector<BenchResult> run_benchmarks(const std::vector<BenchEntry>& entries,
                                        const BenchOptions& options);

// The results as a table: workload, size, median run of each side, pgcpp's throughput,
// the ratio (pgcpp / reference throughput), the target, and the CPU ratio.
ResultTable bench_table(const std::vector<BenchResult>& results);
// {"repetitions": R, "workloads": [{"name", "unit", "size", "sized_by" ("rows" or
//  "seconds"), "units_per_run", "reference", "pgcpp_per_second", "reference_per_second",
//  "pgcpp_median_seconds", "reference_median_seconds", "ratio", "cpu_ratio", "target",
//  "meets_target"}, ...]}
std::string bench_json(const std::vector<BenchResult>& results, const BenchOptions& options);
std::vector<ChartBar> bench_bars(const std::vector<BenchResult>& results);

}  // namespace pgcpp::tools

#endif  // PGCPP_TOOLS_BENCH_RUNNER_H_
