// The pool against real faults: a server stopped and restarted under load,
// connections cut by a proxy.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "pgcpp/core/errors.h"
#include "pgcpp/pool/connection_pool.h"
#include "pgcpp/pool/errors.h"
#include "pgcpp/pool/pool_test_util.h"
#include "pgcpp/testing/database.h"
#include "pgcpp/testing/ephemeral_server.h"
#include "pgcpp/testing/fault_proxy.h"

namespace pgcpp {
namespace {

using ::pgcpp::pool_testing::admin_execute;
using ::pgcpp::pool_testing::admin_value;
using ::pgcpp::pool_testing::eventually;
using ::pgcpp::pool_testing::execute;
using ::pgcpp::pool_testing::query_value;
using ::pgcpp::pool_testing::stat;
using std::chrono::milliseconds;
using std::chrono::seconds;

// 16 clients write pairs of rows, one transaction per pair, while the server is
// stopped and started again. Every getconn() returns or fails within its timeout
// (plus scheduling slack), the pool replaces the connections the restart broke,
// the clients succeed again after the restart, and no pair is half-written.
TEST(PoolFaultTest, SurvivesAServerRestartUnderLoad) {
  constexpr int kClients = 16;
  constexpr auto kTimeout = milliseconds(1500);
  constexpr auto kSlack = milliseconds(1500);  // scheduling on 2 shared cores
  pgcpp::testing::EphemeralServer server;
  admin_execute(server.dsn(), "CREATE TABLE pairs (client int, seq int, part int)");
  ConnectionPool pool(server.dsn(), {.min_size = 4, .max_size = 8, .timeout = kTimeout});
  pool.wait(seconds(10));

  std::atomic<bool> stop{false};
  std::atomic<bool> restarted{false};
  std::atomic<int> successes_after_restart{0};
  std::mutex mu;
  std::vector<std::pair<int, int>> acknowledged;  // (client, seq) whose commit returned
  std::atomic<long long> slowest_getconn_ms{0};
  std::atomic<long long> slowest_failure_ms{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      for (int seq = 0; !stop; ++seq) {
        const auto started = Clock::now();
        try {
          PooledConnection conn = pool.connection();
          const auto got = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
          slowest_getconn_ms = std::max<long long>(slowest_getconn_ms, got.count());
          for (int part = 1; part <= 2; ++part) {
            execute(*conn, "INSERT INTO pairs VALUES (" + std::to_string(c) + ", " +
                               std::to_string(seq) + ", " + std::to_string(part) + ")");
          }
          // ~PooledConnection commits here.
        } catch (const OperationalError&) {
          const auto failed = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
          slowest_failure_ms = std::max<long long>(slowest_failure_ms, failed.count());
          std::this_thread::sleep_for(milliseconds(20));
          continue;
        }
        if (restarted) ++successes_after_restart;
        std::lock_guard<std::mutex> lock(mu);
        acknowledged.emplace_back(c, seq);
      }
    });
  }

  std::this_thread::sleep_for(milliseconds(500));
  server.stop();
  std::this_thread::sleep_for(milliseconds(1500));
  server.start();
  restarted = true;
  // Broken connections come back bad and are replaced; new connections succeed.
  const bool resumed =
      eventually([&] { return successes_after_restart >= 10 * kClients; }, seconds(15));
  stop = true;
  for (std::thread& t : clients) t.join();
  ASSERT_TRUE(resumed) << "only " << successes_after_restart << " transactions after the restart";

  EXPECT_LE(slowest_getconn_ms, (kTimeout + kSlack).count());
  EXPECT_LE(slowest_failure_ms, (kTimeout + kSlack).count());
  PoolStats stats = pool.get_stats();
  EXPECT_GE(stats["returns_bad"] + stats["connections_lost"], 1);
  EXPECT_LE(stats["pool_size"], 8);

