#include "pgcpp/core/prepared_statements.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "pgcpp/core/connection.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/core/stream.h"
#include "pgcpp/testing/database.h"

namespace pgcpp {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class PreparedStatementsTest : public pgcpp::testing::DatabaseTest {
 protected:
  static Connection connect(ConnectOptions options = {.autocommit = true}) {
    return Connection::connect(dsn(), options);
  }

  // The statements prepared on `conn`'s session, oldest first. Sent with the
  // simple protocol, so the cache never sees it; it does send the queued
  // DEALLOCATEs first, as any query would.
  static std::vector<std::string> server_statements(Connection& conn) {
    std::vector<std::string> out;
    for (auto [statement] :
         conn.execute("SELECT statement FROM pg_prepared_statements ORDER BY prepare_time, name")
             .rows<std::string>()) {
      out.push_back(statement);
    }
    return out;
  }
};

TEST_F(PreparedStatementsTest, PreparedOnTheSixthExecutionByDefault) {
  Connection conn = connect();
  EXPECT_EQ(conn.prepare_threshold(), 5);
  std::vector<size_t> seen;
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(conn.execute("SELECT %s::int + 1", i).fetchone(scalar_row<int>), i + 1);
    seen.push_back(server_statements(conn).size());
  }
  EXPECT_THAT(seen, ElementsAre(0, 0, 0, 0, 0, 1, 1, 1, 1, 1));
  EXPECT_THAT(server_statements(conn), ElementsAre("SELECT $1::int + 1"));
  auto [name] =
      *conn.execute("SELECT name FROM pg_prepared_statements").fetchone(typed_row<std::string>);
  EXPECT_THAT(name, ::testing::StartsWith("_pgcpp_"));
}

TEST_F(PreparedStatementsTest, ThresholdZeroPreparesOnFirstExecution) {
  Connection conn = connect({.autocommit = true, .prepare_threshold = 0});
  conn.execute("SELECT %s::text", "a");
  EXPECT_THAT(server_statements(conn), ElementsAre("SELECT $1::text"));
}

TEST_F(PreparedStatementsTest, ThresholdNoneNeverPrepares) {
  Connection conn = connect({.autocommit = true, .prepare_threshold = std::nullopt});
  Cursor cur = conn.cursor();
  for (int i = 0; i < 20; ++i) cur.execute("SELECT %s::int", i);
  cur.execute({.prepare = true}, "SELECT %s::int", 1);
  EXPECT_THAT(server_statements(conn), IsEmpty());
  EXPECT_EQ(conn.base().prepared().counted_count(), 0u);
}

TEST_F(PreparedStatementsTest, ThresholdIsASetting) {
  Connection conn = connect();
  conn.set_prepare_threshold(1);
  conn.execute("SELECT %s::int", 1);
  EXPECT_THAT(server_statements(conn), IsEmpty());
  conn.execute("SELECT %s::int", 2);
  EXPECT_THAT(server_statements(conn), ElementsAre("SELECT $1::int"));
  EXPECT_THROW(conn.set_prepare_threshold(-1), ProgrammingError);
  EXPECT_THROW(conn.set_prepared_max(-1), ProgrammingError);
  EXPECT_EQ(conn.prepare_threshold(), 1);
}

TEST_F(PreparedStatementsTest, PrepareTruePreparesAtOnceAndFalseNever) {
  Connection conn = connect();
  Cursor cur = conn.cursor();
  cur.execute({.prepare = true}, "SELECT %s::int8", 1);
  EXPECT_THAT(server_statements(conn), ElementsAre("SELECT $1::int8"));
  for (int i = 0; i < 10; ++i) cur.execute({.prepare = false}, "SELECT %s::int4", i);
  EXPECT_THAT(server_statements(conn), ElementsAre("SELECT $1::int8"));
  // A prepared statement run unprepared by choice stays prepared.
  for (int i = 0; i < 3; ++i) cur.execute({.prepare = false}, "SELECT %s::int8", 2);
  EXPECT_EQ(conn.base().prepared().prepared_count(), 1u);
  EXPECT_EQ(cur.execute("SELECT %s::int8", 5).fetchone(scalar_row<int64_t>), 5);
  EXPECT_THAT(server_statements(conn), ElementsAre("SELECT $1::int8"));
  // Without parameters, prepare=true sends the query over the extended protocol.
  cur.execute({.prepare = true}, "SELECT 42");
  EXPECT_EQ(cur.fetchone(scalar_row<int>), 42);
  EXPECT_THAT(server_statements(conn), ElementsAre("SELECT $1::int8", "SELECT 42"));
}

