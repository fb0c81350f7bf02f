// Runs a Workload as a Google Benchmark: one iteration holding the whole
// comparison, reported as counters (ratio, cpu_ratio, both sides' throughput).
//
//   void BM_W4(benchmark::State& state) {
//     pgcpp::bench::run_benchmark(state, pgcpp::bench::round_trips(benchmark_dsn(), 20000));
//   }
//   BENCHMARK(BM_W4)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
#ifndef PGCPP_BENCH_BENCHMARK_REPORT_H_
#define PGCPP_BENCH_BENCHMARK_REPORT_H_

#include <benchmark/benchmark.h>

#include "pgcpp/bench/workload.h"

namespace pgcpp::bench {

// Compares the two sides `repetitions` times; a disagreement skips the
// benchmark with the error.
void run_benchmark(benchmark::State& state, const Workload& workload, int repetitions = 5);

}  // namespace pgcpp::bench

#endif  // PGCPP_BENCH_BENCHMARK_REPORT_H_
