// Round trips and connections through pgcpp vs raw libpq, in the same binary
// against the same server (bazel run -c opt //core:round_trip_benchmark).
//
// The *_Interleaved benchmarks alternate the two clients iteration by
// iteration (and which one goes first) and report `ratio` = pgcpp throughput /
// libpq throughput, so the noise of a shared machine hits both sides alike.
// Target (issue 4): ≥ 0.95.
#include <benchmark/benchmark.h>
#include <libpq-fe.h>

#include <chrono>
#include <stdexcept>
#include <string>

#include "pgcpp/core/connection.h"
#include "pgcpp/testing/benchmark_dsn.h"

namespace {

using Clock = std::chrono::steady_clock;
const char* const kLibpqQuery = "SELECT $1::int4 + 1";
const char* const kPgcppQuery = "SELECT %s::int4 + 1";

PGconn* libpq_connect() {
  PGconn* conn = PQconnectdb(pgcpp::testing::benchmark_dsn().c_str());
  if (PQstatus(conn) != CONNECTION_OK) throw std::runtime_error(PQerrorMessage(conn));
  return conn;
}

int libpq_round_trip(PGconn* conn, int value) {
  std::string text = std::to_string(value);
  const char* params[] = {text.c_str()};
  PGresult* res = PQexecParams(conn, kLibpqQuery, 1, nullptr, params, nullptr, nullptr, 0);
  int out = std::stoi(PQgetvalue(res, 0, 0));
  PQclear(res);
  return out;
}

int pgcpp_round_trip(pgcpp::Cursor& cur, int value) {
  cur.execute({.prepare = false}, kPgcppQuery, value);  // like PQexecParams (W4 prepares)
  return *cur.fetchone(pgcpp::scalar_row<int>);
}

void BM_RoundTrip_Libpq(benchmark::State& state) {
  PGconn* conn = libpq_connect();
  int v = 0;
  for (auto _ : state) v = libpq_round_trip(conn, v);
  benchmark::DoNotOptimize(v);
  PQfinish(conn);
}
BENCHMARK(BM_RoundTrip_Libpq)->UseRealTime();

void BM_RoundTrip_Pgcpp(benchmark::State& state) {
  auto conn = pgcpp::Connection::connect(pgcpp::testing::benchmark_dsn(), {.autocommit = true});
  pgcpp::Cursor cur = conn.cursor();
  int v = 0;
  for (auto _ : state) v = pgcpp_round_trip(cur, v);
  benchmark::DoNotOptimize(v);
}
BENCHMARK(BM_RoundTrip_Pgcpp)->UseRealTime();

// Runs `a` and `b` alternately, reporting each one's mean time and the ratio.
template <class A, class B>
void interleave(benchmark::State& state, A&& libpq, B&& pgcpp) {
  Clock::duration libpq_time{}, pgcpp_time{};
  bool libpq_first = true;  // alternate, so neither always follows the other
  auto timed = [](auto& run, Clock::duration& total) {
    auto start = Clock::now();
    run();
    total += Clock::now() - start;
  };
  for (auto _ : state) {
    if (libpq_first) {
      timed(libpq, libpq_time);
      timed(pgcpp, pgcpp_time);
    } else {
      timed(pgcpp, pgcpp_time);
      timed(libpq, libpq_time);
    }
    libpq_first = !libpq_first;
  }
  double n = static_cast<double>(state.iterations());
  state.counters["libpq_us"] = std::chrono::duration<double, std::micro>(libpq_time).count() / n;
  state.counters["pgcpp_us"] = std::chrono::duration<double, std::micro>(pgcpp_time).count() / n;
  state.counters["ratio"] = std::chrono::duration<double>(libpq_time).count() /
                            std::chrono::duration<double>(pgcpp_time).count();
}

void BM_RoundTrip_Interleaved(benchmark::State& state) {
  PGconn* raw = libpq_connect();
  auto conn = pgcpp::Connection::connect(pgcpp::testing::benchmark_dsn(), {.autocommit = true});
  pgcpp::Cursor cur = conn.cursor();
  int a = 0, b = 0;
  interleave(
      state, [&] { a = libpq_round_trip(raw, a); }, [&] { b = pgcpp_round_trip(cur, b); });
  if (a != b) state.SkipWithError("the two clients disagree");
  PQfinish(raw);
}
BENCHMARK(BM_RoundTrip_Interleaved)->UseRealTime();

void BM_Connect_Interleaved(benchmark::State& state) {
  interleave(
      state, [] { PQfinish(libpq_connect()); },
      [] { pgcpp::Connection::connect(pgcpp::testing::benchmark_dsn()).close(); });
}
BENCHMARK(BM_Connect_Interleaved)->UseRealTime()->Iterations(200);

}  // namespace
