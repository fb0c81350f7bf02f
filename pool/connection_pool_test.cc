#include "pgcpp/pool/connection_pool.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "pgcpp/core/error_testing.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/pool/errors.h"
#include "pgcpp/pool/pool_test_util.h"
#include "pgcpp/testing/database.h"
#include "pgcpp/testing/fault_proxy.h"

namespace pgcpp {
namespace {

using ::pgcpp::core_testing::what_of;
using ::pgcpp::pool_testing::admin_execute;
using ::pgcpp::pool_testing::admin_value;
using ::pgcpp::pool_testing::eventually;
using ::pgcpp::pool_testing::execute;
using ::pgcpp::pool_testing::LogRecorder;
using ::pgcpp::pool_testing::query_value;
using ::pgcpp::pool_testing::stat;
using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::HasSubstr;

class ConnectionPoolTest : public pgcpp::testing::DatabaseTest {
 protected:
  static void SetUpTestSuite() {
    DatabaseTest::SetUpTestSuite();
    admin_execute(dsn(), "CREATE TABLE items (id int PRIMARY KEY, note text)");
  }

  void SetUp() override {
    admin_execute(dsn(), "TRUNCATE items");
    app_ = "pool_test_" + std::to_string(++counter_);
  }

  // Options naming this test's connections (application_name), logging to log_.
  PoolOptions options(PoolOptions base = {}) {
    base.connect_options.application_name = app_;
    base.log = log_.logger();
    return base;
  }

