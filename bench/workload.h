// Workload: the same work done through pgcpp and through a reference client
// (raw libpq, or pgbench for W5), compared in one process on one server.
// Written once here (W1–W5 of ../README.md, "Performance") and run both by the
// components' Google Benchmark targets and by `pgcpp bench`.
//
//   pgcpp::bench::Workload w = pgcpp::bench::round_trips(dsn, 20000);
//   pgcpp::bench::Comparison c = pgcpp::bench::compare(w, {.repetitions = 5});
//   std::cout << c.ratio << "\n";   // pgcpp throughput / reference throughput
//
// Each side returns how many units it did (rows, queries) and a checksum of
// what it read; compare() refuses results whose checksums differ, so neither
// side can get faster by skipping work.
#ifndef PGCPP_BENCH_WORKLOAD_H_
#define PGCPP_BENCH_WORKLOAD_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace pgcpp::bench {

struct SideResult {
  int64_t units = 0;      // rows, queries, transactions done
  uint64_t checksum = 0;  // folded from the values read; equal on both sides
  bool checked = true;    // false: the side cannot compute a comparable checksum (pgbench)
  double seconds = 0;     // > 0: the side's own measure of its duration (pgbench's), used
                          // instead of the wall time around the call
};

struct Workload {
  std::string name{};             // "W1 typed fetch (binary)"
  std::string unit{};             // "rows", "queries", "transactions"
  std::string reference_name{};   // "libpq", "pgbench"
  std::function<void()> setup{};  // once before the runs: tables, data
  std::function<SideResult()> pgcpp{};
  std::function<SideResult()> reference{};
};

struct SideStats {
  double median_seconds = 0;      // wall time of one run
  double median_cpu_seconds = 0;  // this thread's user+system CPU during one run
  double units_per_second = 0;    // from the median run
  int64_t units = 0;              // per run
};

struct Comparison {
  std::string name{};
  std::string unit{};
  std::string reference_name{};
  SideStats pgcpp{};
  SideStats reference{};
  double ratio = 0;      // pgcpp throughput / reference throughput (higher is better)
  double cpu_ratio = 0;  // pgcpp CPU / reference CPU (lower is better)
};

struct CompareOptions {
  int repetitions = 5;  // runs per side, alternating, alternating which goes first
  // Called after each run: (runs done, runs in all), for progress lines.
  std::function<void(int, int)> progress{};
};

// Runs setup, then both sides alternately; medians per side. Throws
// std::runtime_error when the sides disagree on units or checksum.
Comparison compare(const Workload& workload, const CompareOptions& options = {});

// Folds a value into a checksum (order-sensitive, cheap).
inline uint64_t fold(uint64_t checksum, uint64_t value) {
  return (checksum ^ value) * 0x100000001b3ULL + 0x9e3779b97f4a7c15ULL;
}

}  // namespace pgcpp::bench

#endif  // PGCPP_BENCH_WORKLOAD_H_
