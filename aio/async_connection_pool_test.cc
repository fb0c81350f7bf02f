#include "pgcpp/aio/async_connection_pool.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "pgcpp/adapt/row.h"
#include "pgcpp/aio/async_connection.h"
#include "pgcpp/aio/async_test_util.h"
#include "pgcpp/aio/event_loop.h"
#include "pgcpp/aio/task.h"
#include "pgcpp/aio/when_all.h"
#include "pgcpp/core/connection.h"
#include "pgcpp/core/conninfo.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/pool/errors.h"
#include "pgcpp/pool/pool_options.h"
#include "pgcpp/testing/database.h"
#include "pgcpp/testing/fault_proxy.h"

namespace pgcpp {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

class AsyncConnectionPoolTest : public pgcpp::testing::DatabaseTest {
 protected:
  void SetUp() override {
    Connection conn = Connection::connect(dsn(), {.autocommit = true});
    conn.exec_command("DROP TABLE IF EXISTS items");
    conn.exec_command("CREATE TABLE items (id int PRIMARY KEY)");
  }

  static int64_t scalar(const std::string& query) {
    Connection conn = Connection::connect(dsn(), {.autocommit = true});
    return std::get<0>(*conn.execute(query).fetchone(typed_row<int64_t>));
  }

  static Task<int64_t> async_scalar(AsyncConnection& conn, std::string query) {
    AsyncCursor cur = co_await conn.execute(query);
    co_return std::get<0>(*cur.fetchone(typed_row<int64_t>));
  }

  // The connection's backend pid, leaving it idle (the SELECT's transaction rolled back).
  static Task<int64_t> backend_pid(AsyncConnection& conn) {
    const int64_t pid = co_await async_scalar(conn, "SELECT pg_backend_pid()");
    co_await conn.rollback();
    co_return pid;
  }

  static void terminate_backend(int64_t pid) {
    EXPECT_EQ(
        scalar("SELECT count(*) FROM (SELECT pg_terminate_backend(" + std::to_string(pid) + ")) t"),
        1);
  }

  // A connection from `pool` (waiting up to 10 s) must be on another backend than `old_pid`.
  static Task<void> expect_replaced(AsyncConnectionPool& pool, int64_t old_pid) {
    AsyncConnection replacement = co_await pool.getconn(10s);
    EXPECT_NE(co_await backend_pid(replacement), old_pid);
    co_await pool.putconn(std::move(replacement));
  }

  // This test's application_name, which its pools' connections carry.
  static std::string app_name() {
    return ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }

  // The pool's connections, as the server sees them.
  static int64_t server_connections() {
    return scalar(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND application_name = '" +
        app_name() + "'");
  }

  // server_connections() once it is `expected` (backends exit a little after the client closes
  // them), or its last value after 10 s.
  static int64_t server_connections_reaching(int64_t expected) {
    const auto deadline = Clock::now() + 10s;
    int64_t n = server_connections();
    while (n != expected && Clock::now() < deadline) {
      std::this_thread::sleep_for(10ms);
      n = server_connections();
    }
    return n;
  }

  static PoolOptions options(int min_size, int max_size) {
    PoolOptions o{.min_size = min_size, .max_size = max_size};
    o.connect_options.application_name = app_name();
    return o;
  }

