// W1 typed fetch (bench/typed_fetch.h): 1,000,000 rows of seven typed columns through
// pgcpp's Cursor against raw libpq, in the same binary on the same server, in text and in
// binary result format (bazel run -c opt //core:typed_fetch_benchmark).
//
// Reports `ratio` = pgcpp rows/s / libpq rows/s (target ≥ 0.95) and `cpu_ratio` = pgcpp
// client CPU / libpq client CPU (target ≤ 1.1), medians of interleaved runs.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>

#include "pgcpp/bench/benchmark_report.h"
#include "pgcpp/bench/typed_fetch.h"
#include "pgcpp/testing/benchmark_dsn.h"

namespace {

// $PGCPP_BENCH_ROWS overrides the row count (e.g. for a run under callgrind).
int64_t rows() {
  const char* env = std::getenv("PGCPP_BENCH_ROWS");
  return env ? std::atoll(env) : 1'000'000;
}

void BM_TypedFetch_Text(benchmark::State& state) {
  pgcpp::bench::run_benchmark(state, pgcpp::bench::typed_fetch(pgcpp::testing::benchmark_dsn(),
                                                               rows(), pgcpp::Format::kText));
}
BENCHMARK(BM_TypedFetch_Text)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_TypedFetch_Binary(benchmark::State& state) {
  pgcpp::bench::run_benchmark(state, pgcpp::bench::typed_fetch(pgcpp::testing::benchmark_dsn(),
                                                               rows(), pgcpp::Format::kBinary));
}
BENCHMARK(BM_TypedFetch_Binary)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