TEST_F(PreparedStatementsTest, ExecutemanyPreparesAtOnce) {
  Connection conn = connect();
  conn.execute("CREATE TABLE m (a int)");
  conn.cursor().executemany("INSERT INTO m VALUES (%s)", std::vector<std::tuple<int>>{{1}, {2}});
  EXPECT_THAT(server_statements(conn), ElementsAre("INSERT INTO m VALUES ($1)"));
}

TEST_F(PreparedStatementsTest, SimpleProtocolQueriesAreNeverPrepared) {
  Connection conn = connect({.autocommit = true, .prepare_threshold = 0});
  for (int i = 0; i < 7; ++i) {
    Cursor cur = conn.execute("SELECT 1; SELECT 2");
    EXPECT_TRUE(cur.nextset());
  }
  EXPECT_THAT(server_statements(conn), IsEmpty());
}

TEST_F(PreparedStatementsTest, KeyIncludesParameterTypes) {
  Connection conn = connect({.autocommit = true, .prepare_threshold = 0});
  conn.execute("SELECT %s", int16_t{1});
  conn.execute("SELECT %s", int32_t{1});
  conn.execute("SELECT %s", int16_t{2});
  auto names =
      conn.execute("SELECT count(*) FROM pg_prepared_statements").fetchone(scalar_row<int64_t>);
  EXPECT_EQ(names, 2);
}

TEST_F(PreparedStatementsTest, FailingExecutionsAreNotCounted) {
  Connection conn = connect({.autocommit = true, .prepare_threshold = 1});
  for (int i = 0; i < 3; ++i) {
    EXPECT_THROW(conn.execute("SELECT 1 / %s", 0), errors::DivisionByZero);
  }
  EXPECT_THAT(server_statements(conn), IsEmpty());
  // A failing PREPARE leaves nothing behind and fails again next time.
  Connection always = connect({.autocommit = true, .prepare_threshold = 0});
  for (int i = 0; i < 2; ++i) {
    EXPECT_THROW(always.execute("SELECT * FROM no_such_table WHERE a = %s", 1),
                 errors::UndefinedTable);
  }
  EXPECT_EQ(always.base().prepared().prepared_count(), 0u);
  EXPECT_THAT(server_statements(always), IsEmpty());
}

TEST_F(PreparedStatementsTest, LeastRecentlyUsedStatementsAreDeallocated) {
  Connection conn = connect({.autocommit = true, .prepare_threshold = 0, .prepared_max = 2});
  std::vector<std::string> commands;
  conn.base().set_command_observer(
      [&](std::string_view command) { commands.emplace_back(command); });
  Cursor cur = conn.cursor();
  cur.execute("SELECT %s::int", 1);
  cur.execute("SELECT %s::text", "2");
  cur.execute("SELECT %s::int", 1);  // now the most recently used
  cur.execute("SELECT %s::int8", 3);
  EXPECT_THAT(server_statements(conn), ElementsAre("SELECT $1::int", "SELECT $1::int8"));
  ASSERT_THAT(commands, ElementsAre(::testing::StartsWith("DEALLOCATE _pgcpp_")));
  // Evicted statements run again (prepared anew).
  cur.execute("SELECT %s::text", "x");
  EXPECT_EQ(cur.fetchone(scalar_row<std::string>), "x");
  EXPECT_THAT(server_statements(conn), ElementsAre("SELECT $1::int8", "SELECT $1::text"));
  // Shrinking the limit evicts at once.
  conn.set_prepared_max(0);
  EXPECT_THAT(server_statements(conn), IsEmpty());
  EXPECT_EQ(conn.prepared_max(), 0);
}

TEST_F(PreparedStatementsTest, UnlimitedWithNullopt) {
  Connection conn =
      connect({.autocommit = true, .prepare_threshold = 0, .prepared_max = std::nullopt});
  Cursor cur = conn.cursor();
  for (int i = 0; i < 120; ++i) cur.execute("SELECT %s::int + " + std::to_string(i), i);
  EXPECT_EQ(server_statements(conn).size(), 120u);
}

