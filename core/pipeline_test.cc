// Pipeline mode and executemany against a real server: result routing, sync
// points, error propagation, transactions, and a connection lost midway.
#include "pgcpp/core/pipeline.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "pgcpp/core/connection.h"
#include "pgcpp/core/conninfo.h"
#include "pgcpp/core/error_testing.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/testing/database.h"
#include "pgcpp/testing/fault_proxy.h"

namespace pgcpp {
namespace {

using ::testing::ElementsAre;

class PipelineTest : public pgcpp::testing::DatabaseTest {
 protected:
  static Connection autocommit() { return Connection::connect(dsn(), {.autocommit = true}); }
  // A fresh table `name (id int8 PRIMARY KEY)` for one test.
  static std::string table(const std::string& name) {
    Connection setup = autocommit();
    setup.execute("DROP TABLE IF EXISTS " + name);
    setup.execute("CREATE TABLE " + name + " (id int8 PRIMARY KEY)");
    return name;
  }
  // Rows of `name` as another session sees them (committed ones only).
  static int64_t committed_rows(const std::string& name) {
    return autocommit()
        .execute("SELECT count(*) FROM " + name)
        .fetchone(scalar_row<int64_t>)
        .value();
  }
};

TEST_F(PipelineTest, ResultsGoToTheCursorsThatSentThem) {
  Connection conn = autocommit();
  Pipeline p = conn.pipeline();
  Cursor a = conn.execute("SELECT 1");
  Cursor b = conn.execute("SELECT 'two', 2");
  Cursor c = conn.execute("SELECT generate_series(1, 3)");
  // Fetching from the last cursor first also routes the earlier results.
  EXPECT_THAT(c.fetchall(scalar_row<int>), ElementsAre(1, 2, 3));
  EXPECT_EQ(b.fetchone(typed_row<std::string, int>), std::make_tuple(std::string("two"), 2));
  EXPECT_EQ(a.fetchone(scalar_row<int>), 1);
}

TEST_F(PipelineTest, ExecuteReturnsBeforeTheResultWhichSyncDelivers) {
  Connection conn = autocommit();
  Pipeline p = conn.pipeline();
  EXPECT_EQ(conn.info().pipeline_status(), PipelineStatus::kOn);
  Cursor cur = conn.execute("SELECT generate_series(1, 4)");
  EXPECT_EQ(cur.pgresult(), nullptr);
  EXPECT_EQ(cur.rowcount(), -1);
  EXPECT_EQ(cur.statusmessage(), std::nullopt);
  p.sync();
  EXPECT_EQ(cur.rowcount(), 4);
  EXPECT_EQ(cur.statusmessage(), "SELECT 4");
}

TEST_F(PipelineTest, ACursorKeepsItsLastExecuteResult) {
  Connection conn = autocommit();
  Pipeline p = conn.pipeline();
  Cursor cur = conn.cursor();
  cur.execute("SELECT 1");
  cur.execute("SELECT 2");
  EXPECT_EQ(cur.fetchone(scalar_row<int>), 2);
  EXPECT_FALSE(cur.nextset());
}

TEST_F(PipelineTest, NestedBlocksShareOnePipeline) {
  Connection conn = autocommit();
  {
    Pipeline outer = conn.pipeline();
    EXPECT_EQ(outer.level(), 1);
    Cursor a = conn.execute("SELECT 1");
    {
      Pipeline inner = conn.pipeline();  // syncs first: a statement is pending
      EXPECT_EQ(a.rowcount(), 1);
      EXPECT_EQ(inner.level(), 2);
      EXPECT_EQ(outer.level(), 2);
      Cursor b = conn.execute("SELECT 2");
    }
    EXPECT_EQ(outer.level(), 1);
    EXPECT_EQ(conn.info().pipeline_status(), PipelineStatus::kOn);
  }
  EXPECT_EQ(conn.info().pipeline_status(), PipelineStatus::kOff);
  EXPECT_EQ(conn.execute("SELECT 3").fetchone(scalar_row<int>), 3);
}

TEST_F(PipelineTest, SyncEndsTheImplicitTransactionOfAutocommit) {
  const std::string t = table("sync_rows");
  Connection conn = autocommit();
  Pipeline p = conn.pipeline();
  conn.execute("INSERT INTO sync_rows VALUES (1)");
  conn.execute("INSERT INTO sync_rows VALUES (2)");
  p.sync();
  EXPECT_EQ(committed_rows(t), 2);
}

TEST_F(PipelineTest, TheFirstErrorRaisesItsOwnClassTheNextOnesPipelineAborted) {
  const std::string t = table("error_rows");
  Connection conn = autocommit();
  Pipeline p = conn.pipeline();
  conn.execute("INSERT INTO error_rows VALUES (1)");
  Cursor bad = conn.execute("SELECT * FROM no_such_table");
  EXPECT_THROW(bad.fetchone(), errors::UndefinedTable);
  Cursor after = conn.execute("SELECT 1");
  EXPECT_THROW(after.fetchone(), PipelineAborted);
  EXPECT_EQ(conn.info().pipeline_status(), PipelineStatus::kAborted);
  // An aborted statement leaves its cursor without a result.
  EXPECT_EQ(core_testing::what_of<ProgrammingError>([&] { after.fetchone(); }),
            "no result available");
  p.sync();  // the segment is over: rolled back as one transaction
  EXPECT_EQ(conn.info().pipeline_status(), PipelineStatus::kOn);
  EXPECT_EQ(conn.execute("SELECT 5").fetchone(scalar_row<int>), 5);
  EXPECT_EQ(committed_rows(t), 0);
}

TEST_F(PipelineTest, ErrorsInOneBatchRaiseTheFirstAtSync) {
  Connection conn = autocommit();
  Pipeline p = conn.pipeline();
  conn.execute("SELECT 1/0");
  conn.execute("SELECT * FROM no_such_table");
  Cursor aborted = conn.execute("SELECT 1");
  EXPECT_THROW(p.sync(), errors::DivisionByZero);
  EXPECT_EQ(aborted.pgresult(), nullptr);
  Cursor again = conn.execute("SELECT 2");
  p.sync();
  EXPECT_EQ(again.fetchone(scalar_row<int>), 2);
}

TEST_F(PipelineTest, TheBlockExitRaisesAndLeavesTheConnectionUsable) {
  Connection conn = autocommit();
  EXPECT_THROW(
      {
        Pipeline p = conn.pipeline();
        conn.execute("SELECT 1/0");
      },
      errors::DivisionByZero);
  EXPECT_EQ(conn.info().pipeline_status(), PipelineStatus::kOff);
  EXPECT_EQ(conn.transaction_status(), TransactionStatus::kIdle);
  EXPECT_EQ(conn.execute("SELECT 7").fetchone(scalar_row<int>), 7);
}

TEST_F(PipelineTest, AnExceptionLeavingTheBlockWinsOverThePipelineError) {
  Connection conn = autocommit();
  EXPECT_THROW(
      {
        Pipeline p = conn.pipeline();
        conn.execute("SELECT 1/0");
        throw std::runtime_error("user");
      },
      std::runtime_error);
  EXPECT_EQ(conn.execute("SELECT 8").fetchone(scalar_row<int>), 8);
}

TEST_F(PipelineTest, MultiStatementStringsFail) {
  Connection conn = autocommit();
  Pipeline p = conn.pipeline();
  conn.execute("SELECT 1; SELECT 2");
  EXPECT_THROW(p.sync(), errors::SyntaxError);
}

TEST_F(PipelineTest, ImplicitBeginAndCommitAreSyncPoints) {
  const std::string t = table("commit_rows");
  Connection conn = Connection::connect(dsn());
  std::vector<std::string> commands;
  conn.base().set_command_observer([&](std::string_view c) { commands.emplace_back(c); });
  Pipeline p = conn.pipeline();
  Cursor cur = conn.execute("INSERT INTO commit_rows VALUES (1)");
  EXPECT_NE(conn.transaction_status(), TransactionStatus::kIdle);
  conn.commit();
  EXPECT_EQ(cur.rowcount(), 1);  // delivered by the sync after COMMIT
  EXPECT_EQ(conn.transaction_status(), TransactionStatus::kIdle);
  EXPECT_THAT(commands, ElementsAre("BEGIN", "COMMIT"));
  EXPECT_EQ(committed_rows(t), 1);
}

TEST_F(PipelineTest, RollbackDiscardsThePendingStatements) {
  const std::string t = table("rollback_rows");
  Connection conn = Connection::connect(dsn());
  Pipeline p = conn.pipeline();
  conn.execute("INSERT INTO rollback_rows VALUES (1)");
  conn.rollback();
  EXPECT_EQ(conn.transaction_status(), TransactionStatus::kIdle);
  EXPECT_EQ(committed_rows(t), 0);
}

TEST_F(PipelineTest, TransactionBlocksInsideAPipeline) {
  const std::string t = table("block_rows");
  Connection conn = autocommit();
  std::vector<std::string> commands;
  conn.base().set_command_observer([&](std::string_view c) { commands.emplace_back(c); });
  Pipeline p = conn.pipeline();
  {
    Transaction tx = conn.transaction();
    conn.execute("INSERT INTO block_rows VALUES (1)");
  }
  EXPECT_EQ(committed_rows(t), 1);  // the block's exit synced
  EXPECT_THROW(
      {
        Transaction tx = conn.transaction();
        conn.execute("INSERT INTO block_rows VALUES (2)");
        conn.execute("INSERT INTO block_rows VALUES (1)");  // duplicate key
      },
      errors::UniqueViolation);
  EXPECT_EQ(conn.transaction_status(), TransactionStatus::kIdle);
  EXPECT_THAT(commands, ElementsAre("BEGIN", "COMMIT", "BEGIN", "ROLLBACK"));
  EXPECT_EQ(conn.execute("SELECT count(*) FROM block_rows").fetchone(scalar_row<int64_t>), 1);
  EXPECT_EQ(committed_rows(t), 1);
}

TEST_F(PipelineTest, ExecutemanyRunsInAPipelineOfItsOwn) {
  const std::string t = table("many_rows");
  Connection conn = autocommit();
  std::vector<std::tuple<int64_t>> rows;
  for (int64_t i = 1; i <= 2500; ++i) rows.emplace_back(i);  // more than one flush
  Cursor cur = conn.cursor();
  cur.executemany("INSERT INTO many_rows VALUES (%s)", rows);
  EXPECT_EQ(cur.rowcount(), 2500);
  EXPECT_EQ(cur.pgresult(), nullptr);  // nothing to fetch without returning
  EXPECT_EQ(conn.info().pipeline_status(), PipelineStatus::kOff);
  EXPECT_EQ(committed_rows(t), 2500);
}

TEST_F(PipelineTest, ExecutemanyReturningKeepsEveryResult) {
  table("returning_rows");
  Connection conn = autocommit();
  std::vector<std::tuple<int64_t>> rows = {{10}, {20}, {30}};
  Cursor cur = conn.cursor();
  cur.executemany("INSERT INTO returning_rows VALUES (%s) RETURNING id * 2", rows,
                  {.returning = true});
  std::vector<int64_t> seen;
  do {
    seen.push_back(cur.fetchone(scalar_row<int64_t>).value());
  } while (cur.nextset());
  EXPECT_THAT(seen, ElementsAre(20, 40, 60));
}

TEST_F(PipelineTest, ExecutemanyJoinsAnOpenPipeline) {
  const std::string t = table("joined_rows");
  Connection conn = autocommit();
  Pipeline p = conn.pipeline();
  Cursor before = conn.execute("SELECT 1");
  Cursor many = conn.cursor();
  many.executemany("INSERT INTO joined_rows VALUES (%s)",
                   std::vector<std::tuple<int64_t>>{{1}, {2}, {3}});
  EXPECT_EQ(p.level(), 1);  // no pipeline of its own
  Cursor returning = conn.cursor();
  returning.executemany("SELECT %s::int8 + 1", std::vector<std::tuple<int64_t>>{{1}, {2}},
                        {.returning = true});
  EXPECT_EQ(returning.fetchone(scalar_row<int64_t>), 2);  // fetched by executemany
  ASSERT_TRUE(returning.nextset());
  EXPECT_EQ(returning.fetchone(scalar_row<int64_t>), 3);
  p.sync();
  EXPECT_EQ(many.rowcount(), 3);
  EXPECT_EQ(before.fetchone(scalar_row<int>), 1);
  EXPECT_EQ(committed_rows(t), 3);
}

TEST_F(PipelineTest, ExecutemanyReparsesWhenTheParameterTypesChange) {
  Connection conn = autocommit();
  conn.execute("CREATE TEMP TABLE typed_rows (v text)");
  std::vector<std::tuple<std::optional<int64_t>, std::string>> rows = {
      {std::nullopt, "a"}, {5, "b"}, {6, "c"}};
  Cursor cur = conn.cursor();
  // Binary: an int8 sent for a statement parsed with an unknown (text) type would be refused.
  cur.executemany("INSERT INTO typed_rows VALUES (coalesce(%b::text, '') || %s)", rows);
  EXPECT_EQ(cur.rowcount(), 3);
  EXPECT_THAT(conn.execute("SELECT v FROM typed_rows ORDER BY v").fetchall(scalar_row<std::string>),
              ElementsAre("5b", "6c", "a"));
}

TEST_F(PipelineTest, ExecutemanyErrorRaisesItsClassAndInsertsNothingOfTheSegment) {
  const std::string t = table("many_error_rows");
  Connection conn = autocommit();
  Cursor cur = conn.cursor();
  EXPECT_THROW(cur.executemany("INSERT INTO many_error_rows VALUES (%s)",
                               std::vector<std::tuple<int64_t>>{{1}, {2}, {1}, {3}}),
               errors::UniqueViolation);
  EXPECT_EQ(conn.info().pipeline_status(), PipelineStatus::kOff);
  EXPECT_EQ(committed_rows(t), 0);
  EXPECT_EQ(conn.execute("SELECT 1").fetchone(scalar_row<int>), 1);
}

TEST_F(PipelineTest, CheckNotInPipelineRefusesInsideOnly) {
  Connection conn = autocommit();
  EXPECT_NO_THROW(conn.base().check_not_in_pipeline("COPY"));
  Pipeline p = conn.pipeline();
  EXPECT_EQ(
      core_testing::what_of<NotSupportedError>([&] { conn.base().check_not_in_pipeline("COPY"); }),
      "COPY cannot be used in pipeline mode");
}

TEST_F(PipelineTest, CopyResultInAPipelineIsNotSupported) {
  Connection conn = autocommit();
  EXPECT_THROW(
      {
        Pipeline p = conn.pipeline();
        conn.execute("COPY (SELECT 1) TO STDOUT");
        p.sync();
      },
      NotSupportedError);
}

TEST_F(PipelineTest, ACutConnectionRaisesOperationalErrorAndIsBroken) {
  ConnInfoDict params = conninfo_to_dict(dsn());
  pgcpp::testing::FaultProxy faults(params.at("host"), std::stoi(params.at("port")));
  Connection conn = Connection::connect(faults.dsn(dsn()), {.autocommit = true});
  EXPECT_THROW(
      {
        Pipeline p = conn.pipeline();
        Cursor cur = conn.execute("SELECT 1");
        faults.cut_all();
        cur.fetchone();
      },
      OperationalError);
  EXPECT_TRUE(conn.broken());
  EXPECT_THROW(conn.execute("SELECT 1"), OperationalError);
}

// --- Prepared statements in a pipeline ---

int64_t prepared_on_server(const Connection& conn) {
  return conn.execute("SELECT count(*) FROM pg_prepared_statements")
      .fetchone(scalar_row<int64_t>)
      .value();
}

TEST_F(PipelineTest, StatementsArePreparedAndRunByNameInsideAPipeline) {
  Connection conn = Connection::connect(dsn(), {.autocommit = true, .prepare_threshold = 0});
  {
    Pipeline p = conn.pipeline();
    Cursor a = conn.execute("SELECT %s::int + 1", 1);  // PREPARE queued, then the execution
    Cursor b = conn.execute("SELECT %s::int + 1", 2);  // by name, before the PREPARE's result
    EXPECT_EQ(b.fetchone(scalar_row<int>), 3);
    EXPECT_EQ(a.fetchone(scalar_row<int>), 2);
  }
  EXPECT_EQ(conn.base().prepared().prepared_count(), 1);
  EXPECT_EQ(prepared_on_server(conn), 1);
}

TEST_F(PipelineTest, AFailedPrepareInAPipelineLeavesNothingCached) {
  Connection conn = Connection::connect(dsn(), {.autocommit = true, .prepare_threshold = 0});
  EXPECT_THROW(
      {
        Pipeline p = conn.pipeline();
        conn.execute("SELECT * FROM no_such_table WHERE id = %s", 1);
      },
      errors::UndefinedTable);
  EXPECT_EQ(conn.base().prepared().prepared_count(), 0);
  EXPECT_EQ(conn.execute("SELECT %s::int", 4).fetchone(scalar_row<int>), 4);
}

TEST_F(PipelineTest, ADropSeenInAPipelineInvalidatesTheCache) {
  Connection conn = Connection::connect(dsn(), {.autocommit = true, .prepare_threshold = 0});
  conn.execute("CREATE TABLE drop_me (id int)");
  conn.execute("SELECT %s::int", 1);
  ASSERT_EQ(conn.base().prepared().prepared_count(), 1);
  {
    Pipeline p = conn.pipeline();
    conn.execute("DROP TABLE drop_me");
  }
  EXPECT_EQ(conn.base().prepared().prepared_count(), 0);
  EXPECT_EQ(prepared_on_server(conn), 0);  // DEALLOCATE ALL went before this query
}

TEST_F(PipelineTest, ExecutemanyPreparesItsStatementOnce) {
  table("prepared_many_rows");
  Connection conn = autocommit();
  Cursor cur = conn.cursor();
  cur.executemany("INSERT INTO prepared_many_rows VALUES (%s)",
                  std::vector<std::tuple<int64_t>>{{1}, {2}, {3}});
  cur.executemany("INSERT INTO prepared_many_rows VALUES (%s)",
                  std::vector<std::tuple<int64_t>>{{4}, {5}});
  EXPECT_EQ(cur.rowcount(), 2);
  EXPECT_EQ(conn.base().prepared().prepared_count(), 1);
  EXPECT_EQ(conn.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE "
                         "'INSERT INTO prepared_many_rows%'")
                .fetchone(scalar_row<int64_t>),
            1);
}

TEST_F(PipelineTest, ExecutemanyWithoutPreparingWhenTheThresholdIsNone) {
  table("unprepared_many_rows");
  Connection conn =
      Connection::connect(dsn(), {.autocommit = true, .prepare_threshold = std::nullopt});
  Cursor cur = conn.cursor();
  cur.executemany("INSERT INTO unprepared_many_rows VALUES (%s)",
                  std::vector<std::tuple<int64_t>>{{1}, {2}});
  EXPECT_EQ(cur.rowcount(), 2);
  EXPECT_EQ(prepared_on_server(conn), 0);
}

}  // namespace
}  // namespace pgcpp
