#include "pgcpp/bench/benchmark_report.h"

#include <exception>

namespace pgcpp::bench {

void run_benchmark(benchmark::State& state, const Workload& workload, int repetitions) {
  for (auto _ : state) {
    try {
      Comparison c = compare(workload, {.repetitions = repetitions});
      state.counters["ratio"] = c.ratio;
      state.counters["cpu_ratio"] = c.cpu_ratio;
      state.counters["pgcpp_per_s"] = c.pgcpp.units_per_second;
      state.counters[c.reference_name + "_per_s"] = c.reference.units_per_second;
      state.counters["pgcpp_cpu_s"] = c.pgcpp.median_cpu_seconds;
      state.counters[c.reference_name + "_cpu_s"] = c.reference.median_cpu_seconds;
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
    }
  }
}

}  // namespace pgcpp::bench
