// The server a pgcpp benchmark runs against, for binaries built with
// pg_cc_benchmark (testing/defs.bzl), whose main() is //testing:benchmark_main.
//
//   static void BM_SelectOne(benchmark::State& state) {
//     PGconn* conn = PQconnectdb(pgcpp::testing::benchmark_dsn().c_str());
//     for (auto _ : state) PQclear(PQexec(conn, "SELECT 1"));
//     PQfinish(conn);
//   }
//   BENCHMARK(BM_SelectOne);
//
// The server is $PGCPP_BENCH_DSN, else $PGCPP_TEST_DSN, else an
// EphemeralServer started for the run (stopped at exit). main() prints which
// one to stderr before the benchmarks run.
#ifndef PGCPP_TESTING_BENCHMARK_DSN_H_
#define PGCPP_TESTING_BENCHMARK_DSN_H_

#include <string>

namespace pgcpp::testing {

// The benchmark server's DSN (database "postgres" on an ephemeral server).
// Throws std::runtime_error when the ephemeral server cannot start.
const std::string& benchmark_dsn();

}  // namespace pgcpp::testing

#endif  // PGCPP_TESTING_BENCHMARK_DSN_H_
