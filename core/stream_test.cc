#include "pgcpp/core/stream.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "pgcpp/core/connection.h"
#include "pgcpp/core/conninfo.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/testing/database.h"
#include "pgcpp/testing/fault_proxy.h"

namespace pgcpp {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// More rows than any test reads: if an abandoned stream were drained rather
// than cancelled, the test would time out.
// (In the select list generate_series streams; in FROM it would be materialized first.)
constexpr const char* kEndless =
    "SELECT g, 'row ' || g FROM (SELECT generate_series(1, 500000000) AS g) AS s";

class StreamTest : public pgcpp::testing::DatabaseTest {
 protected:
  void SetUp() override { conn_.emplace(Connection::connect(dsn(), {.autocommit = true})); }
  Connection& conn() { return *conn_; }
  // The connection answers a query after whatever came before.
  void expect_usable(Connection& c) {
    EXPECT_EQ(c.execute("SELECT %s::int + 1", 41).fetchone(scalar_row<int>), 42);
  }
  std::optional<Connection> conn_;
};

TEST_F(StreamTest, StreamsManyRowsAsZeroCopyViews) {
  Cursor cur = conn().cursor();
  int64_t sum = 0;
  int64_t count = 0;
  size_t chars = 0;
  for (const Row& row :
       cur.stream("SELECT g, repeat('x', g %% 10) FROM generate_series(1, %s) g", 200000)) {
    sum += row.get<int64_t>(0);
    chars += row.get<std::string_view>(1).size();
    ++count;
  }
  EXPECT_EQ(count, 200000);
  EXPECT_EQ(sum, int64_t{200000} * 200001 / 2);
  EXPECT_EQ(chars, 900000u);
  EXPECT_EQ(cur.statusmessage(), "SELECT 200000");
  EXPECT_EQ(cur.rowcount(), 200000);
  EXPECT_EQ(conn().transaction_status(), TransactionStatus::kIdle);
}

TEST_F(StreamTest, TypedRowsAndRowFactories) {
  std::vector<std::tuple<int, std::string>> typed;
  for (auto [g, s] : conn()
                         .cursor()
                         .stream("SELECT g, 'n' || g FROM generate_series(1, 3) g")
                         .rows<int, std::string>()) {
    typed.emplace_back(g, s);
  }
  EXPECT_THAT(typed, ElementsAre(std::make_tuple(1, "n1"), std::make_tuple(2, "n2"),
                                 std::make_tuple(3, "n3")));
  Cursor cur = conn().cursor();
  std::vector<std::string> names;
  for (DictRow d : cur.stream("SELECT 'a' AS name UNION ALL SELECT 'b'").rows(dict_row)) {
    names.push_back(d.at("name").as<std::string>());
  }
  EXPECT_THAT(names, ElementsAre("a", "b"));
}

TEST_F(StreamTest, BinaryResults) {
  Cursor cur = conn().cursor();
  std::vector<double> values;
  for (auto [v] : cur.stream(ExecuteOptions{.binary = true},
                             "SELECT %s::float8 * g FROM "
                             "generate_series(1, 2) g",
                             1.5)
                      .rows<double>()) {
    values.push_back(v);
  }
  EXPECT_THAT(values, ElementsAre(1.5, 3.0));
}

TEST_F(StreamTest, AnEmptyResultYieldsNoRows) {
  Cursor cur = conn().cursor();
  int rows = 0;
  for (const Row& row : cur.stream("SELECT g FROM generate_series(1, 0) g")) {
    (void)row;
    ++rows;
  }
  EXPECT_EQ(rows, 0);
  EXPECT_EQ(cur.statusmessage(), "SELECT 0");
  expect_usable(conn());
}

TEST_F(StreamTest, AStatementWithoutRowsIsRefused) {
  Cursor cur = conn().cursor();
  try {
    cur.stream("CREATE TEMP TABLE streamed (x int)");
    FAIL() << "no error";
  } catch (const ProgrammingError& e) {
    EXPECT_STREQ(e.what(), "the operation in stream() didn't produce a result");
  }
  expect_usable(conn());
  EXPECT_THROW(cur.stream("SELECT 1; SELECT 2"), errors::SyntaxError);  // one statement only
  expect_usable(conn());
}

TEST_F(StreamTest, AServerErrorMidwayIsRaisedAndTheConnectionStaysUsable) {
  Cursor cur = conn().cursor();
  std::vector<int> seen;
  EXPECT_THROW(
      {
        for (auto [v] :
             cur.stream("SELECT 10 / (5 - g) FROM generate_series(1, 10) g").rows<int>()) {
          seen.push_back(v);
        }
      },
      errors::DivisionByZero);
  EXPECT_THAT(seen, ElementsAre(2, 3, 5, 10));
  EXPECT_EQ(conn().transaction_status(), TransactionStatus::kIdle);
  expect_usable(conn());
}

TEST_F(StreamTest, BreakingOutCancelsAndLeavesTheConnectionIdle) {
  Cursor cur = conn().cursor();
  int rows = 0;
  for (const Row& row : cur.stream(kEndless)) {
    EXPECT_EQ(row.get<int>(0), ++rows);
    if (rows == 1000) break;
  }
  EXPECT_EQ(rows, 1000);
  EXPECT_EQ(conn().transaction_status(), TransactionStatus::kIdle);
  expect_usable(conn());
  // The same cursor streams again.
  int again = 0;
  for (auto [g] : cur.stream("SELECT generate_series(1, 3)").rows<int>()) again += g;
  EXPECT_EQ(again, 6);
}

TEST_F(StreamTest, AnExceptionInTheLoopAbandonsTheStream) {
  Cursor cur = conn().cursor();
  EXPECT_THROW(
      {
        for (auto [g, s] : cur.stream(kEndless).rows<int, std::string>()) {
          if (g == 10) throw std::runtime_error("user code failed at " + s);
        }
      },
      std::runtime_error);
  EXPECT_EQ(conn().transaction_status(), TransactionStatus::kIdle);
  expect_usable(conn());
}

TEST_F(StreamTest, AbandonedInATransactionTheCancelFailsTheTransaction) {
  Connection tx_conn = Connection::connect(dsn());
  tx_conn.execute("CREATE TEMP TABLE kept (x int)");
  {
    Cursor cur = tx_conn.cursor();
    Stream stream = cur.stream(kEndless);
    EXPECT_EQ(stream.begin()->get<int>(0), 1);
  }  // abandoned: the running query is cancelled, as psycopg does
  EXPECT_EQ(tx_conn.transaction_status(), TransactionStatus::kInError);
  EXPECT_THROW(tx_conn.execute("SELECT 1"), errors::InFailedSqlTransaction);
  tx_conn.rollback();
  expect_usable(tx_conn);
}

TEST_F(StreamTest, AStreamReadToTheEndLeavesTheTransactionAlone) {
  Connection tx_conn = Connection::connect(dsn());
  tx_conn.execute("CREATE TEMP TABLE kept (x int)");
  Cursor cur = tx_conn.cursor();
  Stream stream = cur.stream("SELECT generate_series(1, 3)");
  auto it = stream.begin();
  ++it;
  ++it;
  ++it;  // the end: nothing is left to cancel
  EXPECT_TRUE(stream.done());
  stream.close();
  EXPECT_EQ(tx_conn.transaction_status(), TransactionStatus::kInTrans);
  tx_conn.execute("INSERT INTO kept VALUES (1)");
  tx_conn.commit();
}

TEST_F(StreamTest, CloseEndsTheStreamEarly) {
  Cursor cur = conn().cursor();
  Stream stream = cur.stream(kEndless);
  EXPECT_FALSE(stream.done());
  stream.close();
  EXPECT_TRUE(stream.done());
  stream.close();  // idempotent
  EXPECT_TRUE(stream.begin() == stream.end());
  expect_usable(conn());
}

TEST_F(StreamTest, TheSameThreadUsingTheConnectionDuringAStreamIsRefused) {
  Cursor cur = conn().cursor();
  Stream stream = cur.stream(kEndless);
  EXPECT_THROW(conn().execute("SELECT 1"), ProgrammingError);  // not a deadlock
  EXPECT_THROW(conn().cursor().stream("SELECT 1"), ProgrammingError);
  EXPECT_FALSE(stream.done());
  stream.close();
  expect_usable(conn());
}

// Another thread's query on the connection, started while a stream is open:
// it runs once the stream ends, whatever ends it.
class StreamConcurrencyTest : public StreamTest {
 protected:
  void start_other_query() {
    other_ = std::thread([this] {
      try {
        other_result_ = conn().execute("SELECT %s::int", 42).fetchone(scalar_row<int>);
      } catch (const std::exception& e) {
        other_error_ = e.what();
      }
      other_done_ = true;
    });
  }
  // Whether the other thread is (still) blocked on the connection's lock.
  bool other_waits() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (conn().base().lock().waiters() == 0 && !other_done_ &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return conn().base().lock().waiters() == 1;
  }
  void expect_other_ran() {
    other_.join();
    EXPECT_EQ(other_error_, "");
    EXPECT_EQ(other_result_, 42);
  }
  std::thread other_;
  std::atomic<bool> other_done_{false};
  std::optional<int> other_result_;
  std::string other_error_;
};

TEST_F(StreamConcurrencyTest, AnotherThreadsQueryWaitsUntilTheStreamIsRead) {
  Cursor cur = conn().cursor();
  Stream stream = cur.stream("SELECT g::int8 FROM generate_series(1, 100) AS g");
  start_other_query();
  EXPECT_TRUE(other_waits());
  int64_t sum = 0;
  for (const Row& row : stream) {
    EXPECT_FALSE(other_done_) << "at row " << stream.rownumber();
    sum += row.get<int64_t>(0);
  }
  EXPECT_EQ(sum, 5050);
  expect_other_ran();
}

TEST_F(StreamConcurrencyTest, AnotherThreadsQueryRunsOnceTheStreamIsAbandoned) {
  {
    Cursor cur = conn().cursor();
    int64_t rows = 0;
    for (const Row& row : cur.stream(kEndless)) {
      (void)row;
      if (++rows == 1) start_other_query();
      if (rows == 10) {
        EXPECT_TRUE(other_waits());
        EXPECT_FALSE(other_done_);
        break;  // the temporary Stream abandons the query
      }
    }
  }
  expect_other_ran();
  expect_usable(conn());
}

TEST_F(StreamTest, RefusedInPipelineMode) {
  Cursor cur = conn().cursor();
  {
    Pipeline pipeline = conn().pipeline();
    try {
      cur.stream("SELECT 1");
      FAIL() << "no error";
    } catch (const NotSupportedError& e) {
      EXPECT_STREQ(e.what(), "stream() cannot be used in pipeline mode");
    }
  }
  expect_usable(conn());
}

TEST_F(StreamTest, AConnectionCutWhileStreamingRaisesOperationalError) {
  ConnInfoDict params = conninfo_to_dict(dsn());
  pgcpp::testing::FaultProxy faults(params.at("host"), std::stoi(params.at("port")));
  Connection cut = Connection::connect(faults.dsn(dsn()), {.autocommit = true});
  Cursor cur = cut.cursor();
  int64_t rows = 0;
  try {
    for (const Row& row : cur.stream(kEndless)) {
      (void)row;
      if (++rows == 100) faults.cut_all();
    }
    FAIL() << "the stream ended after " << rows << " rows";
  } catch (const OperationalError&) {
    EXPECT_GE(rows, 100);
  }
  EXPECT_TRUE(cut.broken());
  EXPECT_THROW(cut.execute("SELECT 1"), OperationalError);
}

}  // namespace
}  // namespace pgcpp
