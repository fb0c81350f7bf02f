// Two-phase commit as a coordinator uses it: across two real servers, with a
// participant that fails to prepare, a client that dies after prepare and a
// server that restarts after prepare.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "pgcpp/core/connection.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/testing/ephemeral_server.h"
#include "pgcpp/testing/fault_proxy.h"
#include "pgcpp/tpc/two_phase.h"
#include "pgcpp/tpc/xid.h"

namespace pgcpp {
namespace {

using pgcpp::testing::EphemeralServer;

int item_count(const std::string& dsn) {
  Connection conn = Connection::connect(dsn, {.autocommit = true});
  PGresultPtr result = conn.run(conn.base().exec_query("SELECT count(*) FROM items"));
  return std::stoi(PQgetvalue(result.get(), 0, 0));
}

std::vector<Xid> prepared(const std::string& dsn) {
  Connection conn = Connection::connect(dsn, {.autocommit = true});
  return TwoPhase(conn).recover();
}

// The textbook coordinator: prepare every participant; if one fails, roll
// every one back (whatever state each reached), else commit them all.
bool commit_all(const std::vector<TwoPhase*>& participants) {
  try {
    for (TwoPhase* p : participants) p->prepare();
  } catch (const Error&) {
    for (TwoPhase* p : participants) p->rollback();
    return false;
  }
  for (TwoPhase* p : participants) p->commit();
  return true;
}

// One server's branch of the global transaction, begun, with a row inserted.
struct Participant {
  Participant(const std::string& dsn, const Xid& xid, int id)
      : conn(Connection::connect(dsn)), tpc(conn) {
    tpc.begin(xid);
    conn.exec_command("INSERT INTO items VALUES (" + std::to_string(id) + ")");
  }
  Connection conn;
  TwoPhase tpc;
};

class DistributedTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    for (auto* server : {&a_, &b_}) {
      *server = new EphemeralServer({.settings = {{"max_prepared_transactions", "10"}}});
      (*server)->execute(
          "CREATE TABLE items (id int);"
          "CREATE TABLE checked (id int UNIQUE DEFERRABLE INITIALLY DEFERRED)");
    }
  }
  static void TearDownTestSuite() {
    delete a_;
    delete b_;
  }

  void SetUp() override {
    for (EphemeralServer* server : {a_, b_}) server->execute("TRUNCATE items, checked");
  }

  void TearDown() override {
    // A failed test must not leave prepared transactions (and their locks) behind.
    for (EphemeralServer* server : {a_, b_}) {
      Connection conn = Connection::connect(server->dsn(), {.autocommit = true});
      TwoPhase tpc(conn);
      for (const Xid& xid : tpc.recover()) tpc.rollback(xid);
    }
  }

  // Two branches of one global transaction: same gtrid, one bqual per server.
  static Xid branch(const std::string& bqual) { return Xid(7, "transfer-1", bqual); }

  static EphemeralServer* a_;
  static EphemeralServer* b_;
};

EphemeralServer* DistributedTest::a_ = nullptr;
EphemeralServer* DistributedTest::b_ = nullptr;

TEST_F(DistributedTest, PreparedOnBothThenCommittedOnBoth) {
  Participant a(a_->dsn(), branch("a"), 1);
  Participant b(b_->dsn(), branch("b"), 2);
  a.tpc.prepare();
  b.tpc.prepare();
  // Prepared: durable on each server, visible on neither.
  EXPECT_EQ(prepared(a_->dsn()), std::vector<Xid>{branch("a")});
  EXPECT_EQ(prepared(b_->dsn()), std::vector<Xid>{branch("b")});
  EXPECT_EQ(item_count(a_->dsn()), 0);
  EXPECT_EQ(item_count(b_->dsn()), 0);
  a.tpc.commit();
  b.tpc.commit();
  EXPECT_EQ(item_count(a_->dsn()), 1);
  EXPECT_EQ(item_count(b_->dsn()), 1);
  EXPECT_TRUE(prepared(a_->dsn()).empty());
  EXPECT_TRUE(prepared(b_->dsn()).empty());
}

