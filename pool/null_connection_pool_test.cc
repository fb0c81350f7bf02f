#include "pgcpp/pool/null_connection_pool.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "pgcpp/core/error_testing.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/pool/errors.h"
#include "pgcpp/pool/pool_test_util.h"
#include "pgcpp/testing/database.h"
#include "pgcpp/testing/fault_proxy.h"

namespace pgcpp {
namespace {

using ::pgcpp::core_testing::what_of;
using ::pgcpp::pool_testing::admin_value;
using ::pgcpp::pool_testing::eventually;
using ::pgcpp::pool_testing::query_value;
using ::pgcpp::pool_testing::stat;
using std::chrono::milliseconds;
using std::chrono::seconds;

class NullConnectionPoolTest : public pgcpp::testing::DatabaseTest {
 protected:
  void SetUp() override { app_ = "null_pool_test_" + std::to_string(++counter_); }

  PoolOptions options(PoolOptions base = {}) {
    base.connect_options.application_name = app_;
    return base;
  }
  int backends() {
    return std::stoi(admin_value(
        dsn(), "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + app_ + "'"));
  }
  // Which connection it is: its backend pid (addresses can be reused).
  static int id(const Connection& conn) { return conn.info().backend_pid(); }

  std::string app_;
  static inline int counter_ = 0;
};

TEST_F(NullConnectionPoolTest, SizesDefaultToNoLimitAndMinSizeMustBeZero) {
  NullConnectionPool pool(dsn(), {.open = false});
  EXPECT_EQ(pool.min_size(), 0);
  EXPECT_EQ(pool.max_size(), 0);
  EXPECT_EQ(what_of<std::invalid_argument>(
                [&] { NullConnectionPool bad(dsn(), {.min_size = 1, .open = false}); }),
            "null pools must have min_size = 0, got 1");
  EXPECT_EQ(what_of<std::invalid_argument>(
                [&] { NullConnectionPool bad(dsn(), {.max_size = -1, .open = false}); }),
            "max_size cannot be negative, got -1");
}

TEST_F(NullConnectionPoolTest, OpensNothingAndClosesWhatComesBack) {
  NullConnectionPool pool(dsn(), options());
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ(backends(), 0);
  Connection a = pool.getconn(seconds(10));
  Connection b = pool.getconn(seconds(10));
  EXPECT_EQ(query_value(a, "SELECT 1"), "1");
  EXPECT_EQ(backends(), 2);
  EXPECT_EQ(stat(pool, "pool_size"), 2);
  pool.putconn(std::move(a));
  pool.putconn(std::move(b));
  EXPECT_TRUE(eventually([&] { return backends() == 0; }));
  PoolStats stats = pool.get_stats();
  EXPECT_EQ(stats["pool_size"], 0);
  EXPECT_EQ(stats["pool_available"], 0);
  EXPECT_EQ(stats["connections_num"], 2);
  EXPECT_EQ(stats["requests_num"], 2);
  EXPECT_EQ(stats.count("requests_queued"), 0u);
}

TEST_F(NullConnectionPoolTest, AtMaxSizeAReturnedConnectionGoesToTheWaitingClient) {
  NullConnectionPool pool(dsn(), options({.max_size = 1}));
  Connection held = pool.getconn(seconds(10));
  const int held_id = id(held);
  int got = 0;
  std::thread waiter([&] {
    Connection conn = pool.getconn(seconds(10));
    got = id(conn);
    pool.putconn(std::move(conn));
  });
  ASSERT_TRUE(eventually([&] { return stat(pool, "requests_waiting") == 1; }));
  pool.putconn(std::move(held));
  waiter.join();
  EXPECT_EQ(got, held_id);  // handed over, not closed and reopened
  EXPECT_EQ(stat(pool, "connections_num"), 1);
  EXPECT_TRUE(eventually([&] { return backends() == 0; }));
}

TEST_F(NullConnectionPoolTest, TimesOutAndLimitsWaitingClients) {
  NullConnectionPool pool(dsn(), options({.max_size = 1, .max_waiting = 1}));
  Connection held = pool.getconn(seconds(10));
  EXPECT_EQ(what_of<PoolTimeout>([&] { pool.getconn(milliseconds(100)); }),
            "couldn't get a connection after 0.10 sec");
  std::thread waiter([&] { EXPECT_THROW(pool.getconn(milliseconds(500)), PoolTimeout); });
  ASSERT_TRUE(eventually([&] { return stat(pool, "requests_waiting") == 1; }));
  EXPECT_THROW(pool.getconn(seconds(1)), TooManyRequests);
  waiter.join();
  pool.putconn(std::move(held));
}

TEST_F(NullConnectionPoolTest, ResizeLetsWaitingClientsConnect) {
  NullConnectionPool pool(dsn(), options({.max_size = 1}));
  Connection held = pool.getconn(seconds(10));
  bool connected = false;
  std::thread waiter([&] {
    Connection conn = pool.getconn(seconds(10));
    connected = !conn.closed();
    pool.putconn(std::move(conn));
  });
  ASSERT_TRUE(eventually([&] { return stat(pool, "requests_waiting") == 1; }));
  pool.resize(0, 2);
  waiter.join();
  EXPECT_TRUE(connected);
  EXPECT_EQ(stat(pool, "connections_num"), 2);
  pool.putconn(std::move(held));
}

TEST_F(NullConnectionPoolTest, ConnectionsBrokenOnReturnAreCounted) {
  NullConnectionPool pool(dsn(), options());
  Connection conn = pool.getconn(seconds(10));
  pool_testing::admin_execute(
      dsn(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" +
                 app_ + "'");
  EXPECT_THROW(query_value(conn, "SELECT 1"), OperationalError);
  pool.putconn(std::move(conn));
  EXPECT_EQ(stat(pool, "returns_bad"), 1);
  EXPECT_EQ(stat(pool, "pool_size"), 0);
}

TEST_F(NullConnectionPoolTest, WaitMakesOneTestConnection) {
  NullConnectionPool pool(dsn(), options());
  pool.wait(seconds(10));
  EXPECT_EQ(stat(pool, "connections_num"), 1);
  EXPECT_EQ(stat(pool, "pool_size"), 0);
  EXPECT_TRUE(eventually([&] { return backends() == 0; }));
  pool.check();  // nothing to check
}

TEST_F(NullConnectionPoolTest, WaitOnAnUnreachableServerTimesOutAndCloses) {
  const std::string dead =
      "host=127.0.0.1 port=" + std::to_string(pgcpp::testing::FaultProxy::refused_port());
  NullConnectionPool pool(dead, {.name = "nowhere"});
  EXPECT_EQ(what_of<PoolTimeout>([&] { pool.wait(milliseconds(200)); }),
            "pool initialization incomplete after 0.2 sec");
  EXPECT_TRUE(pool.closed());
}

TEST_F(NullConnectionPoolTest, AConnectionAttemptLongerThanTheTimeoutIsAPoolTimeout) {
  pgcpp::testing::FaultProxy proxy("127.0.0.1", std::stoi(admin_value(dsn(), "SHOW port")));
  proxy.set_black_hole(true);
  NullConnectionPool pool(proxy.dsn(dsn()), options());
  const auto started = Clock::now();
  EXPECT_EQ(what_of<PoolTimeout>([&] { pool.getconn(milliseconds(300)); }),
            "couldn't get a connection after 0.30 sec: connection timeout expired");
  EXPECT_LT(Clock::now() - started, seconds(2));  // not connect_timeout's 10 s
  EXPECT_EQ(stat(pool, "pool_size"), 0);
}

}  // namespace
}  // namespace pgcpp