TEST_F(PreparedStatementsTest, DropClearsTheCacheEveryTimeEvenWithIdenticalText) {
  Connection conn = connect({.autocommit = true, .prepare_threshold = 0});
  conn.execute("CREATE TABLE x (id int, a text)");
  conn.execute("INSERT INTO x VALUES (1, 'one')");
  for (int round = 0; round < 4; ++round) {
    EXPECT_EQ(conn.execute("SELECT a FROM x WHERE id = %s", 1).fetchone(scalar_row<std::string>),
              "one");
    ASSERT_THAT(server_statements(conn), ElementsAre("SELECT a FROM x WHERE id = $1"))
        << "round " << round;
    conn.execute("DROP TABLE IF EXISTS y");  // identical text each round
    EXPECT_THAT(server_statements(conn), IsEmpty()) << "round " << round;
  }
  // A DROP sent with parameters' protocol is seen too.
  conn.execute("SELECT a FROM x WHERE id = %s", 1);
  conn.cursor().execute({.binary = true}, "DROP TABLE IF EXISTS y");
  EXPECT_THAT(server_statements(conn), IsEmpty());
}

TEST_F(PreparedStatementsTest, AlteredTableIsPreparedAgain) {
  Connection conn = connect({.autocommit = true, .prepare_threshold = 0});
  conn.execute("CREATE TABLE t (id int)");
  conn.execute("INSERT INTO t VALUES (1)");
  Cursor cur = conn.cursor();
  cur.execute("SELECT * FROM t WHERE id = %s", 1);
  ASSERT_EQ(cur.description()->size(), 1u);
  cur.execute("ALTER TABLE t ADD COLUMN b text DEFAULT 'b'");
  // The server would refuse the old statement: "cached plan must not change result type".
  cur.execute("SELECT * FROM t WHERE id = %s", 1);
  EXPECT_EQ(cur.description()->size(), 2u);
  EXPECT_EQ(cur.fetchone(typed_row<int, std::string>), std::make_tuple(1, std::string("b")));
  // Every ALTER, also with identical text.
  for (int i = 0; i < 3; ++i) {
    cur.execute("SELECT * FROM t WHERE id = %s", 1);
    cur.execute("ALTER TABLE t ALTER COLUMN b SET DEFAULT 'c'");
    EXPECT_THAT(server_statements(conn), IsEmpty());
  }
}

TEST_F(PreparedStatementsTest, DiscardAllClearsTheCache) {
  Connection conn = connect({.autocommit = true, .prepare_threshold = 0});
  conn.execute("SELECT %s::int", 1);
  conn.execute("DISCARD ALL");
  EXPECT_EQ(conn.base().prepared().prepared_count(), 0u);
  EXPECT_EQ(conn.execute("SELECT %s::int", 2).fetchone(scalar_row<int>), 2);
  EXPECT_THAT(server_statements(conn), ElementsAre("SELECT $1::int"));
}

TEST_F(PreparedStatementsTest, RollbackClearsTheCache) {
  Connection conn = connect({.autocommit = false, .prepare_threshold = 0});
  conn.execute("SELECT %s::int", 1);
  ASSERT_THAT(server_statements(conn), ElementsAre("SELECT $1::int"));
  conn.rollback();
  EXPECT_THAT(server_statements(conn), IsEmpty());
  conn.rollback();

  // A transaction block that rolls back, outer or savepoint.
  conn.transaction([&](Transaction&) {
    conn.execute("SELECT %s::int", 1);
    throw Rollback();
  });
  EXPECT_THAT(server_statements(conn), IsEmpty());
  conn.rollback();
  conn.transaction([&](Transaction&) {
    conn.execute("SELECT %s::int", 1);
    conn.transaction([&](Transaction&) { throw Rollback(); });
    EXPECT_THAT(server_statements(conn), IsEmpty());
  });

  // A ROLLBACK the user sends.
  conn.execute("SELECT %s::int", 1);
  conn.execute("ROLLBACK");
  EXPECT_THAT(server_statements(conn), IsEmpty());
  conn.rollback();

  // A COMMIT of a failed transaction, which the server answers with ROLLBACK.
  conn.execute("SELECT %s::int", 1);
  EXPECT_THROW(conn.execute("SELECT 1/0"), errors::DivisionByZero);
  conn.commit();
  EXPECT_THAT(server_statements(conn), IsEmpty());
  conn.rollback();

  // An internal ROLLBACK sent by a component built on core (e.g. //tpc).
  conn.execute("SELECT %s::int", 1);
  conn.exec_command("ROLLBACK");
  EXPECT_THAT(server_statements(conn), IsEmpty());
  conn.rollback();
}

