// W2, COPY in: pgcpp's Copy::write_row vs raw libpq PQputCopyData, in the same binary
// against the same server (bazel run -c opt //core:copy_benchmark). Target (issue 5):
// ratio ≥ 0.95.
#include <benchmark/benchmark.h>

#include "pgcpp/bench/benchmark_report.h"
#include "pgcpp/bench/copy_in.h"
#include "pgcpp/testing/benchmark_dsn.h"

namespace {

void BM_W2_CopyIn(benchmark::State& state) {
  // 9 runs a side: the server does nearly all the work, and its timing on a shared
  // machine swings by ±20% from run to run.
  pgcpp::bench::run_benchmark(state,
                              pgcpp::bench::copy_in(pgcpp::testing::benchmark_dsn(), 1000000), 9);
}
BENCHMARK(BM_W2_CopyIn)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
