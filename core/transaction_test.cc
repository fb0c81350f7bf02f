#include "pgcpp/core/transaction.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "pgcpp/core/connection.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/testing/database.h"

namespace pgcpp {
namespace {

using Status = Transaction::Status;

// Reads one value through a separate plain libpq connection: what other
// sessions see, i.e. what was really committed.
std::string committed_value(const std::string& dsn, const std::string& sql) {
  PGconn* conn = PQconnectdb(dsn.c_str());
  PGresult* res = PQexec(conn, sql.c_str());
  std::string value = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1
                          ? PQgetvalue(res, 0, 0)
                          : "error: " + std::string(PQerrorMessage(conn));
  PQclear(res);
  PQfinish(conn);
  return value;
}

class TransactionTest : public pgcpp::testing::DatabaseTest {
 protected:
  void SetUp() override {
    conn_.emplace(Connection::connect(dsn()));
    conn_->set_autocommit(true);
    conn_->exec_command("DROP TABLE IF EXISTS items");
    conn_->exec_command("CREATE TABLE items (id int)");
    conn_->set_autocommit(false);
    conn_->base().set_command_observer(
        [this](std::string_view command) { commands_.emplace_back(command); });
  }

  std::string count() { return committed_value(dsn(), "SELECT count(*) FROM items"); }
  void insert(int id) {
    conn_->exec_command("INSERT INTO items VALUES (" + std::to_string(id) + ")");
  }