TEST_F(PreparedStatementsTest, UserRollbackToSavepointClearsTheCache) {
  Connection conn = connect({.autocommit = false, .prepare_threshold = 0});
  conn.execute("SAVEPOINT s");
  conn.execute("SELECT %s::int", 1);
  ASSERT_EQ(conn.base().prepared().prepared_count(), 1u);
  conn.execute("ROLLBACK TO SAVEPOINT s");  // command tag "ROLLBACK"
  EXPECT_EQ(conn.base().prepared().prepared_count(), 0u);
  EXPECT_THAT(server_statements(conn), IsEmpty());
  conn.rollback();
}

// Internal commands (exec_command, as //tpc and other components send them)
// reach the cache like user queries do.
TEST_F(PreparedStatementsTest, InternalCommandsClearTheCacheLikeQueries) {
  Connection conn = connect({.autocommit = true, .prepare_threshold = 0});
  conn.exec_command("CREATE TABLE internal_ddl (id int)");
  for (const char* command :
       {"ALTER TABLE internal_ddl ADD COLUMN b int", "DROP TABLE IF EXISTS no_such_table",
        "DISCARD PLANS", "DEALLOCATE ALL"}) {
    conn.execute("SELECT %s::int", 1);
    ASSERT_EQ(conn.base().prepared().prepared_count(), 1u) << command;
    conn.exec_command(command);
    EXPECT_EQ(conn.base().prepared().prepared_count(), 0u) << command;
    EXPECT_EQ(conn.execute("SELECT %s::int", 2).fetchone(scalar_row<int>), 2) << command;
    EXPECT_THAT(server_statements(conn), ElementsAre("SELECT $1::int")) << command;
    conn.exec_command("DEALLOCATE ALL");
  }
}

// //tpc's commands: a prepared transaction rolled back.
TEST_F(PreparedStatementsTest, RollbackPreparedClearsTheCache) {
  Connection conn = connect({.autocommit = false, .prepare_threshold = 0});
  conn.execute("SELECT %s::int", 1);
  conn.exec_command("PREPARE TRANSACTION 'pgcpp_prepared_statements'");
  ASSERT_EQ(conn.base().prepared().prepared_count(), 1u);  // the session's statements stay
  conn.exec_command("ROLLBACK PREPARED 'pgcpp_prepared_statements'");
  EXPECT_EQ(conn.base().prepared().prepared_count(), 0u);

  // A failed transaction's PREPARE TRANSACTION is answered ROLLBACK.
  conn.execute("SELECT %s::int", 1);
  EXPECT_THROW(conn.execute("SELECT 1/0"), errors::DivisionByZero);
  PGresultPtr result =
      conn.run(conn.base().exec_query("PREPARE TRANSACTION 'pgcpp_prepared_statements'"));
  ASSERT_STREQ(PQcmdStatus(result.get()), "ROLLBACK");
  EXPECT_EQ(conn.base().prepared().prepared_count(), 0u);
  EXPECT_THAT(server_statements(conn), IsEmpty());
  conn.rollback();
}

TEST_F(PreparedStatementsTest, AStreamedDropClearsTheCache) {
  Connection conn = connect({.autocommit = true, .prepare_threshold = 0});
  conn.execute("CREATE TABLE streamed_drop (id int)");
  conn.execute("SELECT %s::int", 1);
  EXPECT_THROW(conn.cursor().stream("DROP TABLE streamed_drop"), ProgrammingError);
  EXPECT_EQ(conn.base().prepared().prepared_count(), 0u);
  EXPECT_THAT(server_statements(conn), IsEmpty());
}

// Evicting a statement sends "DEALLOCATE <name>", whose command tag would
// clear the whole cache if it were taken for a user's DEALLOCATE.
TEST_F(PreparedStatementsTest, TheCachesOwnDeallocationsKeepTheOtherStatements) {
  Connection conn = connect({.autocommit = true, .prepare_threshold = 0, .prepared_max = 1});
  conn.execute("SELECT %s::int", 1);
  conn.execute("SELECT %s::int8", 2);  // evicts the first: its DEALLOCATE is queued
  conn.execute("SELECT %s::text", "3");
  EXPECT_EQ(conn.base().prepared().prepared_count(), 1u);
  EXPECT_THAT(server_statements(conn), ElementsAre("SELECT $1::text"));
  {
    Pipeline p = conn.pipeline();  // the DEALLOCATE's result comes later
    conn.execute("SELECT %s::int2", 4);
    conn.execute("SELECT %s::float8", 5.0);
  }
  EXPECT_EQ(conn.base().prepared().prepared_count(), 1u);
  EXPECT_THAT(server_statements(conn), ElementsAre("SELECT $1::float8"));
}

