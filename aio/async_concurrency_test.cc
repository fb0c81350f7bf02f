// Many connections on one loop, one connection shared by tasks, cancel, lost
// connections and connect timeouts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pgcpp/adapt/row.h"
#include "pgcpp/aio/async_connection.h"
#include "pgcpp/aio/async_test_util.h"
#include "pgcpp/aio/event_loop.h"
#include "pgcpp/aio/task.h"
#include "pgcpp/core/conninfo.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/testing/database.h"
#include "pgcpp/testing/fault_proxy.h"

namespace pgcpp {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

class AsyncConcurrencyTest : public pgcpp::testing::DatabaseTest {
 protected:
  EventLoop loop_;
};

TEST_F(AsyncConcurrencyTest, FiftyConnectionsRunTheirQueriesAtOnce) {
  constexpr int kConnections = 50;
  int in_flight = 0;
  int peak = 0;
  int finished = 0;
  int connected = 0;
  auto worker = [&](int i) -> Task<void> {
    AsyncConnection conn = co_await AsyncConnection::connect(dsn(), {.autocommit = true});
    ++connected;  // (connecting is slow under sanitizers: start the queries together)
    while (connected < kConnections) co_await loop_.sleep(milliseconds(1));
    ++in_flight;
    peak = std::max(peak, in_flight);
    AsyncCursor cur = co_await conn.execute("SELECT %s::int FROM pg_sleep(0.2)", i);
    --in_flight;
    EXPECT_EQ(std::get<0>(*cur.fetchone(typed_row<int>)), i);
    ++finished;
  };
  Clock::time_point start;
  loop_.run([&]() -> Task<void> {
    for (int i = 0; i < kConnections; ++i) loop_.spawn(worker(i));
    while (connected < kConnections) co_await loop_.sleep(milliseconds(1));
    start = Clock::now();
    while (loop_.pending_tasks() > 0) co_await loop_.sleep(milliseconds(5));
  }());
  const auto elapsed = Clock::now() - start;
  EXPECT_EQ(finished, kConnections);
  // Structural: every query was in flight at the same time, on one thread...
  EXPECT_EQ(peak, kConnections);
  // ...so they took far less than the 10 s they take one after another.
  EXPECT_LT(elapsed, seconds(5));
}

TEST_F(AsyncConcurrencyTest, TwoTasksOnOneConnectionAreSerialised) {
  std::vector<std::string> log;
  loop_.run([&]() -> Task<void> {
    AsyncConnection conn = co_await AsyncConnection::connect(dsn(), {.autocommit = true});
    auto slow = [&]() -> Task<void> {
      log.push_back("slow start");
      co_await conn.execute("SELECT pg_sleep(0.3)");
      log.push_back("slow end");
    };
    auto quick = [&]() -> Task<void> {
      log.push_back("quick start");
      AsyncCursor cur = co_await conn.execute("SELECT 1");  // waits, does not fail
      EXPECT_EQ(std::get<0>(*cur.fetchone(typed_row<int>)), 1);
      log.push_back("quick end");
    };
    loop_.spawn(slow());
    loop_.spawn(quick());
    while (loop_.pending_tasks() > 0) co_await loop_.sleep(milliseconds(5));
  }());
  EXPECT_EQ(log, (std::vector<std::string>{"slow start", "quick start", "slow end", "quick end"}));
}

TEST_F(AsyncConcurrencyTest, ManyTasksShareOneConnection) {
  constexpr int kTasks = 10;
  std::vector<int> results;
  loop_.run([&]() -> Task<void> {
    AsyncConnection conn = co_await AsyncConnection::connect(dsn());
    auto task = [&](int i) -> Task<void> {
      AsyncCursor cur = co_await conn.execute("SELECT %s::int * 2", i);
      results.push_back(std::get<0>(*cur.fetchone(typed_row<int>)));
    };
    for (int i = 0; i < kTasks; ++i) loop_.spawn(task(i));
    while (loop_.pending_tasks() > 0) co_await loop_.sleep(milliseconds(5));
    co_await conn.commit();
  }());
  // Served first come, first served.
  std::vector<int> expected;
  for (int i = 0; i < kTasks; ++i) expected.push_back(2 * i);
  EXPECT_EQ(results, expected);
}

TEST_F(AsyncConcurrencyTest, CloseWaitsForTheRunningOperation) {
  std::vector<std::string> log;
  loop_.run([&]() -> Task<void> {
    AsyncConnection conn = co_await AsyncConnection::connect(dsn());
    auto query = [&]() -> Task<void> {
      AsyncCursor cur = co_await conn.execute("SELECT 5 FROM pg_sleep(0.2)");
      EXPECT_EQ(std::get<0>(*cur.fetchone(typed_row<int>)), 5);
      log.push_back("query done");
    };
    loop_.spawn(query());
    co_await loop_.sleep(milliseconds(20));  // the query is under way
    co_await conn.close();
    log.push_back("closed");
    EXPECT_TRUE(conn.closed());
    EXPECT_FALSE(conn.broken());
  }());
  EXPECT_EQ(log, (std::vector<std::string>{"query done", "closed"}));
}

TEST_F(AsyncConcurrencyTest, AnAbandonedQueryClosesItsConnection) {
  std::optional<AsyncConnection> conn;
  {
    EventLoop loop;
    auto query = [&]() -> Task<void> { co_await conn->execute("SELECT pg_sleep(5)"); };
    loop.run([&]() -> Task<void> {
      conn.emplace(co_await AsyncConnection::connect(dsn()));
      loop.spawn(query());
      co_await loop.sleep(milliseconds(20));
    }());  // the query task is still waiting for its result
    EXPECT_FALSE(conn->closed());
  }  // ...and is destroyed with the loop, midway through the protocol
  EXPECT_TRUE(conn->closed());
}

TEST_F(AsyncConcurrencyTest, CancelInterruptsARunningQuery) {
  loop_.run([&]() -> Task<void> {
    AsyncConnection conn = co_await AsyncConnection::connect(dsn());
    auto canceller = [&]() -> Task<void> {
      // A cancel that reaches the backend before the query starts is ignored.
      bool active = co_await testing::async_wait_for_active_query(dsn(), "SELECT pg_sleep(10)");
      EXPECT_TRUE(active);
      co_await conn.cancel();
    };
    loop_.spawn(canceller());
    const auto start = Clock::now();
    EXPECT_THROW(co_await conn.execute("SELECT pg_sleep(10)"), errors::QueryCanceled);
    EXPECT_LT(Clock::now() - start, seconds(9));
    co_await conn.rollback();
    AsyncCursor cur = co_await conn.execute("SELECT 1");  // still usable
    EXPECT_EQ(std::get<0>(*cur.fetchone(typed_row<int>)), 1);
    while (loop_.pending_tasks() > 0) co_await loop_.sleep(milliseconds(5));
  }());
}

TEST_F(AsyncConcurrencyTest, ATerminatedBackendIsABrokenConnection) {
  loop_.run([&]() -> Task<void> {
    AsyncConnection victim = co_await AsyncConnection::connect(dsn());
    AsyncConnection killer = co_await AsyncConnection::connect(dsn(), {.autocommit = true});
    co_await victim.execute("SELECT 1");  // in a transaction now
    AsyncCursor killed =
        co_await killer.execute("SELECT pg_terminate_backend(%s)", victim.info().backend_pid());
    EXPECT_TRUE(std::get<0>(*killed.fetchone(typed_row<bool>)));
    EXPECT_THROW(co_await victim.execute("SELECT 1"), OperationalError);
    EXPECT_TRUE(victim.closed());
    EXPECT_TRUE(victim.broken());
    EXPECT_THROW(co_await victim.commit(), OperationalError);
    co_await victim.close();
    EXPECT_FALSE(victim.broken());  // as psycopg: broken means "lost and not closed by close()"
  }());
}

TEST_F(AsyncConcurrencyTest, ConnectTimeoutWithoutBlockingTheLoop) {
  ConnInfoDict params = conninfo_to_dict(dsn());
  pgcpp::testing::FaultProxy proxy(params.at("host"), std::stoi(params.at("port")));
  proxy.set_black_hole(true);
  int ticks = 0;
  bool stop = false;
  loop_.run([&]() -> Task<void> {
    auto ticker = [&]() -> Task<void> {
      while (!stop) {
        co_await loop_.sleep(milliseconds(50));
        ++ticks;
      }
    };
    loop_.spawn(ticker());
    const auto start = Clock::now();
    // Not temporaries: GCC 12 destroys a throwing co_await's temporaries twice (see task.h).
    const std::string silent = proxy.dsn(dsn());
    const ConnectOptions options{.connect_timeout = 1};
    EXPECT_THROW(co_await AsyncConnection::connect(silent, options), ConnectionTimeout);
    const auto elapsed = Clock::now() - start;
    EXPECT_GE(elapsed, milliseconds(900));
    EXPECT_LT(elapsed, seconds(10));
    stop = true;
    while (loop_.pending_tasks() > 0) co_await loop_.sleep(milliseconds(5));
  }());
  // The loop kept running other tasks while the connection attempt waited.
  EXPECT_GE(ticks, 10);
}

}  // namespace
}  // namespace pgcpp
