// Memory while reading 10,000,000 rows through Cursor::stream() and through a
// ServerCursor (bazel run -c opt //core:stream_benchmark). Target (issue 5):
// peak RSS < 64 MiB.
//
// Counters:
//   rss_before_MiB  resident memory when the benchmark starts (/proc/self/statm)
//   rss_during_MiB  the largest resident memory sampled every 100,000 rows
//   peak_rss_MiB    the process's high-water mark at the end (getrusage ru_maxrss;
//                   it never goes down, so it covers the benchmarks run before)
//   target_met      1 when peak_rss_MiB < 64
//   rows/s          throughput, for information
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>

#include "pgcpp/core/connection.h"
#include "pgcpp/core/server_cursor.h"
#include "pgcpp/core/stream.h"
#include "pgcpp/testing/benchmark_dsn.h"

namespace {

constexpr int64_t kRows = 10'000'000;
constexpr int64_t kSampleEvery = 100'000;
constexpr double kTargetMiB = 64;
// A streamed SRF (in FROM it would be materialized by the server first).
const char* const kQuery =
    "SELECT g, 'row number ' || g, g * 0.5 FROM (SELECT generate_series(1, %s::int8) AS g) AS s";

double current_rss_mib() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) /
         (1024.0 * 1024.0);
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// Reads every row as views, sampling the resident memory; returns a checksum.
template <class Rows>
int64_t consume(Rows&& rows, double& rss_during) {
  int64_t sum = 0;
  int64_t n = 0;
  for (const pgcpp::Row& row : rows) {
    sum += row.get<int64_t>(0) + static_cast<int64_t>(row.get<std::string_view>(1).size());
    if (++n % kSampleEvery == 0) rss_during = std::max(rss_during, current_rss_mib());
  }
  if (n != kRows) throw std::runtime_error("read " + std::to_string(n) + " rows");
  return sum;
}

void report(benchmark::State& state, double before, double during) {
  const double peak = peak_rss_mib();
  state.counters["rss_before_MiB"] = before;
  state.counters["rss_during_MiB"] = during;
  state.counters["peak_rss_MiB"] = peak;
  state.counters["target_met"] = peak < kTargetMiB ? 1 : 0;
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(kRows) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}

void BM_Stream10M(benchmark::State& state) {
  const double before = current_rss_mib();
  double during = before;
  auto conn = pgcpp::Connection::connect(pgcpp::testing::benchmark_dsn(), {.autocommit = true});
  pgcpp::Cursor cur = conn.cursor();
  for (auto _ : state) {
    benchmark::DoNotOptimize(consume(cur.stream(kQuery, kRows), during));
  }
  report(state, before, during);
}
BENCHMARK(BM_Stream10M)->Iterations(1)->UseRealTime()->Unit(benchmark::kSecond);

void BM_ServerCursor10M(benchmark::State& state) {
  const double before = current_rss_mib();
  double during = before;
  auto conn = pgcpp::Connection::connect(pgcpp::testing::benchmark_dsn());
  for (auto _ : state) {
    pgcpp::ServerCursor cur = conn.server_cursor("bench");
    cur.itersize = static_cast<size_t>(state.range(0));
    cur.execute(kQuery, kRows);
    benchmark::DoNotOptimize(consume(cur, during));
    cur.close();
    conn.commit();
  }
  report(state, before, during);
}
BENCHMARK(BM_ServerCursor10M)
    ->ArgName("itersize")
    ->Arg(100)
    ->Arg(2000)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kSecond);

}  // namespace
