// W3: executemany of 10000 single-row INSERTs in one transaction through
// pgcpp's pipeline vs raw libpq pipeline mode, same binary, same server
// (bazel run -c opt //core:pipeline_benchmark). Target (issue 5): ratio ≥ 0.9.
#include <benchmark/benchmark.h>

#include "pgcpp/bench/batch_insert.h"
#include "pgcpp/bench/benchmark_report.h"
#include "pgcpp/testing/benchmark_dsn.h"

namespace {

void BM_W3_BatchInsert(benchmark::State& state) {
  pgcpp::bench::run_benchmark(
      state, pgcpp::bench::batch_insert(pgcpp::testing::benchmark_dsn(), 10000), 11);
}
BENCHMARK(BM_W3_BatchInsert)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
