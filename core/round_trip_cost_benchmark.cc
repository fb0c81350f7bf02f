// Client instructions per round trip, pgcpp vs libpq, for callgrind: each
// benchmark runs a few warm-up queries, then counts only its measured loop
// (callgrind's collection is toggled around it), so that
//
//   bazel build -c opt //core:round_trip_cost_benchmark
//   valgrind --tool=callgrind --collect-atstart=no
//       bazel-bin/core/round_trip_cost_benchmark --benchmark_filter=W4_Pgcpp
//
// reports (Ir) the client work of 2000 queries: W4's prepared
// `SELECT $1::int4 + 1` (bench/round_trips.cc) and the unprepared round trip
// of round_trip_benchmark.cc, each with its libpq reference. Without valgrind
// the toggles do nothing and the benchmarks just time the loops.
#include <benchmark/benchmark.h>
#include <libpq-fe.h>
#include <valgrind/callgrind.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "pgcpp/core/connection.h"
#include "pgcpp/testing/benchmark_dsn.h"

namespace {

constexpr int kWarmUp = 20;  // past prepare_threshold
constexpr int kQueries = 2000;

PGconn* libpq_connect() {
  PGconn* conn = PQconnectdb(pgcpp::testing::benchmark_dsn().c_str());
  if (PQstatus(conn) != CONNECTION_OK) throw std::runtime_error(PQerrorMessage(conn));
  return conn;
}

// Runs `query(i)` kWarmUp times uncounted, then kQueries times counted.
template <class Query>
void counted(benchmark::State& state, Query&& query) {
  int64_t sum = 0;
  for (auto _ : state) {
    for (int i = 0; i < kWarmUp; ++i) sum += query(i);
    CALLGRIND_TOGGLE_COLLECT;
    for (int i = 0; i < kQueries; ++i) sum += query(i);
    CALLGRIND_TOGGLE_COLLECT;
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations() * kQueries);
}

void BM_W4_Pgcpp(benchmark::State& state) {
  auto conn = pgcpp::Connection::connect(pgcpp::testing::benchmark_dsn(), {.autocommit = true});
  pgcpp::Cursor cur = conn.cursor();
  counted(state, [&](int i) {
    cur.execute("SELECT %s::int4 + 1", static_cast<int32_t>(i));
    return *cur.fetchone(pgcpp::scalar_row<int32_t>);
  });
}
BENCHMARK(BM_W4_Pgcpp)->Iterations(1);

void BM_W4_Libpq(benchmark::State& state) {
  PGconn* conn = libpq_connect();
  PQclear(PQprepare(conn, "w4", "SELECT $1::int4 + 1", 1, nullptr));
  counted(state, [&](int i) {
    char text[16];
    const char* values[] = {text};
    std::snprintf(text, sizeof text, "%d", i);
    PGresult* res = PQexecPrepared(conn, "w4", 1, values, nullptr, nullptr, 0);
    int out = std::atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return out;
  });
  PQfinish(conn);
}
BENCHMARK(BM_W4_Libpq)->Iterations(1);

void BM_RoundTrip_Pgcpp(benchmark::State& state) {
  auto conn = pgcpp::Connection::connect(pgcpp::testing::benchmark_dsn(), {.autocommit = true});
  pgcpp::Cursor cur = conn.cursor();
  counted(state, [&](int i) {
    cur.execute({.prepare = false}, "SELECT %s::int4 + 1", i);
    return *cur.fetchone(pgcpp::scalar_row<int>);
  });
}
BENCHMARK(BM_RoundTrip_Pgcpp)->Iterations(1);

void BM_RoundTrip_Libpq(benchmark::State& state) {
  PGconn* conn = libpq_connect();
  counted(state, [&](int i) {
    std::string text = std::to_string(i);
    const char* params[] = {text.c_str()};
    PGresult* res =
        PQexecParams(conn, "SELECT $1::int4 + 1", 1, nullptr, params, nullptr, nullptr, 0);
    int out = std::stoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return out;
  });
  PQfinish(conn);
}
BENCHMARK(BM_RoundTrip_Libpq)->Iterations(1);

}  // namespace
