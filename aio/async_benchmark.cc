// N queries over K connections on one EventLoop vs the same N queries through
// one sync Connection, one after another (bazel run -c opt //aio:async_benchmark).
//
// Each query is a round trip plus a little server time (pg_sleep(0.0005)):
// the loop overlaps the K connections' waits, so queries/s grows with K until
// the server or the client's single thread saturates; the sync side pays
// every round trip in turn. `queries_per_second` is the figure to compare.
// With sleep=0 and one connection the two sides do the same work, so their
// ratio is the event loop's overhead per query.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "pgcpp/adapt/row.h"
#include "pgcpp/aio/async_connection.h"
#include "pgcpp/aio/event_loop.h"
#include "pgcpp/aio/task.h"
#include "pgcpp/aio/when_all.h"
#include "pgcpp/core/connection.h"
#include "pgcpp/testing/benchmark_dsn.h"

namespace {

constexpr int kQueries = 400;
// Arg `sleep`: 1 adds a little server time to each query, 0 is a bare round
// trip (the loop's own cost against the sync driver's).
const char* query(int64_t sleep) {
  return sleep ? "SELECT %s::int4 FROM pg_sleep(0.0005)" : "SELECT %s::int4";
}

pgcpp::Task<void> worker(pgcpp::AsyncConnection& conn, const char* sql, int queries,
                         int64_t& checksum) {
  pgcpp::AsyncCursor cur = conn.cursor();
  for (int i = 0; i < queries; ++i) {
    co_await cur.execute(sql, i);
    checksum += std::get<0>(*cur.fetchone(pgcpp::typed_row<int>));
  }
}

void BM_AsyncQueriesOverConnections(benchmark::State& state) {
  const int connections = static_cast<int>(state.range(0));
  pgcpp::EventLoop loop;
  std::vector<std::unique_ptr<pgcpp::AsyncConnection>> conns;
  loop.run([&]() -> pgcpp::Task<void> {
    for (int i = 0; i < connections; ++i) {
      conns.push_back(
          std::make_unique<pgcpp::AsyncConnection>(co_await pgcpp::AsyncConnection::connect(
              pgcpp::testing::benchmark_dsn(), {.autocommit = true})));
    }
  }());
  int64_t checksum = 0;
  for (auto _ : state) {
    std::vector<pgcpp::Task<void>> workers;
    for (int i = 0; i < connections; ++i) {
      workers.push_back(worker(*conns[static_cast<size_t>(i)], query(state.range(1)),
                               kQueries / connections, checksum));
    }
    loop.run(pgcpp::when_all(std::move(workers)));
  }
  benchmark::DoNotOptimize(checksum);
  state.counters["queries_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * (kQueries / connections) * connections,
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_AsyncQueriesOverConnections)
    ->ArgNames({"connections", "sleep"})
    ->ArgsProduct({{1, 4, 16}, {0, 1}})
    ->UseRealTime();

void BM_SyncQueriesSequential(benchmark::State& state) {
  pgcpp::Connection conn =
      pgcpp::Connection::connect(pgcpp::testing::benchmark_dsn(), {.autocommit = true});
  pgcpp::Cursor cur = conn.cursor();
  int64_t checksum = 0;
  for (auto _ : state) {
    for (int i = 0; i < kQueries; ++i) {
      cur.execute(query(state.range(0)), i);
      checksum += std::get<0>(*cur.fetchone(pgcpp::typed_row<int>));
    }
  }
  benchmark::DoNotOptimize(checksum);
  state.counters["queries_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * kQueries, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SyncQueriesSequential)->ArgName("sleep")->Arg(0)->Arg(1)->UseRealTime();

}  // namespace
