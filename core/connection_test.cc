#include "pgcpp/core/connection.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "pgcpp/core/conninfo.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/testing/database.h"
#include "pgcpp/testing/fault_proxy.h"
#include "pgcpp/testing/server_activity.h"

namespace pgcpp {
namespace {

using ::testing::HasSubstr;

std::string dead_port() { return std::to_string(pgcpp::testing::FaultProxy::refused_port()); }

class ConnectionTest : public pgcpp::testing::DatabaseTest {
 protected:
  ConnInfoDict params() { return conninfo_to_dict(dsn()); }
};

TEST_F(ConnectionTest, ConnectsFromAConninfoString) {
  Connection conn = Connection::connect(dsn());
  EXPECT_FALSE(conn.closed());
  EXPECT_FALSE(conn.broken());
  EXPECT_FALSE(conn.autocommit());
  EXPECT_EQ(conn.transaction_status(), TransactionStatus::kIdle);
}

TEST_F(ConnectionTest, ConnectsFromOptions) {
  ConnInfoDict p = params();
  Connection conn = Connection::connect({.autocommit = true,
                                         .host = p.at("host"),
                                         .port = std::stoi(p.at("port")),
                                         .dbname = p.at("dbname"),
                                         .user = p.at("user"),
                                         .application_name = "pgcpp-test"});
  EXPECT_TRUE(conn.autocommit());
  conn.exec_command("SELECT 1");
  EXPECT_EQ(conn.transaction_status(), TransactionStatus::kIdle);
}

TEST_F(ConnectionTest, OptionsOverrideTheConninfoString) {
  ConnInfoDict p = params();
  std::string wrong = "host=" + p.at("host") + " port=" + dead_port() +
                      " dbname=" + p.at("dbname") + " user=" + p.at("user");
  Connection conn = Connection::connect(wrong, {.port = std::stoi(p.at("port"))});
  EXPECT_FALSE(conn.closed());
}

TEST_F(ConnectionTest, AdoptsAConnectionItsCallerConnected) {
  ConnectOptions options{.autocommit = true};
  Connection conn = Connection::adopt(wait(connect_operation(dsn(), options)), options);
  EXPECT_TRUE(conn.autocommit());
  conn.exec_command("CREATE TEMP TABLE adopted (x int)");
  EXPECT_EQ(conn.transaction_status(), TransactionStatus::kIdle);  // autocommit: no BEGIN
  EXPECT_THROW(Connection::adopt(nullptr), InterfaceError);
}

TEST_F(ConnectionTest, UnknownKeywordIsAProgrammingErrorNamingIt) {
  try {
    Connection::connect(dsn() + " nosuchoption=1");
    FAIL() << "connected with an unknown keyword";
  } catch (const ProgrammingError& e) {
    EXPECT_THAT(e.what(), HasSubstr("nosuchoption"));
  }
}

TEST_F(ConnectionTest, RefusedConnectionIsAnOperationalError) {
  try {
    Connection::connect("host=127.0.0.1 port=" + dead_port() + " connect_timeout=5");
    FAIL() << "connected to nothing";
  } catch (const OperationalError& e) {
    EXPECT_THAT(e.what(), HasSubstr("connection failed"));
  }
}

TEST_F(ConnectionTest, MultiHostTriesEachAddressInTurn) {
  ConnInfoDict p = params();
  Connection conn =
      Connection::connect("host=127.0.0.1,127.0.0.1 port=" + dead_port() + "," + p.at("port") +
                          " dbname=" + p.at("dbname") + " user=" + p.at("user"));
  EXPECT_FALSE(conn.closed());
}

TEST_F(ConnectionTest, MultiHostFailureReportsEveryAttempt) {
  std::string a = dead_port(), b = dead_port();
  try {
    Connection::connect("host=127.0.0.1,127.0.0.1 port=" + a + "," + b);
    FAIL() << "connected to nothing";
  } catch (const OperationalError& e) {
    std::string message = e.what();
    EXPECT_THAT(message, HasSubstr("Multiple connection attempts failed. All failures were:"));
    EXPECT_THAT(message, HasSubstr("port: '" + a + "'"));
    EXPECT_THAT(message, HasSubstr("port: '" + b + "'"));
  }
}

TEST_F(ConnectionTest, ConnectTimeoutAgainstASilentServer) {
  ConnInfoDict p = params();
  pgcpp::testing::FaultProxy proxy(p.at("host"), std::stoi(p.at("port")));
  proxy.set_black_hole(true);
  EXPECT_THROW(Connection::connect(proxy.dsn(dsn()) + " connect_timeout=2"), ConnectionTimeout);
}

TEST_F(ConnectionTest, CloseIsIdempotentAndNotBroken) {
  Connection conn = Connection::connect(dsn());
  conn.close();
  conn.close();
  EXPECT_TRUE(conn.closed());
  EXPECT_FALSE(conn.broken());
}

TEST_F(ConnectionTest, OperationsOnAClosedConnectionRaise) {
  Connection conn = Connection::connect(dsn());
  conn.close();
  try {
    conn.exec_command("SELECT 1");
    FAIL() << "ran a command on a closed connection";
  } catch (const OperationalError& e) {
    EXPECT_STREQ(e.what(), "the connection is closed");
  }
  EXPECT_THROW(conn.commit(), OperationalError);
  EXPECT_NO_THROW(conn.cancel());
}

TEST_F(ConnectionTest, MovedFromConnectionIsClosed) {
  Connection conn = Connection::connect(dsn());
  Connection other = std::move(conn);
  EXPECT_TRUE(conn.closed());  // NOLINT(bugprone-use-after-move): the documented state
  EXPECT_THROW(conn.exec_command("SELECT 1"), OperationalError);
  EXPECT_FALSE(other.closed());
}

TEST_F(ConnectionTest, CloseNeverCommits) {
  Connection setup = Connection::connect(dsn(), {.autocommit = true});
  setup.exec_command("CREATE TABLE never_committed (id int)");
  Connection conn = Connection::connect(dsn());
  conn.exec_command("BEGIN");
  conn.exec_command("INSERT INTO never_committed VALUES (1)");
  conn.close();
  // The server raises if the row was committed.
  setup.exec_command(
      "DO $$ BEGIN IF (SELECT count(*) FROM never_committed) <> 0 THEN "
      "RAISE EXCEPTION 'close() committed'; END IF; END $$");
}

TEST_F(ConnectionTest, CommitAndRollbackOnAnIdleConnectionDoNothing) {
  Connection conn = Connection::connect(dsn());
  std::vector<std::string> commands;
  conn.base().set_command_observer([&](std::string_view c) { commands.emplace_back(c); });
  conn.commit();
  conn.rollback();
  EXPECT_TRUE(commands.empty());
}

TEST_F(ConnectionTest, ServerErrorsRaiseTheirSqlstateClass) {
  Connection conn = Connection::connect(dsn(), {.autocommit = true});
  try {
    conn.exec_command("SELECT * FROM no_such_table");
    FAIL() << "no error";
  } catch (const errors::UndefinedTable& e) {
    EXPECT_EQ(e.sqlstate(), "42P01");
    EXPECT_THAT(e.diag().message_primary.value_or(""), HasSubstr("no_such_table"));
  }
  EXPECT_THROW(conn.exec_command("SELECT 1/0"), errors::DivisionByZero);
  EXPECT_THROW(conn.exec_command("SELEC 1"), errors::SyntaxError);
}

TEST_F(ConnectionTest, ExecQueryReturnsTheLastResult) {
  Connection conn = Connection::connect(dsn(), {.autocommit = true});
  PGresultPtr res = conn.run(conn.base().exec_query("SELECT 1; SELECT 'a', 'b'"));
  ASSERT_EQ(PQresultStatus(res.get()), PGRES_TUPLES_OK);
  EXPECT_EQ(PQnfields(res.get()), 2);
  EXPECT_STREQ(PQgetvalue(res.get(), 0, 1), "b");
  EXPECT_THROW(conn.run(conn.base().exec_query("SELECT 1/0")), errors::DivisionByZero);
}

TEST_F(ConnectionTest, NoticesGoToHandlers) {
  Connection conn = Connection::connect(dsn(), {.autocommit = true});
  std::vector<Diagnostic> notices;
  conn.add_notice_handler([&](const Diagnostic& d) { notices.push_back(d); });
  conn.add_notice_handler([](const Diagnostic&) { throw std::runtime_error("ignored"); });
  conn.exec_command("DO $$ BEGIN RAISE NOTICE 'hello %', 42; END $$");
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].message_primary.value_or(""), "hello 42");
  EXPECT_EQ(notices[0].severity.value_or(""), "NOTICE");
  EXPECT_EQ(notices[0].sqlstate.value_or(""), "00000");
}

