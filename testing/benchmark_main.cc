// main() for pg_cc_benchmark binaries: Google Benchmark's, plus choosing the
// server (see benchmark_dsn.h).
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>

#include "benchmark/benchmark.h"
#include "pgcpp/testing/benchmark_dsn.h"
#include "pgcpp/testing/conninfo.h"
#include "pgcpp/testing/ephemeral_server.h"

namespace pgcpp::testing {
namespace {

struct BenchmarkServer {
  std::string dsn;
  std::string origin;  // where the DSN came from, for the banner
  std::unique_ptr<EphemeralServer> server;
};

const BenchmarkServer& benchmark_server() {
  static const BenchmarkServer chosen = [] {
    for (const char* variable : {"PGCPP_BENCH_DSN", "PGCPP_TEST_DSN"}) {
      if (const char* value = std::getenv(variable); value != nullptr && *value != '\0') {
        return BenchmarkServer{value, std::string("$") + variable, nullptr};
      }
    }
    auto server = std::make_unique<EphemeralServer>();
    return BenchmarkServer{server->dsn(),
                           "an ephemeral server, pid " + std::to_string(server->pid()) +
                               ", data in " + server->data_dir(),
                           std::move(server)};
  }();
  return chosen;
}

}  // namespace

const std::string& benchmark_dsn() { return benchmark_server().dsn; }

}  // namespace pgcpp::testing

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  try {
    const auto& server = pgcpp::testing::benchmark_server();
    // Without the password: the banner ends up in logs.
    const std::string shown =
        pgcpp::testing_internal::conninfo_get(server.dsn, "password").empty()
            ? server.dsn
            : pgcpp::testing_internal::conninfo_with(server.dsn, {{"password", ""}});
    std::fprintf(stderr, "pgcpp benchmarks: server %s (%s)\n", shown.c_str(),
                 server.origin.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pgcpp benchmarks: no server: %s\n", e.what());
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
