// What a session reports while queries run through cursors: notices and the
// transaction status.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pgcpp/core/connection.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/testing/database.h"

namespace pgcpp {
namespace {

using ::testing::ElementsAre;

// A notice handler appending each notice's primary message to `messages`.
NoticeHandler collect_into(std::vector<std::string>& messages) {
  return [&messages](const Diagnostic& d) { messages.push_back(d.message_primary.value_or("?")); };
}

class ConnectionSessionTest : public pgcpp::testing::DatabaseTest {};

TEST_F(ConnectionSessionTest, NoticesOfADoBlockRunByACursorReachEveryHandler) {
  std::vector<std::string> first, second;
  Connection conn = Connection::connect(dsn(), {.autocommit = true});
  conn.add_notice_handler(collect_into(first));
  conn.add_notice_handler(collect_into(second));
  Cursor cur = conn.cursor();
  cur.execute("DO $$ BEGIN RAISE NOTICE 'one'; RAISE NOTICE 'two %', 2; END $$");
  EXPECT_THAT(first, ElementsAre("one", "two 2"));
  EXPECT_THAT(second, ElementsAre("one", "two 2"));
  EXPECT_EQ(cur.statusmessage(), "DO");
}

TEST_F(ConnectionSessionTest, NoticesDuringAParameterisedQueryArriveWithItsRows) {
  std::vector<std::string> notices;
  Connection conn = Connection::connect(dsn(), {.autocommit = true});
  conn.execute(
      "CREATE FUNCTION noisy(i int) RETURNS int LANGUAGE plpgsql AS "
      "$$ BEGIN RAISE NOTICE 'row %', i; RETURN i * 10; END $$");
  conn.add_notice_handler(collect_into(notices));
  Cursor cur = conn.execute("SELECT noisy(g) FROM generate_series(1, %s) g", 3);
  EXPECT_THAT(notices, ElementsAre("row 1", "row 2", "row 3"));
  EXPECT_THAT(cur.fetchall(scalar_row<int>), ElementsAre(10, 20, 30));
}

TEST_F(ConnectionSessionTest, NoticesOfAFailingStatementStillArrive) {
  std::vector<std::string> notices;
  Connection conn = Connection::connect(dsn(), {.autocommit = true});
  conn.add_notice_handler(collect_into(notices));
  EXPECT_THROW(conn.execute("DO $$ BEGIN RAISE NOTICE 'before'; PERFORM 1 / 0; END $$"),
               errors::DivisionByZero);
  EXPECT_THAT(notices, ElementsAre("before"));
}

TEST_F(ConnectionSessionTest, TransactionStatusFollowsBeginErrorAndRollback) {
  Connection conn = Connection::connect(dsn());
  EXPECT_EQ(conn.info().transaction_status(), TransactionStatus::kIdle);
  conn.execute("SELECT 1");  // the implicit BEGIN
  EXPECT_EQ(conn.info().transaction_status(), TransactionStatus::kInTrans);
  EXPECT_THROW(conn.execute("SELECT 1 / %s", 0), errors::DivisionByZero);
  EXPECT_EQ(conn.info().transaction_status(), TransactionStatus::kInError);
  EXPECT_THROW(conn.execute("SELECT 1"), errors::InFailedSqlTransaction);
  EXPECT_EQ(conn.info().transaction_status(), TransactionStatus::kInError);
  conn.rollback();
  EXPECT_EQ(conn.info().transaction_status(), TransactionStatus::kIdle);
  EXPECT_EQ(conn.execute("SELECT 7").fetchone(scalar_row<int>), 7);
}

TEST_F(ConnectionSessionTest, TransactionStatusFollowsExplicitCommandsInAutocommit) {
  Connection conn = Connection::connect(dsn(), {.autocommit = true});
  conn.execute("SELECT 1");
  EXPECT_EQ(conn.info().transaction_status(), TransactionStatus::kIdle);
  conn.execute("BEGIN");
  EXPECT_EQ(conn.info().transaction_status(), TransactionStatus::kInTrans);
  EXPECT_THROW(conn.execute("SELECT * FROM no_such_table"), errors::UndefinedTable);
  EXPECT_EQ(conn.info().transaction_status(), TransactionStatus::kInError);
  conn.execute("ROLLBACK");
  EXPECT_EQ(conn.info().transaction_status(), TransactionStatus::kIdle);
}

}  // namespace
}  // namespace pgcpp
