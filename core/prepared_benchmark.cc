// W4: 20,000 prepared `SELECT $1::int4 + 1` round trips through a Cursor
// (prepared by the connection's PreparedStatements) against PQexecPrepared in
// a loop, on the same server (bench/round_trips.h). Target ratio: >= 0.95.
//
//   bazel run -c opt //core:prepared_benchmark
#include <benchmark/benchmark.h>

#include "pgcpp/bench/benchmark_report.h"
#include "pgcpp/bench/round_trips.h"
#include "pgcpp/testing/benchmark_dsn.h"

namespace {

void BM_W4_PreparedRoundTrips(benchmark::State& state) {
  pgcpp::bench::run_benchmark(state,
                              pgcpp::bench::round_trips(pgcpp::testing::benchmark_dsn(), 20000));
}
BENCHMARK(BM_W4_PreparedRoundTrips)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