TEST_F(ConnectionTest, CancelFromAnotherThreadRaisesQueryCanceled) {
  Connection conn = Connection::connect(dsn(), {.autocommit = true});
  std::thread canceller([&] {
    // A cancel that reaches the backend before the query starts is ignored.
    if (pgcpp::testing::wait_for_active_query(dsn(), "SELECT pg_sleep(10)")) conn.cancel();
  });
  EXPECT_THROW(conn.exec_command("SELECT pg_sleep(10)"), errors::QueryCanceled);
  canceller.join();
  conn.exec_command("SELECT 1");  // still usable
}

TEST_F(ConnectionTest, CancelRefusalRaisesUntilCleared) {
  Connection conn = Connection::connect(dsn(), {.autocommit = true});
  conn.base().set_cancel_refusal("cannot be used now");
  try {
    conn.cancel();
    FAIL() << "cancel() was not refused";
  } catch (const ProgrammingError& e) {
    EXPECT_STREQ(e.what(), "cancel() cannot be used now");
  }
  conn.base().set_cancel_refusal("");
  EXPECT_NO_THROW(conn.cancel());
  conn.base().set_cancel_refusal("cannot be used now");
  conn.close();
  EXPECT_NO_THROW(conn.cancel());  // a closed connection ignores cancel(), as in psycopg
}

TEST_F(ConnectionTest, CutConnectionIsBrokenAndClosed) {
  ConnInfoDict p = params();
  pgcpp::testing::FaultProxy proxy(p.at("host"), std::stoi(p.at("port")));
  Connection conn = Connection::connect(proxy.dsn(dsn()));
  conn.exec_command("BEGIN");
  proxy.cut_all();
  EXPECT_THROW(conn.exec_command("SELECT 1"), OperationalError);
  EXPECT_TRUE(conn.closed());
  EXPECT_TRUE(conn.broken());
}

TEST_F(ConnectionTest, TerminatedBackendIsBroken) {
  Connection conn = Connection::connect(dsn(), {.autocommit = true});
  Connection killer = Connection::connect(dsn(), {.autocommit = true});
  killer.exec_command("SELECT pg_terminate_backend(" +
                      std::to_string(PQbackendPID(conn.base().pgconn())) + ")");
  EXPECT_THROW(conn.exec_command("SELECT 1"), OperationalError);
  EXPECT_TRUE(conn.broken());
}

}  // namespace
}  // namespace pgcpp