  // Server backends of this test's connections.
  int backends() {
    return std::stoi(admin_value(
        dsn(), "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + app_ + "'"));
  }
  // Terminates every backend of this test's connections.
  void terminate_backends() {
    admin_execute(dsn(),
                  "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                  "application_name = '" +
                      app_ + "'");
    ASSERT_TRUE(eventually([&] { return backends() == 0; }));
  }
  int items() { return std::stoi(admin_value(dsn(), "SELECT count(*) FROM items")); }

  // Which connection it is: its backend pid. (Object addresses can be reused by a
  // replacement as soon as the old connection is freed.)
  using ConnId = int;
  static ConnId id(const Connection& conn) { return conn.info().backend_pid(); }
  // Borrows a connection and gives it back: which one it was.
  static ConnId borrow_and_return(ConnectionPool& pool) {
    Connection conn = pool.getconn(seconds(10));
    ConnId borrowed = id(conn);
    pool.putconn(std::move(conn));
    return borrowed;
  }
  // Borrows a connection and gives it back: whether it is another one than `old`.
  static bool next_differs(ConnectionPool& pool, ConnId old) {
    return borrow_and_return(pool) != old;
  }

  LogRecorder log_;
  std::string app_;
  static inline int counter_ = 0;
};

// --- Construction and sizes -----------------------------------------------------------------

TEST_F(ConnectionPoolTest, RejectsBadSizesAndDurations) {
  auto make = [&](PoolOptions o) {
    o.open = false;
    ConnectionPool pool(dsn(), o);
  };
  EXPECT_EQ(what_of<std::invalid_argument>([&] { make({.min_size = -1}); }),
            "min_size cannot be negative, got -1");
  EXPECT_EQ(what_of<std::invalid_argument>([&] { make({.min_size = 3, .max_size = 2}); }),
            "max_size must be greater or equal than min_size, got max_size 2 < min_size 3");
  EXPECT_EQ(what_of<std::invalid_argument>([&] { make({.min_size = 0}); }),
            "if min_size is 0 max_size must be greater than 0");
  EXPECT_EQ(what_of<std::invalid_argument>([&] { make({.num_workers = 0}); }),
            "num_workers must be at least 1, got 0");
  EXPECT_EQ(what_of<std::invalid_argument>([&] { make({.timeout = milliseconds(-5)}); }),
            "timeout cannot be negative, got -0.005 sec");
  EXPECT_EQ(what_of<std::invalid_argument>([&] { make({.max_idle = seconds(0)}); }),
            "max_idle must be positive, got 0.0 sec");
  EXPECT_EQ(what_of<std::invalid_argument>([&] { make({.max_waiting = -1}); }),
            "max_waiting cannot be negative, got -1");
  EXPECT_EQ(what_of<std::invalid_argument>(
                [&] { ConnectionPool pool(std::function<std::string()>(), {.open = false}); }),
            "the conninfo function is empty");
}

TEST_F(ConnectionPoolTest, DefaultsFollowPsycopg) {
  ConnectionPool pool(dsn(), {.open = false});
  ConnectionPool other(dsn(), {.open = false});
  EXPECT_THAT(pool.name(), ::testing::StartsWith("pool-"));
  EXPECT_NE(pool.name(), other.name());
  EXPECT_EQ(pool.min_size(), 4);
  EXPECT_EQ(pool.max_size(), 4);
  EXPECT_EQ(pool.timeout(), seconds(30));
  EXPECT_TRUE(pool.closed());
  EXPECT_EQ(pool.get_stats(), (PoolStats{{"pool_min", 4},
                                         {"pool_max", 4},
                                         {"pool_size", 4},
                                         {"pool_available", 0},
                                         {"requests_waiting", 0}}));
}

TEST_F(ConnectionPoolTest, OpensMinSizeConnections) {
  ConnectionPool pool(dsn(), options({.min_size = 2, .max_size = 4}));
  EXPECT_FALSE(pool.closed());
  pool.wait(seconds(10));
  EXPECT_EQ(stat(pool, "pool_available"), 2);
  EXPECT_EQ(stat(pool, "pool_size"), 2);
  EXPECT_EQ(stat(pool, "connections_num"), 2);
  EXPECT_GE(stat(pool, "connections_ms"), 0);
  EXPECT_EQ(backends(), 2);
}

TEST_F(ConnectionPoolTest, WaitTimesOutAndClosesThePool) {
  const std::string dead =
      "host=127.0.0.1 port=" + std::to_string(pgcpp::testing::FaultProxy::refused_port());
  ConnectionPool pool(dead, {.min_size = 1, .name = "dead"});
  const auto started = Clock::now();
  EXPECT_EQ(what_of<PoolTimeout>([&] { pool.wait(milliseconds(300)); }),
            "pool initialization incomplete after 0.3 sec");
  EXPECT_GE(Clock::now() - started, milliseconds(300));
  EXPECT_TRUE(pool.closed());
  EXPECT_EQ(what_of<PoolClosed>([&] { pool.getconn(); }), "the pool 'dead' is already closed");
  EXPECT_GE(stat(pool, "connections_errors"), 1);
}

TEST_F(ConnectionPoolTest, OpensOnceAndCannotBeReopened) {
  ConnectionPool pool(dsn(), options({.min_size = 1, .name = "once", .open = false}));
  EXPECT_EQ(what_of<PoolClosed>([&] { pool.getconn(); }), "the pool 'once' is not open yet");
  pool.open(/*wait=*/true, seconds(10));
  pool.open();  // already open: nothing happens
  EXPECT_EQ(stat(pool, "connections_num"), 1);
  pool.close();
  pool.close();
  EXPECT_EQ(what_of<PoolClosed>([&] { pool.open(); }),
            "pool 'once' has already been opened/closed and cannot be reused");
  EXPECT_TRUE(eventually([&] { return backends() == 0; }));
}

TEST_F(ConnectionPoolTest, HugeDurationsMeanNoLimit) {
  ConnectionPool pool(dsn(), options({.min_size = 1,
                                      .timeout = PoolDuration::max(),
                                      .max_lifetime = PoolDuration::max(),
                                      .max_idle = PoolDuration::max(),
                                      .reconnect_timeout = PoolDuration::max()}));
  pool.wait(PoolDuration::max());
  Connection conn = pool.getconn();
  EXPECT_EQ(query_value(conn, "SELECT 1"), "1");
  pool.putconn(std::move(conn));
  EXPECT_EQ(stat(pool, "pool_available"), 1);  // not expired
  pool.close(PoolDuration::max());
}

// --- Lending out and taking back ------------------------------------------------------------

TEST_F(ConnectionPoolTest, GuardCommitsAtScopeEndAndReturnsTheConnection) {
  ConnectionPool pool(dsn(), options({.min_size = 1}));
  {
    PooledConnection conn = pool.connection(seconds(10));
    execute(*conn, "INSERT INTO items VALUES (1, 'one')");
    EXPECT_EQ(conn->transaction_status(), TransactionStatus::kInTrans);
    EXPECT_EQ(items(), 0);  // not committed yet
  }
  EXPECT_EQ(items(), 1);
  EXPECT_EQ(stat(pool, "pool_available"), 1);
  EXPECT_EQ(backends(), 1);  // returned, not closed
  EXPECT_GE(stat(pool, "usage_ms"), 0);
}

TEST_F(ConnectionPoolTest, GuardRollsBackWhenAnExceptionLeavesTheScope) {
  ConnectionPool pool(dsn(), options({.min_size = 1}));
  try {
    PooledConnection conn = pool.connection(seconds(10));
    execute(*conn, "INSERT INTO items VALUES (1, 'one')");
    throw std::runtime_error("boom");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(items(), 0);
  EXPECT_EQ(stat(pool, "pool_available"), 1);
  EXPECT_EQ(stat(pool, "returns_bad"), 0);
  EXPECT_EQ(log_.count("rolling back"), 0);  // the guard rolled back, not the return path
}

TEST_F(ConnectionPoolTest, GuardRethrowsAFailedCommitAfterReturningTheConnection) {
  admin_execute(dsn(),
                "CREATE TABLE IF NOT EXISTS deferred (x int UNIQUE DEFERRABLE INITIALLY DEFERRED)");
  ConnectionPool pool(dsn(), options({.min_size = 1}));
  EXPECT_THROW(
      {
        PooledConnection conn = pool.connection(seconds(10));
        execute(*conn, "INSERT INTO deferred VALUES (1), (1)");
      },
      errors::UniqueViolation);
  EXPECT_EQ(stat(pool, "pool_available"), 1);
  EXPECT_EQ(admin_value(dsn(), "SELECT count(*) FROM deferred"), "0");
}

TEST_F(ConnectionPoolTest, FunctionFormReturnsTheBodysValue) {
  ConnectionPool pool(dsn(), options({.min_size = 1}));
  std::string value =
      pool.connection([](Connection& conn) { return query_value(conn, "SELECT 6 * 7"); });
  EXPECT_EQ(value, "42");
  EXPECT_THROW(pool.connection([](Connection& conn) {
    execute(conn, "INSERT INTO items VALUES (1, 'one')");
    execute(conn, "SELECT 1 / 0");
  }),
               errors::DivisionByZero);
  EXPECT_EQ(items(), 0);
}

TEST_F(ConnectionPoolTest, ConnectionsRotateThroughTheIdleQueue) {
  ConnectionPool pool(dsn(), options({.min_size = 2}));
  pool.wait(seconds(10));
  Connection a = pool.getconn();
  ConnId first = id(a);
  pool.putconn(std::move(a));
  Connection b = pool.getconn();
  EXPECT_NE(id(b), first);  // taken from the left, returned on the right
  pool.putconn(std::move(b));
  Connection c = pool.getconn();
  EXPECT_EQ(id(c), first);
  pool.putconn(std::move(c));
  EXPECT_EQ(stat(pool, "requests_num"), 3);
}

TEST_F(ConnectionPoolTest, PutconnRefusesConnectionsItDidNotLend) {
  ConnectionPool a(dsn(), options({.min_size = 1, .name = "a"}));
  ConnectionPool b(dsn(), options({.min_size = 1, .name = "b"}));
  Connection conn = a.getconn(seconds(10));
  EXPECT_EQ(what_of<std::invalid_argument>([&] { b.putconn(std::move(conn)); }),
            "can't return connection to pool 'b', it comes from pool 'a'");
  EXPECT_FALSE(conn.closed());  // left untouched
  Connection plain = Connection::connect(dsn());
  EXPECT_EQ(what_of<std::invalid_argument>([&] { a.putconn(std::move(plain)); }),
            "can't return connection to pool 'a', it doesn't come from any pool");
  a.putconn(std::move(conn));
  EXPECT_EQ(what_of<std::invalid_argument>([&] { a.putconn(std::move(conn)); }),
            "can't return connection to pool 'a': the Connection is empty (moved from)");
}

TEST_F(ConnectionPoolTest, ReturnedTransactionsAreRolledBackAndTheConnectionKept) {
  ConnectionPool pool(dsn(), options({.min_size = 1}));
  Connection conn = pool.getconn(seconds(10));
  ConnId first = id(conn);
  execute(conn, "INSERT INTO items VALUES (1, 'one')");
  pool.putconn(std::move(conn));
  EXPECT_EQ(log_.count("rolling back returned connection in status INTRANS"), 1);

  conn = pool.getconn();
  EXPECT_EQ(id(conn), first);
  EXPECT_EQ(conn.transaction_status(), TransactionStatus::kIdle);
  EXPECT_THROW(execute(conn, "SELECT 1 / 0"), errors::DivisionByZero);
  pool.putconn(std::move(conn));
  EXPECT_EQ(log_.count("rolling back returned connection in status INERROR"), 1);
  EXPECT_EQ(items(), 0);
  EXPECT_EQ(stat(pool, "pool_available"), 1);
  EXPECT_EQ(stat(pool, "returns_bad"), 0);
}

TEST_F(ConnectionPoolTest, BrokenConnectionsAreReplaced) {
  ConnectionPool pool(dsn(), options({.min_size = 1}));
  Connection conn = pool.getconn(seconds(10));
  ConnId first = id(conn);
  terminate_backends();
  EXPECT_THROW(execute(conn, "SELECT 1"), OperationalError);
  EXPECT_TRUE(conn.broken());
  pool.putconn(std::move(conn));
  EXPECT_EQ(stat(pool, "returns_bad"), 1);
  EXPECT_EQ(log_.count("discarding closed connection"), 1);
  conn = pool.getconn(seconds(10));
  EXPECT_NE(id(conn), first);
  EXPECT_EQ(query_value(conn, "SELECT 1"), "1");
  pool.putconn(std::move(conn));
  EXPECT_EQ(stat(pool, "pool_size"), 1);
}

TEST_F(ConnectionPoolTest, AConnectionNeverReturnedIsReplaced) {
  ConnectionPool pool(dsn(), options({.min_size = 1}));
  { Connection dropped = pool.getconn(seconds(10)); }
  Connection conn = pool.getconn(seconds(10));  // the waiting client notices the loss
  EXPECT_EQ(query_value(conn, "SELECT 1"), "1");
  EXPECT_EQ(stat(pool, "connections_lost"), 1);
  EXPECT_EQ(stat(pool, "pool_size"), 1);
  EXPECT_EQ(log_.count("destroyed without being returned"), 1);
  pool.putconn(std::move(conn));
}

// --- Waiting ---------------------------------------------------------------------------------

TEST_F(ConnectionPoolTest, TimesOutWhenEveryConnectionIsLentOut) {
  ConnectionPool pool(dsn(), options({.min_size = 1, .name = "busy"}));
  pool.wait(seconds(10));
  Connection held = pool.getconn();
  const auto started = Clock::now();
  EXPECT_EQ(what_of<PoolTimeout>([&] { pool.getconn(milliseconds(200)); }),
            "couldn't get a connection after 0.20 sec");
  EXPECT_GE(Clock::now() - started, milliseconds(200));
  EXPECT_LT(Clock::now() - started, seconds(2));
  PoolStats stats = pool.get_stats();
  EXPECT_EQ(stats["requests_num"], 2);
  EXPECT_EQ(stats["requests_queued"], 1);
  EXPECT_EQ(stats["requests_errors"], 1);
  EXPECT_GE(stats["requests_wait_ms"], 195);
  EXPECT_EQ(stats["requests_waiting"], 0);
  pool.putconn(std::move(held));
}

TEST_F(ConnectionPoolTest, TooManyRequestsBeyondMaxWaiting) {
  ConnectionPool pool(dsn(), options({.min_size = 1, .max_waiting = 1, .name = "small"}));
  Connection held = pool.getconn(seconds(10));
  ConnId held_id = id(held);
  ConnId waiter_got = 0;
  std::thread waiter([&] {
    Connection conn = pool.getconn(seconds(10));
    waiter_got = id(conn);
    pool.putconn(std::move(conn));
  });
  ASSERT_TRUE(eventually([&] { return stat(pool, "requests_waiting") == 1; }));
  EXPECT_EQ(what_of<TooManyRequests>([&] { pool.getconn(seconds(1)); }),
            "the pool 'small' has already 1 requests waiting");
  pool.putconn(std::move(held));  // straight to the waiter
  waiter.join();
  EXPECT_EQ(waiter_got, held_id);
  EXPECT_EQ(stat(pool, "requests_errors"), 1);
}

TEST_F(ConnectionPoolTest, WaitingClientsAreServedFirstComeFirstServed) {
  ConnectionPool pool(dsn(), options({.min_size = 1}));
  Connection held = pool.getconn(seconds(10));
  std::mutex mu;
  std::vector<int> order;
  std::vector<std::thread> clients;
  for (int i = 0; i < 4; ++i) {
    clients.emplace_back([&, i] {
      Connection conn = pool.getconn(seconds(10));
      {
        std::lock_guard<std::mutex> lock(mu);
        order.push_back(i);
      }
      pool.putconn(std::move(conn));
    });
    // Queue them in a known order.
    ASSERT_TRUE(eventually([&] { return stat(pool, "requests_waiting") == i + 1; }));
  }
  pool.putconn(std::move(held));
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
}

TEST_F(ConnectionPoolTest, CloseWakesWaitingClientsWithPoolClosed) {
  ConnectionPool pool(dsn(), options({.min_size = 1, .name = "closing"}));
  Connection held = pool.getconn(seconds(10));
  std::string error;
  std::thread waiter([&] { error = what_of<PoolClosed>([&] { pool.getconn(seconds(30)); }); });
  ASSERT_TRUE(eventually([&] { return stat(pool, "requests_waiting") == 1; }));
  pool.close();
  waiter.join();
  EXPECT_EQ(error, "the pool 'closing' is closed");
  EXPECT_EQ(backends(), 1);       // the lent-out one
  pool.putconn(std::move(held));  // closed on return
  EXPECT_TRUE(eventually([&] { return backends() == 0; }));
}

// --- Growing and shrinking ------------------------------------------------------------------

TEST_F(ConnectionPoolTest, GrowsOneConnectionAtATimeUpToMaxSize) {
  ConnectionPool pool(dsn(), options({.min_size = 1, .max_size = 3, .name = "grow"}));
  pool.wait(seconds(10));
  std::vector<Connection> held;
  for (int i = 0; i < 3; ++i) held.push_back(pool.getconn(seconds(10)));
  EXPECT_EQ(stat(pool, "pool_size"), 3);
  EXPECT_THROW(pool.getconn(milliseconds(100)), PoolTimeout);
  EXPECT_EQ(stat(pool, "pool_size"), 3);
  std::vector<std::string> growth;
  for (const std::string& m : log_.messages()) {
    if (m.find("growing") != std::string::npos) growth.push_back(m);
  }
  EXPECT_EQ(growth,
            (std::vector<std::string>{"growing pool 'grow' to 2", "growing pool 'grow' to 3"}));
  for (Connection& c : held) pool.putconn(std::move(c));
  EXPECT_EQ(stat(pool, "pool_available"), 3);
}

TEST_F(ConnectionPoolTest, ShrinksOneIdleConnectionPerMaxIdlePeriod) {
  ConnectionPool pool(dsn(),
                      options({.min_size = 1, .max_size = 3, .max_idle = milliseconds(200)}));
  std::vector<Connection> held;
  for (int i = 0; i < 3; ++i) held.push_back(pool.getconn(seconds(10)));
  for (Connection& c : held) pool.putconn(std::move(c));
  const auto started = Clock::now();
  ASSERT_TRUE(eventually([&] { return stat(pool, "pool_size") == 1; }));
  // Two shrinks, one per period.
  EXPECT_GE(Clock::now() - started, milliseconds(200));
  EXPECT_EQ(log_.count("shrinking"), 2);
  EXPECT_TRUE(eventually([&] { return backends() == 1; }));
  std::this_thread::sleep_for(milliseconds(500));
  EXPECT_EQ(stat(pool, "pool_size"), 1);  // never below min_size
}

TEST_F(ConnectionPoolTest, DoesNotShrinkWhileEveryConnectionIsInUse) {
  ConnectionPool pool(dsn(),
                      options({.min_size = 1, .max_size = 2, .max_idle = milliseconds(100)}));
  Connection a = pool.getconn(seconds(10));
  Connection b = pool.getconn(seconds(10));
  std::this_thread::sleep_for(milliseconds(350));
  EXPECT_EQ(stat(pool, "pool_size"), 2);
  EXPECT_EQ(log_.count("shrinking"), 0);
  pool.putconn(std::move(a));
  pool.putconn(std::move(b));
}

TEST_F(ConnectionPoolTest, ResizeGrowsAtOnceAndShrinksLazily) {
  ConnectionPool pool(dsn(), options({.min_size = 1}));
  pool.wait(seconds(10));
  pool.resize(3, 5);
  EXPECT_EQ(pool.min_size(), 3);
  EXPECT_EQ(pool.max_size(), 5);
  pool.wait(seconds(10));
  EXPECT_EQ(stat(pool, "pool_available"), 3);
  pool.resize(1);
  EXPECT_EQ(pool.max_size(), 1);
  EXPECT_EQ(stat(pool, "pool_size"), 3);  // lazily
  EXPECT_THROW(pool.resize(2, 1), std::invalid_argument);
}

TEST_F(ConnectionPoolTest, ResizeBeforeOpenMakesTheNewMinSize) {
  ConnectionPool pool(dsn(), options({.min_size = 1, .open = false}));
  pool.resize(2);
  pool.open(/*wait=*/true, seconds(10));
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(stat(pool, "connections_num"), 2);
  EXPECT_EQ(backends(), 2);
}

// --- Lifetime, checks, drain -----------------------------------------------------------------

TEST_F(ConnectionPoolTest, ExpiredConnectionsAreReplacedWhenReturned) {
  ConnectionPool pool(dsn(), options({.min_size = 1, .max_lifetime = milliseconds(300)}));
  ConnId first = borrow_and_return(pool);
  Connection conn = pool.getconn();
  EXPECT_EQ(id(conn), first);  // not expired yet
  std::this_thread::sleep_for(milliseconds(320));
  pool.putconn(std::move(conn));
  EXPECT_EQ(log_.count("discarding expired connection"), 1);
  EXPECT_TRUE(next_differs(pool, first));
}

TEST_F(ConnectionPoolTest, LifetimeIsNotCheckedAtGetconnByDefault) {
  ConnectionPool pool(dsn(), options({.min_size = 1, .max_lifetime = milliseconds(200)}));
  pool.wait(seconds(10));
  std::this_thread::sleep_for(milliseconds(250));
  Connection conn = pool.getconn();
  EXPECT_EQ(log_.count("expired"), 0);  // psycopg hands it out anyway
  pool.putconn(std::move(conn));
  EXPECT_EQ(log_.count("discarding expired connection"), 1);
}

TEST_F(ConnectionPoolTest, CheckLifetimeOnGetconnHandsOutOnlyLiveConnections) {
  ConnectionPool pool(dsn(), options({.min_size = 1,
                                      .max_lifetime = milliseconds(200),
                                      .check_lifetime_on_getconn = true}));
  ConnId first = borrow_and_return(pool);
  std::this_thread::sleep_for(milliseconds(250));
  EXPECT_TRUE(next_differs(pool, first));
  EXPECT_EQ(log_.count("discarding expired connection at getconn"), 1);
}

TEST_F(ConnectionPoolTest, CheckCallbackReplacesBrokenConnectionsAtGetconn) {
  ConnectionPool pool(dsn(), options({.min_size = 2, .check = ConnectionPool::check_connection}));
  pool.wait(seconds(10));
  terminate_backends();
  Connection conn = pool.getconn(seconds(10));
  EXPECT_EQ(query_value(conn, "SELECT 1"), "1");
  pool.putconn(std::move(conn));
  EXPECT_GE(stat(pool, "connections_lost"), 1);
  EXPECT_EQ(stat(pool, "returns_bad"), 0);
  EXPECT_TRUE(eventually([&] { return stat(pool, "pool_available") == 2; }));
}

TEST_F(ConnectionPoolTest, CheckAfterIdleChecksOnlyConnectionsIdleThatLong) {
  std::atomic<int> checks{0};
  ConnectionPool pool(dsn(), options({.min_size = 1,
                                      .check =
                                          [&](Connection& conn) {
                                            ++checks;
                                            ConnectionPool::check_connection(conn);
                                          },
                                      .check_after_idle = milliseconds(200)}));
  Connection conn = pool.getconn(seconds(10));
  pool.putconn(std::move(conn));
  conn = pool.getconn();  // idle for less than 200 ms
  EXPECT_EQ(checks, 0);
  pool.putconn(std::move(conn));
  std::this_thread::sleep_for(milliseconds(220));
  terminate_backends();
  conn = pool.getconn(seconds(10));
  EXPECT_EQ(checks, 1);
  EXPECT_EQ(query_value(conn, "SELECT 1"), "1");
  EXPECT_EQ(stat(pool, "connections_lost"), 1);
  pool.putconn(std::move(conn));
}

TEST_F(ConnectionPoolTest, CheckAfterIdleWithoutCheckUsesCheckConnection) {
  ConnectionPool pool(dsn(), options({.min_size = 1, .check_after_idle = milliseconds(0)}));
  pool.wait(seconds(10));
  terminate_backends();
  Connection conn = pool.getconn(seconds(10));
  EXPECT_EQ(query_value(conn, "SELECT 1"), "1");
  EXPECT_EQ(stat(pool, "connections_lost"), 1);
  pool.putconn(std::move(conn));
}

TEST_F(ConnectionPoolTest, CheckConnectionStartsNoTransaction) {
  Connection conn = Connection::connect(dsn());
  ConnectionPool::check_connection(conn);
  EXPECT_EQ(conn.transaction_status(), TransactionStatus::kIdle);
  execute(conn, "SELECT 1");
  ConnectionPool::check_connection(conn);
  EXPECT_EQ(conn.transaction_status(), TransactionStatus::kInTrans);
  conn.close();
  EXPECT_THROW(ConnectionPool::check_connection(conn), OperationalError);
}

TEST_F(ConnectionPoolTest, CheckReplacesBrokenAndExpiredIdleConnections) {
  ConnectionPool pool(dsn(), options({.min_size = 2}));
  pool.wait(seconds(10));
  terminate_backends();
  pool.check();
  EXPECT_EQ(stat(pool, "connections_lost"), 2);
  pool.wait(seconds(10));
  Connection conn = pool.getconn();
  EXPECT_EQ(query_value(conn, "SELECT 1"), "1");
  pool.putconn(std::move(conn));
}

TEST_F(ConnectionPoolTest, DrainReplacesIdleConnectionsNowAndLentOnesOnReturn) {
  ConnectionPool pool(dsn(), options({.min_size = 2}));
  pool.wait(seconds(10));
  // Backend pids, not object addresses: a replacement may reuse a freed address.
  Connection lent = pool.getconn();
  const int lent_id = lent.info().backend_pid();
  Connection other = pool.getconn();
  const int other_id = other.info().backend_pid();
  pool.putconn(std::move(other));
  pool.drain();
  ASSERT_TRUE(eventually([&] { return stat(pool, "pool_available") == 1; }));
  pool.putconn(std::move(lent));  // made before the drain: replaced
  pool.wait(seconds(10));
  std::vector<Connection> now;
  for (int i = 0; i < 2; ++i) now.push_back(pool.getconn());
  for (Connection& c : now) {
    EXPECT_NE(c.info().backend_pid(), lent_id);
    EXPECT_NE(c.info().backend_pid(), other_id);
  }
  for (Connection& c : now) pool.putconn(std::move(c));
  EXPECT_EQ(stat(pool, "connections_num"), 4);
}

// --- Callbacks and connection options --------------------------------------------------------

TEST_F(ConnectionPoolTest, ConfigureRunsOnEveryNewConnection) {
  std::atomic<int> configured{0};
  ConnectionPool pool(dsn(), options({.min_size = 2, .configure = [&](Connection& conn) {
                                        ++configured;
                                        conn.exec_command("SET search_path TO configured");
                                      }}));
  pool.wait(seconds(10));
  EXPECT_EQ(configured, 2);
  Connection conn = pool.getconn();
  EXPECT_EQ(query_value(conn, "SHOW search_path"), "configured");
  pool.putconn(std::move(conn));
}

TEST_F(ConnectionPoolTest, ConfigureLeavingATransactionDiscardsTheConnection) {
  std::atomic<int> failed{0};
  ConnectionPool pool(dsn(),
                      options({.min_size = 1,
                               .reconnect_timeout = seconds(0),
                               .reconnect_failed = [&](ConnectionPool&) { ++failed; },
                               .configure = [](Connection& conn) { conn.exec_command("BEGIN"); }}));
  ASSERT_TRUE(eventually([&] { return failed == 1; }));
  EXPECT_EQ(log_.count("connection left in status INTRANS by configure function: discarded"), 1);
  EXPECT_EQ(stat(pool, "pool_size"), 0);
  EXPECT_TRUE(eventually([&] { return backends() == 0; }));
}

TEST_F(ConnectionPoolTest, ResetRunsInAWorkerOnEveryReturn) {
  std::atomic<int> resets{0};
  std::atomic<bool> other_thread{false};
  const std::thread::id me = std::this_thread::get_id();
  ConnectionPool pool(dsn(), options({.min_size = 1, .reset = [&](Connection& conn) {
                                        other_thread = std::this_thread::get_id() != me;
                                        conn.exec_command("RESET search_path");
                                        ++resets;
                                      }}));
  Connection conn = pool.getconn(seconds(10));
  conn.exec_command("SET search_path TO dirty");
  pool.putconn(std::move(conn));
  ASSERT_TRUE(eventually([&] { return resets == 1; }));
  EXPECT_TRUE(other_thread);
  conn = pool.getconn(seconds(10));
  EXPECT_EQ(query_value(conn, "SHOW search_path"), "\"$user\", public");
  pool.putconn(std::move(conn));
}

TEST_F(ConnectionPoolTest, ResetLeavingATransactionReplacesTheConnection) {
  ConnectionPool pool(
      dsn(),
      options({.min_size = 1, .reset = [](Connection& conn) { conn.exec_command("BEGIN"); }}));
  ConnId first = borrow_and_return(pool);
  EXPECT_TRUE(next_differs(pool, first));
  EXPECT_EQ(log_.count("connection left in status INTRANS by reset function: discarded"), 1);
}

TEST_F(ConnectionPoolTest, ReconnectionBacksOffThenGivesUp) {
  std::atomic<int> failed{0};
  const std::string dead =
      "host=127.0.0.1 port=" + std::to_string(pgcpp::testing::FaultProxy::refused_port());
  const auto started = Clock::now();
  ConnectionPool pool(dead, options({.min_size = 1,
                                     .reconnect_timeout = milliseconds(1500),
                                     .reconnect_failed = [&](ConnectionPool& p) {
                                       EXPECT_EQ(&p, &pool);
                                       ++failed;
                                     }}));
  ASSERT_TRUE(eventually([&] { return failed == 1; }));
  // Attempts at 0, ~1 s (first backoff), and ~1.5 s (capped at the reconnect_timeout).
  EXPECT_GE(Clock::now() - started, milliseconds(1500));
  EXPECT_EQ(stat(pool, "connections_errors"), 3);
  EXPECT_EQ(stat(pool, "pool_size"), 0);
  EXPECT_EQ(log_.count("reconnection attempt in pool"), 1);
}

TEST_F(ConnectionPoolTest, CallableConninfoAndConnectOptionsAreEvaluatedPerConnection) {
  std::atomic<int> calls{0};
  std::atomic<int> n{0};
  ConnectionPool pool(
      [&] {
        ++calls;
        return dsn();
      },
      {.min_size = 2, .connect_options_fn = [&] {
         return ConnectOptions{.application_name = app_ + "_" + std::to_string(++n)};
       }});
  pool.wait(seconds(10));
  EXPECT_EQ(calls, 2);
  std::set<std::string> names;
  std::vector<Connection> conns;
  for (int i = 0; i < 2; ++i) {
    conns.push_back(pool.getconn());
    names.insert(query_value(conns.back(), "SHOW application_name"));
  }
  EXPECT_EQ(names, (std::set<std::string>{app_ + "_1", app_ + "_2"}));
  for (Connection& c : conns) pool.putconn(std::move(c));
}

TEST_F(ConnectionPoolTest, ConnectTimeoutDefaultsToTenSecondsUnlessGiven) {
  auto connect_timeout = [](Connection& conn) {
    std::string value;
    PQconninfoOption* options = PQconninfo(conn.base().pgconn());
    for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
      if (std::string(o->keyword) == "connect_timeout" && o->val != nullptr) value = o->val;
    }
    PQconninfoFree(options);
    return value;
  };
  ConnectionPool defaulted(dsn(), options({.min_size = 1}));
  Connection conn = defaulted.getconn(seconds(10));
  EXPECT_EQ(connect_timeout(conn), "10");
  defaulted.putconn(std::move(conn));
  ConnectionPool given(dsn() + " connect_timeout=3", options({.min_size = 1}));
  conn = given.getconn(seconds(10));
  EXPECT_EQ(connect_timeout(conn), "3");
  given.putconn(std::move(conn));
}

TEST_F(ConnectionPoolTest, AcquireAndReleaseHooksSeeEveryCheckout) {
  std::atomic<int> acquired{0};
  std::atomic<int> released{0};
  ConnectionPool pool(dsn(), options({.min_size = 1,
                                      .on_acquire =
                                          [&](Connection& conn) {
                                            EXPECT_FALSE(conn.closed());
                                            ++acquired;
                                          },
                                      .on_release = [&](Connection&) { ++released; }}));
  for (int i = 0; i < 3; ++i) {
    pool.connection(seconds(10));
  }
  EXPECT_EQ(acquired, 3);
  EXPECT_EQ(released, 3);
}

TEST_F(ConnectionPoolTest, ThrowingAcquireHookReturnsTheConnection) {
  ConnectionPool pool(dsn(), options({.min_size = 1, .on_acquire = [](Connection&) {
                                        throw std::runtime_error("not today");
                                      }}));
  pool.wait(seconds(10));
  EXPECT_EQ(what_of<std::runtime_error>([&] { pool.getconn(); }), "not today");
  EXPECT_EQ(stat(pool, "pool_available"), 1);
}

TEST_F(ConnectionPoolTest, ThrowingReleaseHookReplacesTheConnection) {
  ConnectionPool pool(dsn(), options({.min_size = 1, .on_release = [](Connection&) {
                                        throw std::runtime_error("tainted");
                                      }}));
  ConnId first = borrow_and_return(pool);
  EXPECT_EQ(log_.count("on_release failed, closing the connection: tainted"), 1);
  EXPECT_TRUE(next_differs(pool, first));
}

// --- Stats -----------------------------------------------------------------------------------

TEST_F(ConnectionPoolTest, StatsCountersAppearWhenNonZeroAndPopResetsThem) {
  ConnectionPool pool(dsn(), options({.min_size = 1, .max_size = 2}));
  pool.wait(seconds(10));
  Connection a = pool.getconn();
  Connection b = pool.getconn(seconds(10));  // queued, grows the pool
  pool.putconn(std::move(a));
  pool.putconn(std::move(b));
  PoolStats stats = pool.pop_stats();
  EXPECT_EQ(stats["pool_min"], 1);
  EXPECT_EQ(stats["pool_max"], 2);
  EXPECT_EQ(stats["pool_size"], 2);
  EXPECT_EQ(stats["pool_available"], 2);
  EXPECT_EQ(stats["requests_num"], 2);
  EXPECT_EQ(stats["requests_queued"], 1);
  EXPECT_EQ(stats["connections_num"], 2);
  EXPECT_EQ(stats.count("returns_bad"), 0u);
  EXPECT_EQ(stats.count("requests_errors"), 0u);
  EXPECT_EQ(stats.count("connections_errors"), 0u);
  stats = pool.get_stats();
  EXPECT_EQ(stats.count("requests_num"), 0u);
  EXPECT_EQ(stats.count("connections_num"), 0u);
  EXPECT_EQ(stats["pool_size"], 2);
}

// --- Closing ---------------------------------------------------------------------------------

TEST_F(ConnectionPoolTest, CloseAbandonsAConnectionAttemptAtOnce) {
  pgcpp::testing::FaultProxy proxy("127.0.0.1", std::stoi(admin_value(dsn(), "SHOW port")));
  proxy.set_black_hole(true);
  ConnectionPool pool(proxy.dsn(dsn()), options({.min_size = 1}));
  ASSERT_TRUE(eventually([&] { return proxy.connection_count() == 1; }));
  const auto started = Clock::now();
  pool.close();
  EXPECT_LT(Clock::now() - started, seconds(1));
  EXPECT_EQ(stat(pool, "connections_errors"), 0);
}

}  // namespace
}  // namespace pgcpp
