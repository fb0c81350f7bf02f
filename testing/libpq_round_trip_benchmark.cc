// Raw libpq round trips: the 1.0x reference for pgcpp's round-trip benchmarks
// (PERFORMANCE.md, W4), and a check that benchmark_main provides a server.
#include <libpq-fe.h>

#include <memory>
#include <string>

#include "benchmark/benchmark.h"
#include "pgcpp/testing/benchmark_dsn.h"

namespace {

using Connection = std::unique_ptr<PGconn, decltype(&PQfinish)>;

Connection connect_or_skip(benchmark::State& state) {
  Connection conn(PQconnectdb(pgcpp::testing::benchmark_dsn().c_str()), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) state.SkipWithError(PQerrorMessage(conn.get()));
  return conn;
}

void BM_LibpqSelectOne(benchmark::State& state) {
  Connection conn = connect_or_skip(state);
  for (auto _ : state) {
    PGresult* result = PQexec(conn.get(), "SELECT 1");
    if (PQresultStatus(result) != PGRES_TUPLES_OK) state.SkipWithError(PQerrorMessage(conn.get()));
    PQclear(result);
  }
}
BENCHMARK(BM_LibpqSelectOne);

void BM_LibpqPreparedRoundTrip(benchmark::State& state) {
  Connection conn = connect_or_skip(state);
  PQclear(PQprepare(conn.get(), "plus_one", "SELECT $1::int4 + 1", 1, nullptr));
  int value = 0;
  for (auto _ : state) {
    const std::string text = std::to_string(value);
    const char* params[] = {text.c_str()};
    PGresult* result = PQexecPrepared(conn.get(), "plus_one", 1, params, nullptr, nullptr, 0);
    if (PQresultStatus(result) != PGRES_TUPLES_OK) state.SkipWithError(PQerrorMessage(conn.get()));
    value = std::atoi(PQgetvalue(result, 0, 0));
    PQclear(result);
  }
  benchmark::DoNotOptimize(value);
}
BENCHMARK(BM_LibpqPreparedRoundTrip);

}  // namespace
