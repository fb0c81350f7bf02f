// The pool's costs: getconn/putconn without contention, and PERFORMANCE.md's
// W5 workload (8 clients running pgbench's SELECT through the pool) against
// `pgbench -S -c 8 -j 2 -M prepared` on the same server in the same run.
//
//   bazel run -c opt //pool:pool_benchmark
//   PGCPP_POOL_BENCH_SECONDS=10 bazel run -c opt //pool:pool_benchmark --
//       --benchmark_filter=PoolVsPgbench   (seconds per round; 3 rounds of each)
//
// Until //core has prepared statements, the pooled clients prepare the
// statement once per connection (the `configure` callback) and run it with
// PQsendQueryPrepared, driven as an Operation under the connection's lock
// (Connection::run), the same protocol exchange as pgbench's -M prepared. The
// connections are in autocommit, as pgbench -S is: one round trip per query.
#include <benchmark/benchmark.h>
#include <sys/wait.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "pgcpp/core/base_connection.h"
#include "pgcpp/core/connection.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/core/operation.h"
#include "pgcpp/core/pq.h"
#include "pgcpp/pool/connection_pool.h"
#include "pgcpp/testing/benchmark_dsn.h"

namespace pgcpp {
namespace {

constexpr char kStatementName[] = "select_abalance";
constexpr char kSelect[] = "SELECT abalance FROM pgbench_accounts WHERE aid = $1";
constexpr int kScale = 10;
constexpr int kAccounts = 100000 * kScale;
constexpr int kClients = 8;
constexpr int kRounds = 3;

// --- Queries on a pooled connection (until the Cursor and prepared statements land) ---

PGresultPtr last_result(std::vector<PGresultPtr> results, ExecStatusType expected, PGconn* conn) {
  if (results.empty()) throw OperationalError("the connection is closed");
  PGresultPtr last = std::move(results.back());
  if (PQresultStatus(last.get()) == PGRES_FATAL_ERROR) errors::raise_from_result(last.get(), conn);
  if (PQresultStatus(last.get()) != expected) {
    throw InterfaceError(std::string("unexpected result ") +
                         PQresStatus(PQresultStatus(last.get())));
  }
  return last;
}

Operation<void> prepare_select(BaseConnection& base) {
  PGconn* conn = base.checked_pgconn();
  if (PQsendPrepare(conn, kStatementName, kSelect, 1, nullptr) == 0) {
    throw OperationalError("sending prepare failed: " + connection_error_message(conn));
  }
  last_result(co_await base.execute_sent(), PGRES_COMMAND_OK, conn);
}

Operation<int> select_abalance(BaseConnection& base, int aid) {
  PGconn* conn = base.checked_pgconn();
  char text[16];
  *std::to_chars(text, text + sizeof text - 1, aid).ptr = '\0';
  const char* values[] = {text};
  if (PQsendQueryPrepared(conn, kStatementName, 1, values, nullptr, nullptr, 0) == 0) {
    throw OperationalError("sending query failed: " + connection_error_message(conn));
  }
  PGresultPtr result = last_result(co_await base.execute_sent(), PGRES_TUPLES_OK, conn);
  co_return std::atoi(PQgetvalue(result.get(), 0, 0));
}

// --- pgbench ---

std::string shell_quote(const std::string& s) {
  std::string quoted = "'";
  for (char c : s) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string pgbench() {
  const char* bindir = std::getenv("PGCPP_PG_BINDIR");
  return std::string(bindir != nullptr && *bindir != '\0' ? bindir : "/usr/lib/postgresql/15/bin") +
         "/pgbench";
}

std::string run_command(const std::string& command) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run " + command);
  std::string output;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  const int status = ::pclose(pipe);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error(command + " failed:\n" + output);
  }
  return output;
}

// `pgbench -i -s 10`, unless the tables are already there at that scale.
void ensure_pgbench_tables(const std::string& dsn) {
  Connection conn = Connection::connect(dsn, {.autocommit = true});
  auto value = [&](const std::string& sql) {
    PGresultPtr result = conn.run(conn.base().exec_query(sql));
    return std::string(PQgetvalue(result.get(), 0, 0));
  };
  if (value("SELECT to_regclass('pgbench_branches') IS NOT NULL") == "t" &&
      value("SELECT count(*) FROM pgbench_branches") == std::to_string(kScale)) {
    return;
  }
  run_command(pgbench() + " -i -q -s " + std::to_string(kScale) + " " + shell_quote(dsn));
}

double pgbench_tps(const std::string& dsn, int seconds) {
  const std::string output =
      run_command(pgbench() + " -n -S -c " + std::to_string(kClients) + " -j 2 -M prepared -T " +
                  std::to_string(seconds) + " " + shell_quote(dsn));
  std::smatch match;
  if (!std::regex_search(output, match, std::regex(R"(tps = ([0-9.]+) \(without initial)"))) {
    throw std::runtime_error("no tps in pgbench's output:\n" + output);
  }
  return std::stod(match[1]);
}

// kClients threads running the SELECT through the pool for `seconds`.
double pool_tps(ConnectionPool& pool, int seconds) {
  std::atomic<long long> transactions{0};
  const Clock::time_point start = Clock::now();
  const Clock::time_point end = start + std::chrono::seconds(seconds);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      std::minstd_rand random(static_cast<unsigned>(c + 1));
      std::uniform_int_distribution<int> aid(1, kAccounts);
      long long done = 0;
      long long checksum = 0;
      while (Clock::now() < end) {
        PooledConnection conn = pool.connection();
        checksum += conn->run(select_abalance(conn->base(), aid(random)));
        ++done;
      }
      benchmark::DoNotOptimize(checksum);
      transactions += done;
    });
  }
  for (std::thread& t : clients) t.join();
  return static_cast<double>(transactions) /
         std::chrono::duration<double>(Clock::now() - start).count();
}

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

// W5: the TPS of both, alternating kRounds times so that drift on a shared machine hits both.
void BM_PoolVsPgbench(benchmark::State& state) {
  const std::string& dsn = testing::benchmark_dsn();
  ensure_pgbench_tables(dsn);
  ConnectionPool pool(dsn,
                      {.min_size = kClients,
                       .configure = [](Connection& conn) { conn.run(prepare_select(conn.base())); },
                       .connect_options = {.autocommit = true}});
  pool.wait();
  const int seconds = bench_seconds();
  for (auto _ : state) {
    double pgbench_total = 0;
    double pool_total = 0;
    for (int round = 0; round < kRounds; ++round) {
      pgbench_total += pgbench_tps(dsn, seconds);
      pool_total += pool_tps(pool, seconds);
    }
    state.counters["pgbench_tps"] = pgbench_total / kRounds;
    state.counters["pool_tps"] = pool_total / kRounds;
    state.counters["ratio"] = pool_total / pgbench_total;
  }
}
BENCHMARK(BM_PoolVsPgbench)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace
}  // namespace pgcpp