  EventLoop loop_;
};

TEST_F(AsyncConnectionPoolTest, GetconnAndPutconn) {
  AsyncConnectionPool pool(dsn(), options(2, 2));
  loop_.run([&]() -> Task<void> {
    co_await pool.open(/*wait=*/true);
    AsyncConnection conn = co_await pool.getconn();
    EXPECT_EQ(pool.get_stats()["pool_available"], 1);
    EXPECT_EQ(co_await async_scalar(conn, "SELECT 42"), 42);
    co_await pool.putconn(std::move(conn));
    EXPECT_EQ(pool.get_stats()["pool_available"], 2);
    EXPECT_EQ(pool.get_stats()["requests_num"], 1);
    co_await pool.close();
  }());
}

TEST_F(AsyncConnectionPoolTest, ReturnedTransactionIsRolledBack) {
  AsyncConnectionPool pool(dsn(), options(1, 1));
  loop_.run([&]() -> Task<void> {
    co_await pool.open(/*wait=*/true);
    AsyncConnection conn = co_await pool.getconn();
    co_await conn.execute("INSERT INTO items VALUES (1)");
    EXPECT_EQ(conn.transaction_status(), TransactionStatus::kInTrans);
    co_await pool.putconn(std::move(conn));
    AsyncConnection again = co_await pool.getconn();
    EXPECT_EQ(again.transaction_status(), TransactionStatus::kIdle);
    co_await pool.putconn(std::move(again));
  }());
  EXPECT_EQ(scalar("SELECT count(*) FROM items"), 0);
}

TEST_F(AsyncConnectionPoolTest, ConnectionCommitsOnReturn) {
  AsyncConnectionPool pool(dsn(), options(1, 1));
  loop_.run([&]() -> Task<void> {
    co_await pool.open();
    co_await pool.connection([](AsyncConnection& conn) -> Task<void> {
      co_await conn.execute("INSERT INTO items VALUES (1)");
    });
    EXPECT_EQ(pool.get_stats()["pool_available"], 1);
  }());
  EXPECT_EQ(scalar("SELECT count(*) FROM items"), 1);
}

TEST_F(AsyncConnectionPoolTest, ConnectionRollsBackAndRethrows) {
  AsyncConnectionPool pool(dsn(), options(1, 1));
  bool caught = false;
  loop_.run([&]() -> Task<void> {
    co_await pool.open();
    try {
      co_await pool.connection([](AsyncConnection& conn) -> Task<void> {
        co_await conn.execute("INSERT INTO items VALUES (1)");
        throw std::runtime_error("body failed");
      });
    } catch (const std::runtime_error& e) {
      caught = std::string(e.what()) == "body failed";
    }
    // The connection is back, idle, out of the transaction.
    AsyncConnection conn = co_await pool.getconn(1s);
    EXPECT_EQ(conn.transaction_status(), TransactionStatus::kIdle);
    co_await pool.putconn(std::move(conn));
  }());
  EXPECT_TRUE(caught);
  EXPECT_EQ(scalar("SELECT count(*) FROM items"), 0);
}

TEST_F(AsyncConnectionPoolTest, MaxSizeRespectedByManyConcurrentTasks) {
  constexpr int kMaxSize = 3;
  constexpr int kTasks = 12;
  AsyncConnectionPool pool(dsn(), options(1, kMaxSize));
  int in_use = 0;
  int peak = 0;
  int done = 0;
  int64_t peak_server_connections = 0;
  loop_.run([&]() -> Task<void> {
    co_await pool.open(/*wait=*/true);
    std::vector<Task<void>> tasks;
    for (int i = 0; i < kTasks; ++i) {
      tasks.push_back(pool.connection([&, i](AsyncConnection& conn) -> Task<void> {
        peak = std::max(peak, ++in_use);
        co_await conn.execute("SELECT pg_sleep(0.05)");
        co_await conn.execute("INSERT INTO items VALUES (%s)", i);
        --in_use;
        ++done;
      }));
    }
    co_await when_all(std::move(tasks));
    peak_server_connections = server_connections();
    EXPECT_LE(pool.get_stats()["pool_size"], kMaxSize);
    EXPECT_GT(pool.get_stats()["requests_queued"], 0);
  }());
  EXPECT_EQ(done, kTasks);
  EXPECT_LE(peak, kMaxSize);
  EXPECT_GE(peak, 2);  // the pool grew beyond min_size while tasks waited
  EXPECT_LE(peak_server_connections, kMaxSize);
  EXPECT_EQ(scalar("SELECT count(*) FROM items"), kTasks);
}

TEST_F(AsyncConnectionPoolTest, GetconnRaisesPoolTimeoutWhenExhausted) {
  AsyncConnectionPool pool(dsn(), options(1, 1));
  loop_.run([&]() -> Task<void> {
    co_await pool.open(/*wait=*/true);
    AsyncConnection held = co_await pool.getconn();
    const auto start = Clock::now();
    bool timed_out = false;
    try {
      AsyncConnection second = co_await pool.getconn(200ms);
      ADD_FAILURE() << "got a second connection from a pool of one";
    } catch (const PoolTimeout& e) {
      timed_out = true;
      EXPECT_THAT(e.what(), HasSubstr("couldn't get a connection after 0.20 sec"));
    }
    EXPECT_TRUE(timed_out);
    EXPECT_GE(Clock::now() - start, 200ms);
    EXPECT_EQ(pool.get_stats()["requests_errors"], 1);
    EXPECT_EQ(pool.get_stats()["requests_waiting"], 0);
    co_await pool.putconn(std::move(held));
  }());
}

TEST_F(AsyncConnectionPoolTest, WaitingClientsAreServedFirstComeFirstServed) {
  AsyncConnectionPool pool(dsn(), options(1, 1));
  std::vector<int> served;
  loop_.run([&]() -> Task<void> {
    co_await pool.open(/*wait=*/true);
    AsyncConnection held = co_await pool.getconn();
    auto client = [&](int id) -> Task<void> {
      AsyncConnection conn = co_await pool.getconn(10s);
      served.push_back(id);
      co_await loop_.sleep(1ms);
      co_await pool.putconn(std::move(conn));
    };
    auto releaser = [&]() -> Task<void> {
      while (pool.get_stats()["requests_waiting"] < 4) co_await loop_.sleep(1ms);
      co_await pool.putconn(std::move(held));
    };
    std::vector<Task<void>> tasks;
    for (int id = 0; id < 4; ++id) tasks.push_back(client(id));
    tasks.push_back(releaser());
    co_await when_all(std::move(tasks));
  }());
  EXPECT_EQ(served, (std::vector<int>{0, 1, 2, 3}));
}

TEST_F(AsyncConnectionPoolTest, MaxWaitingRefusesExtraClients) {
  PoolOptions opts = options(1, 1);
  opts.max_waiting = 1;
  AsyncConnectionPool pool(dsn(), opts);
  loop_.run([&]() -> Task<void> {
    co_await pool.open(/*wait=*/true);
    AsyncConnection held = co_await pool.getconn();
    bool refused = false;
    auto patient = [&]() -> Task<void> {
      AsyncConnection conn = co_await pool.getconn(10s);
      co_await pool.putconn(std::move(conn));
    };
    auto extra = [&]() -> Task<void> {
      while (pool.get_stats()["requests_waiting"] == 0) co_await loop_.sleep(1ms);
      try {
        AsyncConnection conn = co_await pool.getconn(10s);
      } catch (const TooManyRequests& e) {
        refused = true;
        EXPECT_THAT(e.what(), HasSubstr("has already 1 requests waiting"));
      }
      co_await pool.putconn(std::move(held));
    };
    std::vector<Task<void>> tasks;
    tasks.push_back(patient());
    tasks.push_back(extra());
    co_await when_all(std::move(tasks));
    EXPECT_TRUE(refused);
  }());
}

TEST_F(AsyncConnectionPoolTest, ExpiredConnectionIsReplacedOnReturn) {
  PoolOptions opts = options(1, 1);
  opts.max_lifetime = 50ms;
  AsyncConnectionPool pool(dsn(), opts);
  loop_.run([&]() -> Task<void> {
    co_await pool.open(/*wait=*/true);
    AsyncConnection conn = co_await pool.getconn();
    const int64_t pid = co_await backend_pid(conn);
    co_await loop_.sleep(60ms);
    co_await pool.putconn(std::move(conn));
    co_await expect_replaced(pool, pid);
  }());
}

// A client task destroyed while it waits (an abandoned Task) leaves the queue; one destroyed
// after being handed a connection, before it ran, gives the connection back.
TEST_F(AsyncConnectionPoolTest, AbandonedWaiterLeavesTheQueueAndGivesBackItsConnection) {
  AsyncConnectionPool pool(dsn(), options(1, 1));
  loop_.run([&]() -> Task<void> {
    co_await pool.open(/*wait=*/true);
    auto client = [&pool]() -> Task<void> {
      AsyncConnection conn = co_await pool.getconn(10s);
      ADD_FAILURE() << "an abandoned client was served";
    };
    AsyncConnection held = co_await pool.getconn();
    Task<void> waiting = client();
    waiting.handle().resume();  // started by hand: it queues in getconn()
    EXPECT_EQ(pool.get_stats()["requests_waiting"], 1);
    waiting = Task<void>();
    EXPECT_EQ(pool.get_stats()["requests_waiting"], 0);
    co_await pool.putconn(std::move(held));
    EXPECT_EQ(pool.get_stats()["pool_available"], 1);

    held = co_await pool.getconn();
    waiting = client();
    waiting.handle().resume();
    co_await pool.putconn(std::move(held));  // handed to the waiting client
    EXPECT_EQ(pool.get_stats()["pool_available"], 0);
    waiting = Task<void>();  // before it could run
    EXPECT_EQ(pool.get_stats()["pool_available"], 1);
    AsyncConnection again = co_await pool.getconn(1s);
    EXPECT_EQ(co_await async_scalar(again, "SELECT 1"), 1);
    co_await pool.putconn(std::move(again));
  }());
}

TEST_F(AsyncConnectionPoolTest, TerminatedConnectionIsReplaced) {
  AsyncConnectionPool pool(dsn(), options(1, 1));
  loop_.run([&]() -> Task<void> {
    co_await pool.open(/*wait=*/true);
    AsyncConnection conn = co_await pool.getconn();
    const int64_t pid = co_await backend_pid(conn);
    terminate_backend(pid);
    bool failed = false;
    try {
      co_await conn.exec_command("SELECT 1");
    } catch (const OperationalError&) {
      failed = true;
    }
    EXPECT_TRUE(failed);
    co_await pool.putconn(std::move(conn));
    EXPECT_EQ(pool.get_stats()["returns_bad"], 1);
    // A pool of one serves again only if the dead connection was replaced.
    co_await expect_replaced(pool, pid);
    EXPECT_EQ(pool.get_stats()["connections_num"], 2);
  }());
}

TEST_F(AsyncConnectionPoolTest, CloseFailsWaitersAndLaterGetconn) {
  AsyncConnectionPool pool(dsn(), options(1, 1));
  bool waiter_got_closed = false;
  bool later_got_closed = false;
  loop_.run([&]() -> Task<void> {
    co_await pool.open(/*wait=*/true);
    AsyncConnection held = co_await pool.getconn();
    auto waiter = [&]() -> Task<void> {
      try {
        AsyncConnection conn = co_await pool.getconn(10s);
      } catch (const PoolClosed&) {
        waiter_got_closed = true;
      }
    };
    auto closer = [&]() -> Task<void> {
      while (pool.get_stats()["requests_waiting"] == 0) {
        co_await loop_.sleep(1ms);
      }
      co_await pool.close();
    };
    std::vector<Task<void>> tasks;
    tasks.push_back(waiter());
    tasks.push_back(closer());
    co_await when_all(std::move(tasks));
    EXPECT_TRUE(pool.closed());
    try {
      AsyncConnection conn = co_await pool.getconn(1s);
    } catch (const PoolClosed& e) {
      later_got_closed = true;
      EXPECT_THAT(e.what(), HasSubstr("is already closed"));
    }
    co_await pool.putconn(std::move(held));  // closed, not kept
    EXPECT_EQ(pool.get_stats()["pool_available"], 0);
  }());
  EXPECT_TRUE(waiter_got_closed);
  EXPECT_TRUE(later_got_closed);
  EXPECT_EQ(server_connections_reaching(0), 0);
}

TEST_F(AsyncConnectionPoolTest, WaitReturnsWithMinSizeConnectionsReady) {
  AsyncConnectionPool pool(dsn(), options(3, 5));
  loop_.run([&]() -> Task<void> {
    co_await pool.open();
    co_await pool.wait(10s);
    EXPECT_EQ(pool.get_stats()["pool_available"], 3);
    EXPECT_EQ(pool.get_stats()["connections_num"], 3);
  }());
  EXPECT_EQ(server_connections_reaching(3), 3);
}

TEST_F(AsyncConnectionPoolTest, WaitRaisesPoolTimeoutWhenTheServerIsUnreachable) {
  // Port 1: refused at once, then retried after ~1 s of backoff.
  AsyncConnectionPool pool("host=127.0.0.1 port=1", {.min_size = 1});
  bool timed_out = false;
  loop_.run([&]() -> Task<void> {
    co_await pool.open();
    try {
      co_await pool.wait(300ms);
    } catch (const PoolTimeout& e) {
      timed_out = true;
      EXPECT_THAT(e.what(), HasSubstr("pool initialization incomplete after 0.3 sec"));
    }
    EXPECT_TRUE(pool.closed());
    EXPECT_GE(pool.get_stats()["connections_errors"], 1);
  }());
  EXPECT_TRUE(timed_out);
}

TEST_F(AsyncConnectionPoolTest, GetconnBeforeOpenRaisesPoolClosed) {
  AsyncConnectionPool pool(dsn(), options(1, 1));
  loop_.run([&]() -> Task<void> {
    bool raised = false;
    try {
      AsyncConnection conn = co_await pool.getconn();
    } catch (const PoolClosed& e) {
      raised = true;
      EXPECT_THAT(e.what(), HasSubstr("is not open yet"));
    }
    EXPECT_TRUE(raised);
  }());
}

// Until `done()` or 10 s have passed, letting the pool's tasks run.
template <class F>
Task<bool> eventually(EventLoop& loop, F done) {
  const auto deadline = Clock::now() + 10s;
  while (!done() && Clock::now() < deadline) co_await loop.sleep(5ms);
  co_return done();
}

TEST_F(AsyncConnectionPoolTest, ShrinksToMinSizeAfterMaxIdle) {
  PoolOptions opts = options(1, 3);
  opts.max_idle = 100ms;
  AsyncConnectionPool pool(dsn(), opts);
  loop_.run([&]() -> Task<void> {
    co_await pool.open(/*wait=*/true);
    std::vector<AsyncConnection> held;
    for (int i = 0; i < 3; ++i) held.push_back(co_await pool.getconn(10s));
    EXPECT_EQ(pool.get_stats()["pool_size"], 3);
    for (AsyncConnection& conn : held) co_await pool.putconn(std::move(conn));
    EXPECT_EQ(pool.get_stats()["pool_available"], 3);
    // One connection per unused period: 3 -> 2 -> 1, never below min_size.
    EXPECT_TRUE(co_await eventually(loop_, [&] { return pool.get_stats()["pool_size"] == 1; }));
    co_await loop_.sleep(300ms);
    EXPECT_EQ(pool.get_stats()["pool_size"], 1);
    EXPECT_EQ(pool.get_stats()["pool_available"], 1);
    co_await pool.close();
  }());
  EXPECT_EQ(server_connections_reaching(0), 0);
}

TEST_F(AsyncConnectionPoolTest, DroppedConnectionIsReplacedAndCountedLost) {
  AsyncConnectionPool pool(dsn(), options(1, 1));
  loop_.run([&]() -> Task<void> {
    co_await pool.open(/*wait=*/true);
    int64_t pid = 0;
    {
      AsyncConnection dropped = co_await pool.getconn();
      pid = co_await backend_pid(dropped);
    }  // destroyed without putconn()
    // A full pool of one serves again only if the lost connection's slot was reclaimed.
    co_await expect_replaced(pool, pid);
    EXPECT_EQ(pool.get_stats()["connections_lost"], 1);
    EXPECT_EQ(pool.get_stats()["pool_size"], 1);
  }());
}

TEST_F(AsyncConnectionPoolTest, CheckReplacesTerminatedConnection) {
  AsyncConnectionPool pool(dsn(), options(1, 1));
  loop_.run([&]() -> Task<void> {
    co_await pool.open(/*wait=*/true);
    AsyncConnection conn = co_await pool.getconn();
    const int64_t pid = co_await backend_pid(conn);
    co_await pool.putconn(std::move(conn));
    terminate_backend(pid);
    co_await pool.check();
    EXPECT_EQ(pool.get_stats()["connections_lost"], 1);
    co_await expect_replaced(pool, pid);
  }());
}

TEST_F(AsyncConnectionPoolTest, DrainReplacesEveryConnection) {
  AsyncConnectionPool pool(dsn(), options(2, 2));
  loop_.run([&]() -> Task<void> {
    co_await pool.open(/*wait=*/true);
    AsyncConnection lent = co_await pool.getconn();
    const int64_t lent_pid = co_await backend_pid(lent);
    AsyncConnection idle = co_await pool.getconn();
    const int64_t idle_pid = co_await backend_pid(idle);
    co_await pool.putconn(std::move(idle));
    co_await pool.drain();  // the idle one now, the lent one when it comes back
    co_await pool.putconn(std::move(lent));
    std::vector<AsyncConnection> fresh;
    for (int i = 0; i < 2; ++i) {
      fresh.push_back(co_await pool.getconn(10s));
      const int64_t pid = co_await backend_pid(fresh.back());
      EXPECT_NE(pid, lent_pid);
      EXPECT_NE(pid, idle_pid);
    }
    for (AsyncConnection& conn : fresh) co_await pool.putconn(std::move(conn));
    EXPECT_EQ(pool.get_stats()["connections_num"], 4);
  }());
  EXPECT_EQ(server_connections_reaching(2), 2);
}

TEST_F(AsyncConnectionPoolTest, ResizeGrowsAndShrinks) {
  PoolOptions opts = options(1, 1);
  opts.max_idle = 100ms;
  AsyncConnectionPool pool(dsn(), opts);
  loop_.run([&]() -> Task<void> {
    co_await pool.open(/*wait=*/true);
    co_await pool.resize(3, 4);
    EXPECT_EQ(pool.min_size(), 3);
    EXPECT_EQ(pool.max_size(), 4);
    co_await pool.wait(10s);  // min_size (3) idle
    EXPECT_EQ(pool.get_stats()["pool_available"], 3);
    EXPECT_EQ(server_connections(), 3);
    co_await pool.resize(1);
    EXPECT_EQ(pool.get_stats()["pool_max"], 1);
    EXPECT_TRUE(co_await eventually(loop_, [&] { return pool.get_stats()["pool_size"] == 1; }));
    bool refused = false;
    try {
      co_await pool.resize(2, 1);
    } catch (const std::invalid_argument&) {
      refused = true;
    }
    EXPECT_TRUE(refused);
  }());
  EXPECT_EQ(server_connections_reaching(1), 1);
}

TEST_F(AsyncConnectionPoolTest, PopStatsResetsCounters) {
  AsyncConnectionPool pool(dsn(), options(1, 1));
  loop_.run([&]() -> Task<void> {
    co_await pool.open(/*wait=*/true);
    AsyncConnection conn = co_await pool.getconn();
    co_await pool.putconn(std::move(conn));
    AsyncPoolStats popped = pool.pop_stats();
    EXPECT_EQ(popped["requests_num"], 1);
    EXPECT_EQ(popped["connections_num"], 1);
    AsyncPoolStats after = pool.get_stats();
    EXPECT_EQ(after.count("requests_num"), 0u);
    EXPECT_EQ(after.count("connections_num"), 0u);
    EXPECT_EQ(after["pool_size"], 1);  // gauges are not counters
    conn = co_await pool.getconn();
    co_await pool.putconn(std::move(conn));
    EXPECT_EQ(pool.get_stats()["requests_num"], 1);
  }());
}

// A connection attempt stuck on a silent server (10 s connect_timeout) is abandoned by close():
// its socket closes and the pool's background tasks end at once.
TEST_F(AsyncConnectionPoolTest, CloseAbandonsSlowConnectionAttempts) {
  ConnInfoDict params = conninfo_to_dict(dsn());
  pgcpp::testing::FaultProxy proxy(params.at("host"), std::stoi(params.at("port")));
  proxy.set_black_hole(true);
  AsyncConnectionPool pool(proxy.dsn(dsn()), options(1, 1));
  loop_.run([&]() -> Task<void> {
    co_await pool.open();
    EXPECT_TRUE(co_await eventually(loop_, [&] { return proxy.connection_count() == 1; }));
    EXPECT_GT(loop_.pending_tasks(), 0u);
    const auto start = Clock::now();
    co_await pool.close();
    EXPECT_TRUE(co_await eventually(loop_, [&] { return loop_.pending_tasks() == 0; }));
    EXPECT_TRUE(co_await eventually(loop_, [&] { return proxy.connection_count() == 0; }));
    EXPECT_LT(Clock::now() - start, 2s);
    EXPECT_EQ(pool.get_stats().count("connections_errors"), 0u);  // abandoned, not failed
  }());
}

TEST(AsyncConnectionPoolOptionsTest, RejectsBadSizesAndSyncCallbacks) {
  EXPECT_THROW(AsyncConnectionPool("", {.min_size = 2, .max_size = 1}), std::invalid_argument);
  EXPECT_THROW(AsyncConnectionPool("", {.min_size = 0, .max_size = 0}), std::invalid_argument);
  PoolOptions with_check;
  with_check.check = [](Connection&) {};
  EXPECT_THROW(AsyncConnectionPool("", with_check), std::invalid_argument);
}

}  // namespace
}  // namespace pgcpp
