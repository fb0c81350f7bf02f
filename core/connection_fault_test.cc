// What a Connection does when the network or the server fails under it, and
// when a query is cancelled: real servers, a fault proxy, no mocks.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "pgcpp/core/connection.h"
#include "pgcpp/core/conninfo.h"
#include "pgcpp/core/error_testing.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/testing/database.h"
#include "pgcpp/testing/ephemeral_server.h"
#include "pgcpp/testing/fault_proxy.h"
#include "pgcpp/testing/server_activity.h"

namespace pgcpp {
namespace {

using pgcpp::testing::EphemeralServer;
using pgcpp::testing::FaultProxy;
using pgcpp::testing::wait_for_active_query;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

int64_t count_rows(const Connection& conn, const std::string& table) {
  return conn.execute("SELECT count(*) FROM " + table).fetchone(scalar_row<int64_t>).value();
}

class ConnectionFaultTest : public pgcpp::testing::DatabaseTest {
 protected:
  static FaultProxy proxy() {
    ConnInfoDict p = conninfo_to_dict(dsn());
    return FaultProxy(p.at("host"), std::stoi(p.at("port")));
  }
  // A connection through `faults` whose backend notices a cut within 100 ms (not only when it
  // next writes), so that its transaction ends soon.
  static Connection connect_through(const FaultProxy& faults) {
    return Connection::connect(
        faults.dsn(dsn()), {.params = {{"options", "-c client_connection_check_interval=100"}}});
  }
  // A table of its own for each test.
  static std::string create_table(const std::string& name) {
    Connection setup = Connection::connect(dsn(), {.autocommit = true});
    setup.execute("CREATE TABLE " + name + " (id int)");
    return name;
  }
  // `SELECT pg_sleep(seconds)` with a text that only this test runs (wait_for_active_query
  // looks for it on a server other tests and processes may share).
  static std::string sleep_query(int seconds) {
    return "SELECT pg_sleep(" + std::to_string(seconds) + ") -- " + database_name() + " " +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }
  // Cuts every connection through `faults` as soon as the server runs `query`.
  static std::jthread cut_when_active(FaultProxy& faults, std::string query) {
    return std::jthread([&faults, query = std::move(query)] {
      if (wait_for_active_query(dsn(), query)) faults.cut_all();
    });
  }
  // Cancels `conn`'s command as soon as the server runs `query`; a cancel that arrived before
  // the query started would be lost.
  static std::jthread cancel_when_active(Connection& conn, std::string query) {
    return std::jthread([&conn, query = std::move(query)] {
      if (wait_for_active_query(dsn(), query)) conn.cancel();
    });
  }
  // Once the backend `pid` is gone (its transaction over, one way or the other), `table` must
  // be empty for everyone.
  static void expect_nothing_committed(int pid, const std::string& table) {
    Connection monitor = Connection::connect(dsn(), {.autocommit = true});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (monitor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", pid)
               .fetchone(scalar_row<int64_t>) != 0) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "backend " << pid << " lives on";
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(count_rows(monitor, table), 0);
  }
};

TEST_F(ConnectionFaultTest, CutDuringAQueryBreaksTheConnectionAndCommitsNothing) {
  const std::string table = create_table("cut_rows");
  FaultProxy faults(proxy());
  Connection conn = connect_through(faults);
  conn.execute("INSERT INTO cut_rows SELECT generate_series(1, 3)");
  ASSERT_EQ(count_rows(conn, table), 3);  // visible inside the transaction
  ASSERT_EQ(conn.transaction_status(), TransactionStatus::kInTrans);
  const int backend = conn.info().backend_pid();

  std::jthread cutter = cut_when_active(faults, sleep_query(5));
  EXPECT_THROW(conn.execute(sleep_query(5)), OperationalError);
  cutter.join();
  EXPECT_TRUE(conn.broken());
  EXPECT_TRUE(conn.closed());
  EXPECT_EQ(conn.transaction_status(), TransactionStatus::kUnknown);
  EXPECT_THROW(conn.execute("SELECT 1"), OperationalError);
  expect_nothing_committed(backend, table);
}

TEST_F(ConnectionFaultTest, CutInsideATransactionBlockKeepsTheNetworkError) {
  const std::string table = create_table("cut_block_rows");
  FaultProxy faults(proxy());
  Connection conn = connect_through(faults);
  const int backend = conn.info().backend_pid();
  std::vector<std::string> commands;
  conn.base().set_command_observer([&](std::string_view c) { commands.emplace_back(c); });

  std::jthread cutter = cut_when_active(faults, sleep_query(5));
  std::string message = core_testing::what_of<OperationalError>([&] {
    Transaction tx = conn.transaction();
    conn.execute("INSERT INTO cut_block_rows VALUES (1)");
    conn.execute(sleep_query(5));
  });
  cutter.join();
  // The error of the query, not one of a ROLLBACK on a dead connection: none was sent.
  EXPECT_THAT(message, HasSubstr("server closed the connection unexpectedly"));
  EXPECT_THAT(commands, ElementsAre("BEGIN"));
  EXPECT_TRUE(conn.broken());
  expect_nothing_committed(backend, table);
}

TEST_F(ConnectionFaultTest, ConnectTimeoutOptionBoundsAConnectToASilentServer) {
  FaultProxy faults(proxy());
  faults.set_black_hole(true);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(Connection::connect(faults.dsn(dsn()), {.connect_timeout = 2}), ConnectionTimeout);
  // Not libpq's default of no timeout, nor psycopg's 130 s.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
}

TEST_F(ConnectionFaultTest, ConnectTimeoutIsPerAttempt) {
  FaultProxy silent(proxy());
  silent.set_black_hole(true);
  ConnInfoDict p = conninfo_to_dict(dsn());
  Connection conn =
      Connection::connect("host=127.0.0.1,127.0.0.1 port=" + std::to_string(silent.port()) + "," +
                              p.at("port") + " dbname=" + p.at("dbname") + " user=" + p.at("user"),
                          {.connect_timeout = 2});
  EXPECT_EQ(conn.info().port(), std::stoi(p.at("port")));
}

TEST_F(ConnectionFaultTest, CancelInsideATransactionBlockRollsItBackAndPropagates) {
  const std::string table = create_table("cancelled_rows");
  Connection conn = Connection::connect(dsn());
  std::vector<std::string> commands;
  conn.base().set_command_observer([&](std::string_view c) { commands.emplace_back(c); });

  std::jthread canceller = cancel_when_active(conn, sleep_query(10));
  bool body_finished = false;
  auto body = [&](Transaction&) {
    conn.execute("INSERT INTO cancelled_rows VALUES (1)");
    conn.execute(sleep_query(10));
    body_finished = true;
  };
  EXPECT_THROW(conn.transaction(body), errors::QueryCanceled);
  canceller.join();

  EXPECT_FALSE(body_finished);
  EXPECT_THAT(commands, ElementsAre("BEGIN", "ROLLBACK"));
  EXPECT_EQ(conn.transaction_status(), TransactionStatus::kIdle);
  EXPECT_FALSE(conn.closed());
  EXPECT_EQ(conn.execute("SELECT 1").fetchone(scalar_row<int>), 1);  // still usable
  Connection other = Connection::connect(dsn());
  EXPECT_EQ(count_rows(other, table), 0);
}

TEST_F(ConnectionFaultTest, CancelInsideANestedBlockRollsBackOnlyToItsSavepoint) {
  const std::string table = create_table("nested_cancel_rows");
  Connection conn = Connection::connect(dsn());
  std::vector<std::string> commands;
  conn.base().set_command_observer([&](std::string_view c) { commands.emplace_back(c); });

  std::jthread canceller = cancel_when_active(conn, sleep_query(10));
  conn.transaction([&](Transaction&) {
    conn.execute("INSERT INTO nested_cancel_rows VALUES (1)");
    EXPECT_THROW(conn.transaction([&](Transaction&) {
      conn.execute("INSERT INTO nested_cancel_rows VALUES (2)");
      conn.execute(sleep_query(10));
    }),
                 errors::QueryCanceled);
    EXPECT_EQ(conn.transaction_status(), TransactionStatus::kInTrans);  // not in error
    conn.execute("INSERT INTO nested_cancel_rows VALUES (3)");
  });
  canceller.join();

  EXPECT_THAT(commands, ElementsAre("BEGIN", "SAVEPOINT \"_pg3_2\"", "ROLLBACK TO \"_pg3_2\"",
                                    "RELEASE \"_pg3_2\"", "COMMIT"));
  Connection other = Connection::connect(dsn(), {.autocommit = true});
  EXPECT_THAT(
      other.execute("SELECT id FROM nested_cancel_rows ORDER BY id").fetchall(scalar_row<int>),
      ElementsAre(1, 3));
}

TEST(ConnectionServerFaultTest, RestartBreaksAnOpenConnection) {
  EphemeralServer server;
  Connection conn = Connection::connect(server.dsn());
  conn.execute("SELECT 1");
  server.restart();

  EXPECT_THROW(conn.execute("SELECT 1"), OperationalError);
  EXPECT_TRUE(conn.broken());
  EXPECT_TRUE(conn.closed());
  Connection fresh = Connection::connect(server.dsn());
  EXPECT_EQ(fresh.execute("SELECT 42").fetchone(scalar_row<int>), 42);
}

TEST(ConnectionServerFaultTest, StoppedServerRefusesConnections) {
  EphemeralServer server;
  Connection::connect(server.dsn());  // reachable while running
  server.stop();
  std::string message =
      core_testing::what_of<OperationalError>([&] { Connection::connect(server.dsn()); });
  EXPECT_THAT(message, HasSubstr("connection failed"));
  EXPECT_THAT(message, HasSubstr("Connection refused"));
}

TEST(ConnectionServerFaultTest, CancelAfterTheServerDroppedTheConnectionDoesNothing) {
  EphemeralServer server;
  Connection conn = Connection::connect(server.dsn());
  server.stop();
  EXPECT_THROW(conn.execute("SELECT 1"), OperationalError);
  // From another thread, as a watchdog would, and before anyone asked closed(): as after
  // close(), there is nothing to cancel (and here no server to ask).
  std::thread([&] { EXPECT_NO_THROW(conn.cancel()); }).join();
  EXPECT_TRUE(conn.broken());
}

}  // namespace
}  // namespace pgcpp