// A COMMIT failing with an error (here a deferred unique constraint) ends the
// transaction in a rollback too, undoing the ALTER the statement saw.
TEST_F(PreparedStatementsTest, AFailedCommitClearsTheCache) {
  Connection conn = connect({.autocommit = false, .prepare_threshold = 0});
  conn.execute("CREATE TABLE failed_commit (id int UNIQUE DEFERRABLE INITIALLY DEFERRED)");
  conn.commit();
  conn.execute("ALTER TABLE failed_commit ADD COLUMN b int");
  conn.execute("SELECT * FROM failed_commit WHERE id = %s", 1);  // prepared with two columns
  conn.execute("INSERT INTO failed_commit VALUES (1), (1)");     // checked at COMMIT
  EXPECT_THROW(conn.commit(), errors::UniqueViolation);
  ASSERT_EQ(conn.transaction_status(), TransactionStatus::kIdle);
  EXPECT_EQ(conn.base().prepared().prepared_count(), 0u);
  // Otherwise: "cached plan must not change result type".
  Cursor cur = conn.execute("SELECT * FROM failed_commit WHERE id = %s", 1);
  EXPECT_EQ(cur.description()->size(), 1u);
  conn.rollback();

  // The same in a pipeline, where the status is only known at the sync.
  conn.execute("ALTER TABLE failed_commit ADD COLUMN b int");
  conn.execute("SELECT * FROM failed_commit WHERE id = %s", 1);
  conn.execute("INSERT INTO failed_commit VALUES (1), (1)");
  EXPECT_THROW(
      {
        Pipeline p = conn.pipeline();
        conn.commit();
      },
      errors::UniqueViolation);
  EXPECT_EQ(conn.base().prepared().prepared_count(), 0u);
  EXPECT_EQ(conn.execute("SELECT * FROM failed_commit WHERE id = %s", 1).description()->size(), 1u);
  conn.rollback();

  // An error outside a transaction block (autocommit) leaves the cache alone.
  conn.set_autocommit(true);
  conn.execute("SELECT %s::int", 1);
  EXPECT_THROW(conn.execute("SELECT 1/0"), errors::DivisionByZero);
  EXPECT_EQ(conn.base().prepared().prepared_count(), 1u);
}

TEST_F(PreparedStatementsTest, RollbackUndoingAlterLeavesStatementsWorking) {
  Connection conn = connect({.autocommit = false, .prepare_threshold = 0});
  conn.execute("CREATE TABLE r (id int)");
  conn.commit();
  conn.execute("ALTER TABLE r ADD COLUMN b int");
  conn.execute("SELECT * FROM r WHERE id = %s", 1);  // prepared with two columns
  conn.rollback();                                   // r has one column again
  Cursor cur = conn.execute("SELECT * FROM r WHERE id = %s", 1);
  EXPECT_EQ(cur.description()->size(), 1u);
  conn.rollback();
}

// Each type family, read through the dynamic Values and through typed access,
// must give the same values from the binary results of a prepared statement as
// from the text ones.
constexpr char kFamilies[] =
    "SELECT %s::int4, 7::int2, 9000000000::int8, 1.5::float4, 0.1::float8, "
    "'-12345.678900'::numeric, 'NaN'::numeric, 'héllo'::text, 'v'::varchar, 'ab'::char(4), "
    "'nm'::name, '\\x00ff'::bytea, true, '2024-02-29'::date, '23:59:58.123456'::time, "
    "'12:00+05:30'::timetz, '2001-02-03 04:05:06.789'::timestamp, "
    "'2001-02-03 04:05:06.789+02'::timestamptz, '1 year 2 mons 3 days 04:05:06.5'::interval, "
    "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, '{\"a\": [1, 2]}'::json, "
    "'{\"b\": null}'::jsonb, '192.168.0.1/24'::inet, '10.0.0.0/8'::cidr, 26::oid, "
    "ARRAY[1, NULL, 3]::int4[], ARRAY['x', 'y z']::text[], ARRAY[1.5]::numeric[], "
    "'infinity'::timestamptz, '-infinity'::date, NULL::int4";

using FamilyRow =
    std::tuple<int32_t, int16_t, int64_t, float, double, Numeric, Numeric, std::string, std::string,
               std::string, std::string, Bytes, bool, Date, Time, TimeTz, Timestamp, TimestampTz,
               Interval, Uuid, Json, Jsonb, Inet, Cidr, int64_t>;

