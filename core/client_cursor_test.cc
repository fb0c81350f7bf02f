#include "pgcpp/core/client_cursor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "pgcpp/adapt/datetime.h"
#include "pgcpp/adapt/numeric.h"
#include "pgcpp/adapt/text.h"
#include "pgcpp/core/connection.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/testing/database.h"

namespace pgcpp {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ClientCursorTest : public pgcpp::testing::DatabaseTest {
 protected:
  void SetUp() override { conn_.emplace(Connection::connect(dsn(), {.autocommit = true})); }
  Connection& conn() { return *conn_; }
  std::optional<Connection> conn_;
};

TEST_F(ClientCursorTest, SetWithAParameter) {
  ClientCursor cur = conn().client_cursor();
  cur.execute("SET search_path TO %s", "it's, \"odd\"");
  EXPECT_EQ(conn().execute("SHOW search_path").fetchone(scalar_row<std::string>),
            "\"it's, \"\"odd\"\"\"");
  cur.execute("SET application_name = %s", "client cursor");
  EXPECT_EQ(conn().execute("SHOW application_name").fetchone(scalar_row<std::string>),
            "client cursor");
  // A server-side cursor cannot do that: SET takes no bound parameters.
  EXPECT_THROW(conn().execute("SET application_name = %s", "x"), errors::SyntaxError);
}

TEST_F(ClientCursorTest, DdlWithParameters) {
  ClientCursor cur = conn().client_cursor();
  cur.execute(
      "CREATE TABLE defaults (id int, s text DEFAULT %s, d date DEFAULT %s, n int DEFAULT %s)",
      "a'b\\c", Date::from_ymd(2020, 2, 29), -7);
  cur.execute("INSERT INTO defaults (id) VALUES (%s)", 1);
  EXPECT_EQ(cur.rowcount(), 1);
  auto row = conn()
                 .execute("SELECT s, d, n FROM defaults WHERE id = 1")
                 .fetchone(typed_row<std::string, Date, int>);
  EXPECT_EQ(row, std::make_tuple(std::string("a'b\\c"), Date::from_ymd(2020, 2, 29), -7));
}

TEST_F(ClientCursorTest, MogrifyRendersEveryLiteralFamily) {
  ClientCursor cur = conn().client_cursor();
  EXPECT_EQ(cur.mogrify("SELECT %s, %s, %s", std::string("it's"), std::string("a\\b"), "plain"),
            "SELECT 'it''s',  E'a\\\\b', 'plain'");
  EXPECT_EQ(cur.mogrify("SELECT %s, %s", std::nullopt, std::optional<int>()), "SELECT NULL, NULL");
  EXPECT_EQ(cur.mogrify("SELECT %s, %s, %s, %s", 42, -1, int64_t{-9000000000}, true),
            "SELECT 42,  -1,  -9000000000, true");
  EXPECT_EQ(cur.mogrify("SELECT %s, %s, %s", 1.5, std::numeric_limits<double>::infinity(),
                        Numeric("-1.5")),
            "SELECT 1.5, 'Infinity'::float8,  -1.5");
  EXPECT_EQ(cur.mogrify("SELECT %s", Bytes(std::string("\0x", 2))), "SELECT  E'\\\\x0078'::bytea");
  EXPECT_EQ(cur.mogrify("SELECT %s", Date::from_ymd(2020, 1, 1)), "SELECT '2020-01-01'::date");
  EXPECT_EQ(cur.mogrify("SELECT %s, %s", std::vector<int32_t>{1, 2},
                        std::vector<std::string>{"a b", "it's"}),
            "SELECT '{1,2}'::int4[], '{\"a b\",it''s}'");
}

TEST_F(ClientCursorTest, LiteralsReadBackAsTheValues) {
  ClientCursor cur = conn().client_cursor();
  const std::string tricky = "quote ' backslash \\ double \" percent % newline \n end";
  cur.execute("SELECT %s, %s, %s, %s, %s, %s, %s", tricky, -1, 2.25, Numeric("-1.50"),
              Bytes(std::string("\0\1\\'", 4)), Date::from_ymd(1999, 12, 31),
              std::vector<int32_t>{3, -4});
  auto row = cur.fetchone(
      typed_row<std::string, int, Numeric, Numeric, Bytes, Date, std::vector<int32_t>>);
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(std::get<0>(*row), tricky);
  EXPECT_EQ(std::get<1>(*row), -1);
  EXPECT_EQ(std::get<2>(*row).to_string(), "2.25");  // a bare number is numeric, as in psycopg
  EXPECT_EQ(std::get<3>(*row).to_string(), "-1.50");
  EXPECT_EQ(std::string(std::get<4>(*row).data(), std::get<4>(*row).size()),
            std::string("\0\1\\'", 4));
  EXPECT_EQ(std::get<5>(*row), Date::from_ymd(1999, 12, 31));
  EXPECT_THAT(std::get<6>(*row), ElementsAre(3, -4));
  cur.execute("SELECT %s IS NULL", std::nullopt);
  EXPECT_EQ(cur.fetchone(scalar_row<bool>), true);
}

TEST_F(ClientCursorTest, PercentRules) {
  ClientCursor cur = conn().client_cursor();
  // With parameters %% is a literal %; without, the query is left alone.
  EXPECT_EQ(cur.mogrify("SELECT %s, '100%%'", 1), "SELECT 1, '100%'");
  EXPECT_EQ(cur.mogrify("SELECT '100%%'"), "SELECT '100%%'");
  EXPECT_EQ(cur.mogrify_values("SELECT '100%%'", {}), "SELECT '100%'");
  cur.execute("SELECT '100%'");
  EXPECT_EQ(cur.fetchone(scalar_row<std::string>), "100%");
  cur.execute("SELECT %s || '%%'", 5);
  EXPECT_EQ(cur.fetchone(scalar_row<std::string>), "5%");
}

TEST_F(ClientCursorTest, NamedAndRunTimeParameters) {
  ClientCursor cur = conn().client_cursor();
  NamedParams named{{"a", Value(int32_t{2})}, {"b", Value(std::string("x"))}};
  EXPECT_EQ(cur.mogrify_named("SELECT %(a)s * %(a)s, %(b)s", named), "SELECT 2 * 2, 'x'");
  cur.execute_named("SELECT %(a)s * %(a)s, %(b)s", named);
  EXPECT_EQ(cur.fetchone(typed_row<int, std::string>), std::make_tuple(4, std::string("x")));
  std::vector<Value> values{Value(int32_t{7}), Value()};
  cur.execute_values("SELECT %s, %s", values);
  EXPECT_EQ(cur.fetchone(typed_row<int, std::optional<int>>),
            std::make_tuple(7, std::optional<int>()));
  try {
    cur.mogrify_named("SELECT %(a)s, %(c)s", named);
    FAIL() << "no error";
  } catch (const ProgrammingError& e) {
    EXPECT_STREQ(e.what(), "query parameter missing: c");
  }
}

TEST_F(ClientCursorTest, PlaceholderErrorsAreCursorsErrors) {
  ClientCursor cur = conn().client_cursor();
  try {
    cur.execute("SELECT %s, %s", 1);
    FAIL() << "no error";
  } catch (const ProgrammingError& e) {
    EXPECT_STREQ(e.what(), "the query has 2 placeholders but 1 parameters were passed");
  }
  EXPECT_THROW(cur.mogrify("SELECT %d", 1), ProgrammingError);
}

TEST_F(ClientCursorTest, SeveralStatementsWithParameters) {
  ClientCursor cur = conn().client_cursor();
  cur.execute(
      "CREATE TEMP TABLE multi (x int); INSERT INTO multi VALUES (%s), (%s); "
      "SELECT sum(x) FROM multi",
      3, 4);
  EXPECT_EQ(cur.statusmessage(), "CREATE TABLE");
  ASSERT_TRUE(cur.nextset());
  EXPECT_EQ(cur.rowcount(), 2);
  ASSERT_TRUE(cur.nextset());
  EXPECT_EQ(cur.fetchone(scalar_row<int64_t>), 7);
}

TEST_F(ClientCursorTest, ExecutemanyBindsEachItemClientSide) {
  ClientCursor cur = conn().client_cursor();
  cur.execute("CREATE TEMP TABLE many (x int, s text)");
  std::vector<std::tuple<int, std::string>> items{{1, "a'"}, {2, "b\\"}, {3, "c"}};
  cur.executemany("INSERT INTO many VALUES (%s, %s)", items);
  EXPECT_EQ(cur.rowcount(), 3);
  EXPECT_THROW(cur.fetchone(), ProgrammingError);  // no result is kept
  EXPECT_EQ(conn()
                .execute("SELECT string_agg(s, '' ORDER BY x) FROM many")
                .fetchone(scalar_row<std::string>),
            "a'b\\c");
}

TEST_F(ClientCursorTest, StreamsTheMergedQuery) {
  ClientCursor cur = conn().client_cursor();
  int64_t sum = 0;
  for (auto [g] : cur.stream("SELECT generate_series(1, %s)", 100).rows<int64_t>()) sum += g;
  EXPECT_EQ(sum, 5050);
}

TEST_F(ClientCursorTest, BinaryResultsAreNotSupported) {
  EXPECT_THROW(conn().client_cursor({.binary = true}), NotSupportedError);
  ClientCursor cur = conn().client_cursor();
  EXPECT_THROW(cur.execute(ExecuteOptions{.binary = true}, "SELECT %s", 1), NotSupportedError);
}

TEST_F(ClientCursorTest, ExecutemanyReturningKeepsEachResult) {
  ClientCursor cur = conn().client_cursor();
  cur.execute("CREATE TEMP TABLE many_returning (x int)");
  std::vector<std::tuple<int>> items{{1}, {2}};
  cur.executemany("INSERT INTO many_returning VALUES (%s) RETURNING x * 10", items,
                  {.returning = true});
  EXPECT_EQ(cur.rowcount(), 2);
  EXPECT_EQ(cur.fetchone(scalar_row<int>), 10);
  ASSERT_TRUE(cur.nextset());
  EXPECT_EQ(cur.fetchone(scalar_row<int>), 20);
  EXPECT_FALSE(cur.nextset());
}

// psycopg's connect(cursor_factory=ClientCursor): conn.cursor() and
// conn.execute() bind client-side.
TEST_F(ClientCursorTest, TheConnectionsCursorFactoryCanBindClientSide) {
  Connection conn = Connection::connect(
      dsn(),
      {.autocommit = true, .prepare_threshold = 0, .cursor_factory = CursorFactory::kClientCursor});
  EXPECT_EQ(conn.cursor_factory(), CursorFactory::kClientCursor);
  // A parameter where the server takes none ($1 in SET is a syntax error).
  conn.execute("SET application_name TO %s", "client side");
  EXPECT_EQ(conn.execute("SHOW application_name").fetchone(scalar_row<std::string>), "client side");
  // The server sees the literals.
  EXPECT_THAT(conn.execute("SELECT query FROM pg_stat_activity WHERE pid = pg_backend_pid() "
                           "AND %s < %s",
                           7, 8)
                  .fetchone(scalar_row<std::string>),
              ::testing::Optional(HasSubstr("AND 7 < 8")));
  EXPECT_EQ(conn.base().prepared().prepared_count(), 0u);  // never prepared
  Cursor cur = conn.cursor();
  cur.execute_values("SELECT %s::text", std::vector<Value>{Value(std::string("v"))});
  EXPECT_EQ(cur.fetchone(scalar_row<std::string>), "v");
  cur.execute_named("SELECT %(a)s * %(a)s", {{"a", Value(int32_t{3})}});
  EXPECT_EQ(cur.fetchone(scalar_row<int>), 9);
  int64_t sum = 0;
  for (auto [g] : cur.stream("SELECT generate_series(1, %s)", 10).rows<int64_t>()) sum += g;
  EXPECT_EQ(sum, 55);
  EXPECT_THROW(conn.cursor({.binary = true}), NotSupportedError);

  // Server-side binding again.
  conn.set_cursor_factory(CursorFactory::kCursor);
  EXPECT_THROW(conn.execute("SET application_name TO %s", "server side"), errors::SyntaxError);
}

}  // namespace
}  // namespace pgcpp
