#include "pgcpp/bench/pool_select.h"

#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <regex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "pgcpp/core/connection.h"
#include "pgcpp/pool/connection_pool.h"

namespace pgcpp::bench {
namespace {

constexpr char kSelect[] = "SELECT abalance FROM pgbench_accounts WHERE aid = %s";
constexpr int kScale = 10;
constexpr int kAccounts = 100000 * kScale;
constexpr int kClients = 8;

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
  auto exists =
      conn.execute("SELECT to_regclass('pgbench_branches') IS NOT NULL").fetchone(scalar_row<bool>);
  if (exists == true &&
      conn.execute("SELECT count(*) FROM pgbench_branches").fetchone(scalar_row<int64_t>) ==
          kScale) {
    return;
  }
  run_command(pgbench() + " -i -q -s " + std::to_string(kScale) + " " + shell_quote(dsn));
}

std::string match(const std::string& output, const char* pattern) {
  std::smatch m;
  if (!std::regex_search(output, m, std::regex(pattern))) {
    throw std::runtime_error(std::string("no '") + pattern + "' in pgbench's output:\n" + output);
  }
  return m[1];
}

SideResult run_pgbench(const std::string& dsn, int seconds) {
  const std::string output =
      run_command(pgbench() + " -n -S -c " + std::to_string(kClients) + " -j 2 -M prepared -T " +
                  std::to_string(seconds) + " " + shell_quote(dsn));
  SideResult r;
  r.units = std::stoll(match(output, R"(number of transactions actually processed: (\d+))"));
  const double tps = std::stod(match(output, R"(tps = ([0-9.]+) \(without initial)"));
  r.seconds = tps > 0 ? static_cast<double>(r.units) / tps : 0;
  r.checked = false;
  return r;
}

// kClients threads running the SELECT through the pool for `seconds`.
SideResult run_pool(ConnectionPool& pool, int seconds) {
  std::atomic<int64_t> transactions{0};
  std::atomic<uint64_t> checksum{0};
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      std::minstd_rand random(static_cast<unsigned>(c + 1));
      std::uniform_int_distribution<int> aid(1, kAccounts);
      int64_t done = 0;
      uint64_t sum = 0;
      while (std::chrono::steady_clock::now() < end) {
        PooledConnection conn = pool.connection();
        sum = fold(sum, static_cast<uint64_t>(
                            conn->execute(kSelect, aid(random)).fetchone(scalar_row<int>).value()));
        ++done;
      }
      transactions += done;
      checksum += sum;
    });
  }
  for (std::thread& t : clients) t.join();
  SideResult r;
  r.units = transactions;
  r.checksum = checksum;
  r.checked = false;
  return r;
}

}  // namespace

Workload pool_select(std::string dsn, int seconds) {
  auto pool = std::make_shared<std::unique_ptr<ConnectionPool>>();
  Workload w;
  w.name = "W5 pool, " + std::to_string(kClients) + " clients";
  w.unit = "transactions";
  w.reference_name = "pgbench";
  w.setup = [pool, dsn] {
    ensure_pgbench_tables(dsn);
    *pool = std::make_unique<ConnectionPool>(
        dsn, PoolOptions{.min_size = kClients, .connect_options = {.autocommit = true}});
    (*pool)->wait();
  };
  w.pgcpp = [pool, seconds] { return run_pool(**pool, seconds); };
  w.reference = [dsn, seconds] { return run_pgbench(dsn, seconds); };
  return w;
}

}  // namespace pgcpp::bench