template <class... Ts>
auto typed_row_of(std::tuple<Ts...>*) {
  return typed_row<Ts...>;
}

TEST_F(PreparedStatementsTest, BinaryResultsByDefaultGiveTheTextValues) {
  Connection conn = connect({.autocommit = true, .prepare_threshold = 0});
  conn.exec_command("SET TimeZone TO 'America/Sao_Paulo'");
  Cursor cur = conn.cursor();
  cur.execute(kFamilies, 1);  // prepares; the columns are not known yet: text
  ASSERT_EQ(PQfformat(cur.pgresult(), 0), 0);
  std::vector<Value> text = *cur.fetchone();
  cur.execute(kFamilies, 1);
  for (int i = 0; i < PQnfields(cur.pgresult()); ++i) {
    EXPECT_EQ(PQfformat(cur.pgresult(), i), 1) << "column " << i;
  }
  std::vector<Value> binary = *cur.fetchone();
  ASSERT_EQ(text.size(), binary.size());
  for (size_t i = 0; i < text.size(); ++i) {
    EXPECT_EQ(text[i], binary[i]) << "column " << i << ": text " << text[i].to_string()
                                  << ", binary " << binary[i].to_string();
  }
  // Typed access, to each family's own C++ type.
  const std::string typed(kFamilies, std::string_view(kFamilies).find(", ARRAY["));
  Cursor text_cur = conn.cursor({.binary = false});
  text_cur.execute(typed, 1);
  ASSERT_EQ(PQfformat(text_cur.pgresult(), 0), 0);
  cur.execute(typed, 1);
  cur.execute(typed, 1);
  ASSERT_EQ(PQfformat(cur.pgresult(), 0), 1);
  auto typed_text = text_cur.fetchone(typed_row_of(static_cast<FamilyRow*>(nullptr)));
  auto typed_binary = cur.fetchone(typed_row_of(static_cast<FamilyRow*>(nullptr)));
  EXPECT_TRUE(typed_text == typed_binary);
}

TEST_F(PreparedStatementsTest, BinaryResultsCanBeTurnedOff) {
  Connection conn = connect({.autocommit = true,
                             .prepare_threshold = 0,
                             .prepared_max = 100,
                             .prepared_binary_results = false});
  EXPECT_FALSE(conn.prepared_binary_results());
  Cursor cur = conn.cursor();
  for (int i = 0; i < 3; ++i) {
    cur.execute("SELECT %s::int", i);
    EXPECT_EQ(PQfformat(cur.pgresult(), 0), 0);
  }
  conn.set_prepared_binary_results(true);
  cur.execute("SELECT %s::int", 1);
  EXPECT_EQ(PQfformat(cur.pgresult(), 0), 1);
  // The user's choice wins, per execute and per cursor.
  cur.execute({.binary = false}, "SELECT %s::int", 1);
  EXPECT_EQ(PQfformat(cur.pgresult(), 0), 0);
  Cursor text_cur = conn.cursor({.binary = false});
  text_cur.execute("SELECT %s::int", 1);
  EXPECT_EQ(PQfformat(text_cur.pgresult(), 0), 0);
}

TEST_F(PreparedStatementsTest, TypesWithoutBinaryLoaderStayText) {
  Connection conn = connect({.autocommit = true, .prepare_threshold = 0});
  Cursor cur = conn.cursor();
  for (int i = 0; i < 2; ++i) {
    cur.execute("SELECT %s::int, '(1,2)'::point", 1);
    EXPECT_EQ(PQfformat(cur.pgresult(), 0), 0);
    EXPECT_EQ(cur.fetchone(typed_row<int, std::string>), std::make_tuple(1, "(1,2)"));
  }
  // A user's text loader is not bypassed.
  class Cents : public TypedLoader<int64_t> {
   public:
    Cents() : TypedLoader(Format::kText) {}
    int64_t load_value(std::string_view data) const override {
      return static_cast<int64_t>(std::stod(std::string(data)) * 100);
    }
  };
  cur.adapters().register_loader(oids::kNumeric, std::make_shared<Cents>());
  for (int i = 0; i < 2; ++i) {
    cur.execute("SELECT %s::numeric", 1.25);
    EXPECT_EQ(PQfformat(cur.pgresult(), 0), 0);
    EXPECT_EQ((*cur.fetchone())[0], Value(int64_t{125}));
  }
}

}  // namespace
}  // namespace pgcpp