  // No pair half-written; every acknowledged commit is there.
  Connection check = Connection::connect(server.dsn(), {.autocommit = true});
  EXPECT_EQ(query_value(check,
                        "SELECT count(*) FROM (SELECT client, seq FROM pairs GROUP BY client, seq "
                        "HAVING count(*) <> 2 OR min(part) <> 1 OR max(part) <> 2) AS bad"),
            "0");
  std::string values;
  for (const auto& [client, seq] : acknowledged) {
    values +=
        (values.empty() ? "(" : ", (") + std::to_string(client) + ", " + std::to_string(seq) + ")";
  }
  ASSERT_FALSE(values.empty());
  EXPECT_EQ(query_value(check, "SELECT count(*) FROM (VALUES " + values +
                                   ") AS ack (client, seq) LEFT JOIN (SELECT client, seq, count(*) "
                                   "AS n FROM pairs GROUP BY client, seq) AS p USING (client, seq) "
                                   "WHERE coalesce(p.n, 0) <> 2"),
            "0");
  EXPECT_GT(acknowledged.size(), static_cast<std::size_t>(10 * kClients));
}

class PoolProxyTest : public pgcpp::testing::DatabaseTest {
 protected:
  void SetUp() override {
    proxy_ = std::make_unique<pgcpp::testing::FaultProxy>(
        "127.0.0.1", std::stoi(admin_value(dsn(), "SHOW port")));
  }
  std::unique_ptr<pgcpp::testing::FaultProxy> proxy_;
};

TEST_F(PoolProxyTest, CutConnectionsAreReturnedBadAndReplaced) {
  ConnectionPool pool(proxy_->dsn(dsn()), {.min_size = 2});
  pool.wait(seconds(10));
  proxy_->cut_all();
  // Without a check, the first client to use a cut connection sees the error...
  int failures = 0;
  for (int i = 0; i < 2; ++i) {
    Connection conn = pool.getconn();
    try {
      query_value(conn, "SELECT 1");
    } catch (const OperationalError&) {
      ++failures;
    }
    EXPECT_TRUE(conn.broken());
    pool.putconn(std::move(conn));
  }
  EXPECT_EQ(failures, 2);
  EXPECT_EQ(stat(pool, "returns_bad"), 2);
  // ...and the pool replaces the connections.
  pool.wait(seconds(10));
  for (int i = 0; i < 4; ++i) {
    pool.connection([](Connection& conn) { EXPECT_EQ(query_value(conn, "SELECT 1"), "1"); });
  }
  EXPECT_EQ(stat(pool, "connections_num"), 4);
  EXPECT_EQ(proxy_->connection_count(), 2);
}

TEST_F(PoolProxyTest, WithACheckClientsNeverSeeACutConnection) {
  ConnectionPool pool(proxy_->dsn(dsn()),
                      {.min_size = 1, .check = ConnectionPool::check_connection});
  pool.wait(seconds(10));
  proxy_->cut_all();
  pool.connection([](Connection& conn) { EXPECT_EQ(query_value(conn, "SELECT 1"), "1"); });
  EXPECT_EQ(stat(pool, "connections_lost"), 1);
  EXPECT_EQ(stat(pool, "returns_bad"), 0);
}

TEST_F(PoolProxyTest, CheckFindsCutIdleConnections) {
  ConnectionPool pool(proxy_->dsn(dsn()), {.min_size = 3});
  pool.wait(seconds(10));
  proxy_->cut_all();
  pool.check();
  EXPECT_EQ(stat(pool, "connections_lost"), 3);
  pool.wait(seconds(10));
  EXPECT_EQ(proxy_->connection_count(), 3);
}

TEST_F(PoolProxyTest, AnUnreachableServerMakesClientsTimeOutNotHang) {
  ConnectionPool pool(
      proxy_->dsn(dsn()),
      {.min_size = 1, .timeout = milliseconds(300), .connect_options = {.connect_timeout = 2}});
  pool.wait(seconds(10));
  proxy_->set_black_hole(true);
  proxy_->cut_all();
  // The idle connection is dead; its replacement cannot connect.
  Connection dead = pool.getconn();
  EXPECT_THROW(query_value(dead, "SELECT 1"), OperationalError);
  pool.putconn(std::move(dead));
  const auto started = Clock::now();
  EXPECT_THROW(pool.getconn(), PoolTimeout);
  EXPECT_LT(Clock::now() - started, seconds(2));
  proxy_->set_black_hole(false);
  // The attempt under way fails (closed by the proxy, or connect_timeout), a retry gets through.
  pool.wait(seconds(10));
  pool.connection([](Connection& conn) { EXPECT_EQ(query_value(conn, "SELECT 1"), "1"); });
}

}  // namespace
}  // namespace pgcpp