TEST_F(DistributedTest, TheCoordinatorCommitsWhenEveryParticipantPrepares) {
  Participant a(a_->dsn(), branch("a"), 1);
  Participant b(b_->dsn(), branch("b"), 2);
  EXPECT_TRUE(commit_all({&a.tpc, &b.tpc}));
  EXPECT_EQ(item_count(a_->dsn()), 1);
  EXPECT_EQ(item_count(b_->dsn()), 1);
}

TEST_F(DistributedTest, AParticipantFailingToPrepareRollsBothBack) {
  Participant a(a_->dsn(), branch("a"), 1);
  Participant b(b_->dsn(), branch("b"), 2);
  b.conn.exec_command("INSERT INTO checked VALUES (1), (1)");  // fails at PREPARE
  EXPECT_FALSE(commit_all({&a.tpc, &b.tpc}));
  EXPECT_EQ(a.tpc.state(), BaseTwoPhase::State::kNone);
  EXPECT_EQ(b.tpc.state(), BaseTwoPhase::State::kNone);
  EXPECT_EQ(item_count(a_->dsn()), 0);
  EXPECT_EQ(item_count(b_->dsn()), 0);
  EXPECT_TRUE(prepared(a_->dsn()).empty());
  EXPECT_TRUE(prepared(b_->dsn()).empty());
}

TEST_F(DistributedTest, AClientCutAfterPrepareIsRecoveredExactlyOnce) {
  pgcpp::testing::FaultProxy proxy(a_->host(), a_->port());
  const Xid xid = branch("a");
  {
    Connection conn = Connection::connect(proxy.dsn(a_->dsn()));
    TwoPhase tpc(conn);
    tpc.begin(xid);
    conn.exec_command("INSERT INTO items VALUES (1)");
    tpc.prepare();
    proxy.cut_all();  // the coordinator loses the participant between the phases
    EXPECT_THROW(tpc.commit(), OperationalError);
    EXPECT_TRUE(conn.broken());
    EXPECT_TRUE(tpc.prepared());  // the outcome is unknown to this client
  }
  Connection fresh = Connection::connect(a_->dsn());
  TwoPhase recovery(fresh);
  std::vector<Xid> found = recovery.recover();
  ASSERT_EQ(found, std::vector<Xid>{xid});
  EXPECT_EQ(found[0].database(), "postgres");
  EXPECT_EQ(item_count(a_->dsn()), 0);
  recovery.commit(found[0]);
  EXPECT_EQ(item_count(a_->dsn()), 1);
  // A second commit of the same xid cannot apply the rows again.
  EXPECT_THROW(recovery.commit(found[0]), errors::UndefinedObject);
  EXPECT_EQ(item_count(a_->dsn()), 1);
  EXPECT_TRUE(recovery.recover().empty());
}

TEST_F(DistributedTest, APreparedTransactionSurvivesAServerRestart) {
  const Xid xid = branch("b");
  Connection conn = Connection::connect(b_->dsn());
  TwoPhase tpc(conn);
  tpc.begin(xid);
  conn.exec_command("INSERT INTO items VALUES (1), (2)");
  tpc.prepare();
  b_->restart();
  EXPECT_THROW(conn.exec_command("SELECT 1"), OperationalError);
  Connection fresh = Connection::connect(b_->dsn());
  TwoPhase recovery(fresh);
  std::vector<Xid> found = recovery.recover();
  ASSERT_EQ(found, std::vector<Xid>{xid});
  recovery.commit(found[0]);
  EXPECT_EQ(item_count(b_->dsn()), 2);
  EXPECT_TRUE(recovery.recover().empty());
}

}  // namespace
}  // namespace pgcpp
