#include "pgcpp/tpc/two_phase.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "pgcpp/core/connection.h"
#include "pgcpp/core/error_testing.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/testing/database.h"
#include "pgcpp/testing/ephemeral_server.h"
#include "pgcpp/tpc/xid.h"

namespace pgcpp {
namespace {

using core_testing::what_of;
using ::testing::ElementsAre;

// The first column of the first row of `sql`, as text.
std::string query_value(Connection& conn, const std::string& sql) {
  PGresultPtr result = conn.run(conn.base().exec_query(sql));
  return PQgetvalue(result.get(), 0, 0);
}

class TwoPhaseTest : public pgcpp::testing::DatabaseTest {
 protected:
  void SetUp() override {
    Connection admin = admin_connection();
    admin.exec_command("CREATE TABLE IF NOT EXISTS items (id int)");
    admin.exec_command("TRUNCATE items");
  }

  void TearDown() override {
    // Prepared transactions outlive sessions: never leave one to the next test.
    TwoPhase tpc(admin_);
    for (const Xid& xid : tpc.recover()) {
      if (xid.database() == database_name()) tpc.rollback(xid);
    }
  }

  Connection admin_connection() { return Connection::connect(dsn(), {.autocommit = true}); }

  // A connection that records the commands pgcpp sends internally.
  Connection observed_connection() {
    Connection conn = Connection::connect(dsn());
    conn.base().set_command_observer([this](std::string_view c) { commands_.emplace_back(c); });
    return conn;
  }

  // begin(xid) and one row in items.
  static void begin_with_a_row(TwoPhase& tpc, Connection& conn, const Xid& xid) {
    tpc.begin(xid);
    conn.exec_command("INSERT INTO items VALUES (1)");
  }

  // A transaction with one row, prepared by a session that then ends.
  void prepare_in_a_session_that_ends(const Xid& xid) {
    Connection conn = Connection::connect(dsn());
    TwoPhase tpc(conn);
    begin_with_a_row(tpc, conn, xid);
    tpc.prepare();
  }

  int item_count() { return std::stoi(query_value(admin_, "SELECT count(*) FROM items")); }

  // This database's prepared transactions (the server may hold others' too).
  std::vector<Xid> prepared_here() {
    std::vector<Xid> here;
    for (Xid& xid : TwoPhase(admin_).recover()) {
      if (xid.database() == database_name()) here.push_back(std::move(xid));
    }
    return here;
  }

  // A gid no other test uses (gids are unique per server, not per database).
  Xid test_xid() {
    return Xid(1, ::testing::UnitTest::GetInstance()->current_test_info()->name(), database_name());
  }