  std::optional<Connection> conn_;
  std::vector<std::string> commands_;
};

using Commands = std::vector<std::string>;

TEST_F(TransactionTest, OuterBlockCommitsOnNormalExit) {
  {
    Transaction tx = conn_->transaction();
    insert(1);
    EXPECT_EQ(tx.status(), Status::kActive);
  }
  EXPECT_EQ(commands_, (Commands{"BEGIN", "INSERT INTO items VALUES (1)", "COMMIT"}));
  EXPECT_EQ(count(), "1");
  EXPECT_EQ(conn_->transaction_status(), TransactionStatus::kIdle);
}

TEST_F(TransactionTest, ExceptionRollsBackAndPropagates) {
  EXPECT_THROW(
      {
        Transaction tx = conn_->transaction();
        insert(1);
        throw std::runtime_error("boom");
      },
      std::runtime_error);
  EXPECT_EQ(commands_, (Commands{"BEGIN", "INSERT INTO items VALUES (1)", "ROLLBACK"}));
  EXPECT_EQ(count(), "0");
}

TEST_F(TransactionTest, NestedBlocksUseSavepointsNamedLikePsycopg) {
  {
    auto outer = conn_->transaction();
    {
      auto inner = conn_->transaction();
      EXPECT_EQ(inner.savepoint_name(), "_pg3_2");
      auto named = conn_->transaction({.savepoint_name = "my sp"});
    }
  }
  EXPECT_EQ(commands_, (Commands{"BEGIN", "SAVEPOINT \"_pg3_2\"", "SAVEPOINT \"my sp\"",
                                 "RELEASE \"my sp\"", "RELEASE \"_pg3_2\"", "COMMIT"}));
}

TEST_F(TransactionTest, NamedOuterBlockCommitsWithoutRelease) {
  { auto tx = conn_->transaction({.savepoint_name = "sp"}); }
  EXPECT_EQ(commands_, (Commands{"BEGIN", "SAVEPOINT \"sp\"", "COMMIT"}));
}

TEST_F(TransactionTest, BlockInsideImplicitTransactionIsASavepointNumberedOne) {
  conn_->exec_command("BEGIN");
  { auto tx = conn_->transaction(); }
  EXPECT_EQ(commands_, (Commands{"BEGIN", "SAVEPOINT \"_pg3_1\"", "RELEASE \"_pg3_1\""}));
  EXPECT_EQ(conn_->transaction_status(), TransactionStatus::kInTrans);
  conn_->rollback();
}

TEST_F(TransactionTest, FailedInnerBlockRollsBackToItsSavepointOnly) {
  {
    auto outer = conn_->transaction();
    insert(1);
    try {
      auto inner = conn_->transaction();
      insert(2);
      throw std::runtime_error("inner fails");
    } catch (const std::runtime_error&) {
    }
    insert(3);
  }
  EXPECT_EQ(commands_, (Commands{"BEGIN", "INSERT INTO items VALUES (1)", "SAVEPOINT \"_pg3_2\"",
                                 "INSERT INTO items VALUES (2)", "ROLLBACK TO \"_pg3_2\"",
                                 "RELEASE \"_pg3_2\"", "INSERT INTO items VALUES (3)", "COMMIT"}));
  EXPECT_EQ(committed_value(dsn(), "SELECT string_agg(id::text, ',' ORDER BY id) FROM items"),
            "1,3");
}

TEST_F(TransactionTest, ForceRollbackInAutocommitSendsBeginRollback) {
  conn_->set_autocommit(true);
  {
    auto tx = conn_->transaction({.force_rollback = true});
    insert(1);
  }
  EXPECT_EQ(commands_, (Commands{"BEGIN", "INSERT INTO items VALUES (1)", "ROLLBACK"}));
  EXPECT_EQ(count(), "0");
}

TEST_F(TransactionTest, RollbackExceptionIsAbsorbedByTheInnermostBlock) {
  Status status = Status::kNotStarted;
  conn_->transaction([&](Transaction& outer) {
    insert(1);
    conn_->transaction([&](Transaction& inner) {
      insert(2);
      throw Rollback();
      (void)inner;
    });
    status = outer.status();
  });
  EXPECT_EQ(status, Status::kActive);
  EXPECT_EQ(committed_value(dsn(), "SELECT string_agg(id::text, ',') FROM items"), "1");
}

TEST_F(TransactionTest, RollbackNamingTheOuterBlockUnwindsToIt) {
  bool after_inner = false;
  conn_->transaction([&](Transaction& outer) {
    insert(1);
    conn_->transaction([&](Transaction&) {
      insert(2);
      throw Rollback(outer);
    });
    after_inner = true;
  });
  EXPECT_FALSE(after_inner);
  EXPECT_EQ(commands_.back(), "ROLLBACK");
  EXPECT_EQ(count(), "0");
  EXPECT_EQ(conn_->transaction_status(), TransactionStatus::kIdle);
}

TEST_F(TransactionTest, StatusSaysHowTheBlockEnded) {
  auto run_block = [&](TransactionOptions options, bool failed, bool explicit_rollback) {
    TransactionBlock block(conn_->base_ptr(), std::move(options));
    EXPECT_EQ(block.status(), Status::kNotStarted);
    conn_->run(block.enter());
    EXPECT_EQ(block.status(), Status::kActive);
    conn_->run(block.exit(failed, explicit_rollback));
    return block.status();
  };
  EXPECT_EQ(run_block({}, false, false), Status::kCommitted);
  EXPECT_EQ(run_block({}, true, false), Status::kRolledBackWithError);
  EXPECT_EQ(run_block({}, true, true), Status::kRolledBackExplicitly);
  EXPECT_EQ(run_block({.force_rollback = true}, false, false), Status::kRolledBackExplicitly);
}

TEST_F(TransactionTest, BlocksCannotBeReused) {
  TransactionBlock block(conn_->base_ptr(), {});
  conn_->run(block.enter());
  EXPECT_THROW(conn_->run(block.enter()), ProgrammingError);
  conn_->run(block.exit(false, false));
}

TEST_F(TransactionTest, CommitAndRollbackAreForbiddenInsideABlock) {
  auto tx = conn_->transaction();
  try {
    conn_->commit();
    FAIL() << "commit() inside a block";
  } catch (const ProgrammingError& e) {
    EXPECT_NE(std::string(e.what()).find("Explicit commit() forbidden"), std::string::npos);
  }
  try {
    conn_->rollback();
    FAIL() << "rollback() inside a block";
  } catch (const ProgrammingError& e) {
    EXPECT_NE(std::string(e.what()).find("Explicit rollback() forbidden"), std::string::npos);
  }
}

TEST_F(TransactionTest, CharacteristicsCannotChangeInsideABlock) {
  auto tx = conn_->transaction();
  try {
    conn_->set_autocommit(true);
    FAIL() << "set_autocommit inside a block";
  } catch (const ProgrammingError& e) {
    EXPECT_STREQ(e.what(),
                 "can't change 'autocommit' now: connection.transaction() context in progress");
  }
  EXPECT_THROW(conn_->set_isolation_level(IsolationLevel::kSerializable), ProgrammingError);
  EXPECT_THROW(conn_->set_read_only(true), ProgrammingError);
  EXPECT_THROW(conn_->set_deferrable(true), ProgrammingError);
}

TEST_F(TransactionTest, CharacteristicsCannotChangeInAnImplicitTransaction) {
  conn_->exec_command("BEGIN");
  try {
    conn_->set_read_only(true);
    FAIL() << "set_read_only in a transaction";
  } catch (const ProgrammingError& e) {
    EXPECT_STREQ(e.what(),
                 "can't change 'read_only' now: connection in transaction status INTRANS");
  }
  conn_->rollback();
}

TEST_F(TransactionTest, BeginCarriesTheCharacteristics) {
  conn_->set_isolation_level(IsolationLevel::kSerializable);
  conn_->set_read_only(true);
  conn_->set_deferrable(false);
  { auto tx = conn_->transaction(); }
  conn_->set_isolation_level(std::nullopt);
  conn_->set_read_only(false);
  conn_->set_deferrable(std::nullopt);
  { auto tx = conn_->transaction(); }
  EXPECT_EQ(commands_, (Commands{"BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY NOT DEFERRABLE",
                                 "COMMIT", "BEGIN READ WRITE", "COMMIT"}));
}

TEST_F(TransactionTest, ReadOnlyBlockIsEnforcedByTheServer) {
  conn_->set_read_only(true);
  EXPECT_THROW(
      {
        auto tx = conn_->transaction();
        insert(1);
      },
      errors::ReadOnlySqlTransaction);
}

TEST_F(TransactionTest, OutOfOrderExitIsDetected) {
  // Blocks normally live in nested scopes; heap allocation can end them in any order.
  auto* outer = new Transaction(conn_->base_ptr());
  auto* inner = new Transaction(conn_->base_ptr());
  EXPECT_THROW(delete outer, OutOfOrderTransactionNesting);
  delete inner;  // still ends normally
  EXPECT_EQ(commands_, (Commands{"BEGIN", "SAVEPOINT \"_pg3_2\"", "RELEASE \"_pg3_2\""}));
  conn_->rollback();  // the connection is usable: no block is left open
  EXPECT_EQ(conn_->transaction_status(), TransactionStatus::kIdle);
}

TEST_F(TransactionTest, SavepointNamesAreQuotedAsIdentifiers) {
  { auto tx = conn_->transaction({.savepoint_name = "we\"ird"}); }
  EXPECT_EQ(commands_, (Commands{"BEGIN", "SAVEPOINT \"we\"\"ird\"", "COMMIT"}));
}

TEST_F(TransactionTest, ClosedConnectionAtExitMarksTheBlockFailed) {
  TransactionBlock block(conn_->base_ptr(), {});
  conn_->run(block.enter());
  insert(1);
  conn_->close();
  auto exit = block.exit(false, false);
  wait(std::move(exit));  // no command can be sent: nothing thrown, nothing committed
  EXPECT_EQ(block.status(), Status::kFailed);
  EXPECT_EQ(count(), "0");
}

}  // namespace
}  // namespace pgcpp
