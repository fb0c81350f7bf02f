// The pool's costs: getconn/putconn without contention, and PERFORMANCE.md's
// W5 workload (8 clients running pgbench's SELECT through the pool, prepared by
// the connections' PreparedStatements) against `pgbench -S -c 8 -j 2 -M prepared`
// on the same server in the same run (bench/pool_select.h).
//
//   bazel run -c opt //pool:pool_benchmark
//   PGCPP_POOL_BENCH_SECONDS=10 bazel run -c opt //pool:pool_benchmark --
//       --benchmark_filter=PoolVsPgbench   (seconds per run; 3 runs of each side)
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "pgcpp/bench/benchmark_report.h"
#include "pgcpp/bench/pool_select.h"
#include "pgcpp/core/connection.h"
#include "pgcpp/pool/connection_pool.h"
#include "pgcpp/testing/benchmark_dsn.h"

namespace pgcpp {
namespace {

constexpr int kRounds = 3;

int bench_seconds() {
  const char* value = std::getenv("PGCPP_POOL_BENCH_SECONDS");
  return value != nullptr && std::atoi(value) > 0 ? std::atoi(value) : 5;
}

// --- Benchmarks ---

void BM_GetconnPutconn(benchmark::State& state) {
  ConnectionPool pool(testing::benchmark_dsn(), {.min_size = 1});
  pool.wait();
  for (auto _ : state) {
    Connection conn = pool.getconn();
    pool.putconn(std::move(conn));
  }
}
BENCHMARK(BM_GetconnPutconn);

// The guard adds a COMMIT that does nothing on an idle connection.
void BM_ConnectionGuard(benchmark::State& state) {
  ConnectionPool pool(testing::benchmark_dsn(), {.min_size = 1});
  pool.wait();
  for (auto _ : state) {
    PooledConnection conn = pool.connection();
    benchmark::DoNotOptimize(&*conn);
  }
}
BENCHMARK(BM_ConnectionGuard);

// 8 threads sharing 4 connections: the cost of waiting and handing over.
void BM_GetconnPutconnContended(benchmark::State& state) {
  static ConnectionPool* pool = nullptr;
  if (state.thread_index() == 0) {
    pool = new ConnectionPool(testing::benchmark_dsn(), {.min_size = 4});
    pool->wait();
  }
  for (auto _ : state) {
    Connection conn = pool->getconn();
    pool->putconn(std::move(conn));
  }
  if (state.thread_index() == 0) {
    delete pool;
    pool = nullptr;
  }
}
BENCHMARK(BM_GetconnPutconnContended)->Threads(8)->UseRealTime();

// W5: both sides alternately, kRounds runs each, so that drift on a shared machine hits both.
void BM_PoolVsPgbench(benchmark::State& state) {
  bench::run_benchmark(state, bench::pool_select(testing::benchmark_dsn(), bench_seconds()),
                       kRounds);
}
BENCHMARK(BM_PoolVsPgbench)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace
}  // namespace pgcpp