  Connection admin_ = admin_connection();
  std::vector<std::string> commands_;
};

TEST_F(TwoPhaseTest, PreparedCommitSendsBeginPrepareCommitPrepared) {
  Connection conn = observed_connection();
  TwoPhase tpc(conn);
  Xid xid = test_xid();
  begin_with_a_row(tpc, conn, xid);
  tpc.prepare();
  EXPECT_TRUE(tpc.prepared());
  EXPECT_EQ(conn.transaction_status(), TransactionStatus::kIdle);
  EXPECT_EQ(item_count(), 0);
  EXPECT_THAT(prepared_here(), ElementsAre(xid));
  tpc.commit();
  EXPECT_EQ(tpc.state(), BaseTwoPhase::State::kNone);
  EXPECT_EQ(item_count(), 1);
  EXPECT_TRUE(prepared_here().empty());
  const std::string gid = "'" + xid.to_string() + "'";
  EXPECT_THAT(commands_, ElementsAre("BEGIN", "INSERT INTO items VALUES (1)",
                                     "PREPARE TRANSACTION " + gid, "COMMIT PREPARED " + gid));
}

TEST_F(TwoPhaseTest, PreparedRollbackDiscardsTheWork) {
  Connection conn = observed_connection();
  TwoPhase tpc(conn);
  Xid xid = test_xid();
  begin_with_a_row(tpc, conn, xid);
  tpc.prepare();
  tpc.rollback();
  EXPECT_EQ(item_count(), 0);
  EXPECT_TRUE(prepared_here().empty());
  EXPECT_EQ(commands_.back(), "ROLLBACK PREPARED '" + xid.to_string() + "'");
}

TEST_F(TwoPhaseTest, UnpreparedCommitIsOnePhase) {
  Connection conn = observed_connection();
  TwoPhase tpc(conn);
  begin_with_a_row(tpc, conn, test_xid());
  tpc.commit();
  EXPECT_EQ(item_count(), 1);
  EXPECT_THAT(commands_, ElementsAre("BEGIN", "INSERT INTO items VALUES (1)", "COMMIT"));
}

TEST_F(TwoPhaseTest, UnpreparedRollbackIsOnePhase) {
  Connection conn = observed_connection();
  TwoPhase tpc(conn);
  begin_with_a_row(tpc, conn, test_xid());
  tpc.rollback();
  EXPECT_EQ(item_count(), 0);
  EXPECT_THAT(commands_, ElementsAre("BEGIN", "INSERT INTO items VALUES (1)", "ROLLBACK"));
}

TEST_F(TwoPhaseTest, BeginUsesTheConnectionsTransactionCharacteristics) {
  Connection conn = observed_connection();
  conn.set_isolation_level(IsolationLevel::kSerializable);
  TwoPhase tpc(conn);
  tpc.begin(test_xid());
  EXPECT_EQ(query_value(conn, "SHOW transaction_isolation"), "serializable");
  tpc.rollback();
  EXPECT_EQ(commands_.front(), "BEGIN ISOLATION LEVEL SERIALIZABLE");
}

TEST_F(TwoPhaseTest, BeginIsRefusedInAutocommit) {
  Connection conn = Connection::connect(dsn(), {.autocommit = true});
  TwoPhase tpc(conn);
  EXPECT_EQ(what_of<ProgrammingError>([&] { tpc.begin(test_xid()); }),
            "can't use two-phase transactions in autocommit mode");
  EXPECT_EQ(tpc.state(), BaseTwoPhase::State::kNone);
}

TEST_F(TwoPhaseTest, BeginIsRefusedInsideATransaction) {
  Connection conn = Connection::connect(dsn());
  conn.exec_command("BEGIN");
  TwoPhase tpc(conn);
  EXPECT_EQ(what_of<ProgrammingError>([&] { tpc.begin(test_xid()); }),
            "can't start two-phase transaction: connection in status INTRANS");
  conn.rollback();  // not refused: no two-phase transaction began
}

TEST_F(TwoPhaseTest, ConnectionCommitAndRollbackAreRefusedUntilTheEnd) {
  Connection conn = Connection::connect(dsn());
  TwoPhase tpc(conn);
  tpc.begin(test_xid());
  EXPECT_EQ(what_of<ProgrammingError>([&] { conn.commit(); }),
            "commit() cannot be used during a two-phase transaction");
  EXPECT_EQ(what_of<ProgrammingError>([&] { conn.rollback(); }),
            "rollback() cannot be used during a two-phase transaction");
  tpc.prepare();
  EXPECT_THROW(conn.commit(), ProgrammingError);
  EXPECT_THROW(conn.rollback(), ProgrammingError);
  tpc.commit();
  EXPECT_NO_THROW(conn.commit());
  EXPECT_NO_THROW(conn.rollback());
}

TEST_F(TwoPhaseTest, CancelIsRefusedOnlyWhilePrepared) {
  Connection conn = Connection::connect(dsn());
  TwoPhase tpc(conn);
  tpc.begin(test_xid());
  EXPECT_NO_THROW(conn.cancel());
  tpc.prepare();
  EXPECT_EQ(what_of<ProgrammingError>([&] { conn.cancel(); }),
            "cancel() cannot be used with a prepared two-phase transaction");
  tpc.rollback();
  EXPECT_NO_THROW(conn.cancel());
}

TEST_F(TwoPhaseTest, OutOfOrderCallsAreProgrammingErrors) {
  Connection conn = Connection::connect(dsn());
  TwoPhase tpc(conn);
  EXPECT_EQ(what_of<ProgrammingError>([&] { tpc.prepare(); }),
            "prepare() must be called inside a two-phase transaction");
  EXPECT_EQ(what_of<ProgrammingError>([&] { tpc.commit(); }),
            "commit() without xid must be called within a two-phase transaction");
  EXPECT_EQ(what_of<ProgrammingError>([&] { tpc.rollback(); }),
            "rollback() without xid must be called within a two-phase transaction");
  tpc.begin(test_xid());
  EXPECT_EQ(what_of<ProgrammingError>([&] { tpc.begin(Xid(2, "other", "b")); }),
            "begin() cannot be used during a two-phase transaction");
  EXPECT_EQ(what_of<ProgrammingError>([&] { tpc.commit(Xid(2, "other", "b")); }),
            "commit() with xid must be called outside a two-phase transaction");
  tpc.prepare();
  EXPECT_EQ(what_of<ProgrammingError>([&] { tpc.prepare(); }),
            "prepare() cannot be used during a prepared two-phase transaction");
  EXPECT_EQ(what_of<ProgrammingError>([&] { tpc.rollback(Xid(2, "other", "b")); }),
            "rollback() with xid must be called outside a two-phase transaction");
  tpc.commit();
}

TEST_F(TwoPhaseTest, ASecondTwoPhaseCannotBeginOnTheSameConnection) {
  Connection conn = Connection::connect(dsn());
  TwoPhase first(conn);
  first.begin(test_xid());
  first.prepare();  // the connection is idle again, but the transaction is not over
  TwoPhase second(conn);
  EXPECT_EQ(what_of<ProgrammingError>([&] { second.begin(Xid(2, "other", "b")); }),
            "begin() cannot be used during a two-phase transaction");
  EXPECT_THROW(second.commit(first.xid().value()), ProgrammingError);
  first.commit();
  second.begin(Xid(2, "other", database_name()));
  second.rollback();
}

TEST_F(TwoPhaseTest, RecoverReportsPreparedTimeOwnerAndDatabase) {
  const auto before = std::chrono::system_clock::now() - std::chrono::seconds(1);
  prepare_in_a_session_that_ends(test_xid());
  const auto after = std::chrono::system_clock::now() + std::chrono::seconds(1);
  std::vector<Xid> xids = prepared_here();
  ASSERT_THAT(xids, ElementsAre(test_xid()));
  ASSERT_TRUE(xids[0].prepared().has_value());
  EXPECT_GE(*xids[0].prepared(), before);
  EXPECT_LE(*xids[0].prepared(), after);
  EXPECT_EQ(xids[0].owner(), query_value(admin_, "SELECT current_user"));
  EXPECT_EQ(xids[0].database(), database_name());
}

TEST_F(TwoPhaseTest, RecoveryCommitsFromAnotherConnection) {
  Xid xid = test_xid();
  prepare_in_a_session_that_ends(xid);
  Connection other = Connection::connect(dsn());
  TwoPhase recovery(other);
  std::vector<Xid> xids = prepared_here();
  ASSERT_THAT(xids, ElementsAre(xid));
  recovery.commit(xids[0]);
  EXPECT_EQ(item_count(), 1);
  EXPECT_TRUE(prepared_here().empty());
  EXPECT_EQ(other.transaction_status(), TransactionStatus::kIdle);
}

TEST_F(TwoPhaseTest, RecoveryRollsBackByGidString) {
  Xid xid = test_xid();
  prepare_in_a_session_that_ends(xid);
  Connection other = Connection::connect(dsn());
  TwoPhase(other).rollback(xid.to_string());
  EXPECT_EQ(item_count(), 0);
  EXPECT_TRUE(prepared_here().empty());
}

TEST_F(TwoPhaseTest, RecoverLeavesAnIdleConnectionIdle) {
  Connection conn = Connection::connect(dsn());
  TwoPhase(conn).recover();
  EXPECT_EQ(conn.transaction_status(), TransactionStatus::kIdle);
}

TEST_F(TwoPhaseTest, InteropGidBothWays) {
  const std::string gid = "42_Z3RyaWQ=_YnF1YWw=";
  Connection conn = Connection::connect(dsn());
  TwoPhase tpc(conn);
  tpc.begin(gid);  // as a string: parsed
  EXPECT_EQ(tpc.xid(), Xid(42, "gtrid", "bqual"));
  tpc.prepare();
  EXPECT_EQ(query_value(admin_, "SELECT gid FROM pg_prepared_xacts WHERE database = '" +
                                    database_name() + "'"),
            gid);
  EXPECT_THAT(prepared_here(), ElementsAre(Xid(42, "gtrid", "bqual")));
  tpc.rollback();
}

TEST_F(TwoPhaseTest, UnparsedGidsAreQuotedLiterals) {
  // A quote and a backslash: sent as E'...' with both escaped, stored verbatim.
  const std::string gid = "it's a \\ gid " + database_name();
  Connection conn = observed_connection();
  TwoPhase tpc(conn);
  tpc.begin(gid);
  EXPECT_FALSE(tpc.xid()->format_id().has_value());
  tpc.prepare();
  EXPECT_EQ(commands_.back(), "PREPARE TRANSACTION  E'it''s a \\\\ gid " + database_name() + "'");
  std::vector<Xid> xids = prepared_here();
  ASSERT_EQ(xids.size(), 1u);
  EXPECT_EQ(xids[0].gtrid(), gid);
  EXPECT_EQ(xids[0].to_string(), gid);
  TwoPhase(admin_).commit(xids[0]);
  EXPECT_TRUE(prepared_here().empty());
}

TEST_F(TwoPhaseTest, DestroyingAnUnpreparedTwoPhaseRollsBack) {
  Connection conn = Connection::connect(dsn());
  {
    TwoPhase tpc(conn);
    tpc.begin(test_xid());
    conn.exec_command("INSERT INTO items VALUES (1)");
  }
  EXPECT_EQ(conn.transaction_status(), TransactionStatus::kIdle);
  EXPECT_EQ(item_count(), 0);
  EXPECT_NO_THROW(conn.commit());  // the guard is lifted
}

TEST_F(TwoPhaseTest, DestroyingAPreparedTwoPhaseKeepsTheTransaction) {
  Connection conn = Connection::connect(dsn());
  {
    TwoPhase tpc(conn);
    tpc.begin(test_xid());
    conn.exec_command("INSERT INTO items VALUES (1)");
    tpc.prepare();
  }
  EXPECT_THAT(prepared_here(), ElementsAre(test_xid()));
  EXPECT_NO_THROW(conn.cancel());
  EXPECT_NO_THROW(conn.commit());
}

TEST_F(TwoPhaseTest, PrepareOfAFailedTransactionIsRefusedAndRollbackWorks) {
  Connection conn = Connection::connect(dsn());
  TwoPhase tpc(conn);
  tpc.begin(test_xid());
  EXPECT_THROW(conn.exec_command("SELECT 1/0"), errors::DivisionByZero);
  // PostgreSQL would answer PREPARE TRANSACTION with a silent ROLLBACK here.
  EXPECT_THROW(tpc.prepare(), errors::InFailedSqlTransaction);
  EXPECT_EQ(tpc.state(), BaseTwoPhase::State::kActive);
  EXPECT_EQ(conn.transaction_status(), TransactionStatus::kInError);
  tpc.rollback();
  EXPECT_EQ(conn.transaction_status(), TransactionStatus::kIdle);
  EXPECT_TRUE(prepared_here().empty());
}

TEST_F(TwoPhaseTest, FailedPrepareRollsBackAndCommitIsRefused) {
  admin_.exec_command(
      "CREATE TABLE IF NOT EXISTS deferred (id int UNIQUE DEFERRABLE INITIALLY DEFERRED)");
  Connection conn = Connection::connect(dsn());
  TwoPhase tpc(conn);
  begin_with_a_row(tpc, conn, test_xid());
  conn.exec_command("INSERT INTO deferred VALUES (1), (1)");  // checked at PREPARE
  EXPECT_THROW(tpc.prepare(), errors::UniqueViolation);
  EXPECT_EQ(tpc.state(), BaseTwoPhase::State::kAborted);
  EXPECT_EQ(conn.transaction_status(), TransactionStatus::kIdle);
  EXPECT_TRUE(prepared_here().empty());
  EXPECT_EQ(what_of<ProgrammingError>([&] { tpc.commit(); }),
            "commit() cannot be used: the two-phase transaction failed to prepare and was rolled "
            "back");
  EXPECT_EQ(tpc.state(), BaseTwoPhase::State::kNone);
  EXPECT_EQ(item_count(), 0);
  EXPECT_NO_THROW(conn.commit());
}

TEST_F(TwoPhaseTest, RollbackAfterAFailedPrepareDoesNothing) {
  Connection conn = observed_connection();
  TwoPhase tpc(conn);
  tpc.begin(test_xid());
  // The gid of a transaction already prepared: PREPARE TRANSACTION fails.
  Connection holder = Connection::connect(dsn());
  TwoPhase held(holder);
  held.begin(test_xid());
  held.prepare();
  EXPECT_THROW(tpc.prepare(), errors::DuplicateObject);
  commands_.clear();
  tpc.rollback();
  EXPECT_TRUE(commands_.empty());
  EXPECT_EQ(tpc.state(), BaseTwoPhase::State::kNone);
  EXPECT_THAT(prepared_here(), ElementsAre(test_xid()));  // the other one is untouched
  held.rollback();
}

TEST(TwoPhaseDisabledTest, PrepareRaisesNotSupportedError) {
  pgcpp::testing::EphemeralServer server({.settings = {{"max_prepared_transactions", "0"}}});
  Connection conn = Connection::connect(server.dsn());
  TwoPhase tpc(conn);
  tpc.begin(Xid(1, "g", "b"));
  try {
    tpc.prepare();
    FAIL() << "prepared with max_prepared_transactions = 0";
  } catch (const NotSupportedError& e) {
    EXPECT_EQ(e.sqlstate(), "55000");
    EXPECT_THAT(e.what(), ::testing::HasSubstr("prepared transactions are disabled"));
  }
  EXPECT_EQ(tpc.state(), BaseTwoPhase::State::kAborted);
  tpc.rollback();
  EXPECT_EQ(conn.transaction_status(), TransactionStatus::kIdle);
}

}  // namespace
}  // namespace pgcpp
