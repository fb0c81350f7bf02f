#include "pgcpp/core/cursor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "pgcpp/core/connection.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/testing/database.h"

namespace pgcpp {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class CursorTest : public pgcpp::testing::DatabaseTest {
 protected:
  void SetUp() override { conn_.emplace(Connection::connect(dsn(), {.autocommit = true})); }
  Connection& conn() { return *conn_; }
  std::optional<Connection> conn_;
};

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "no error";
}

TEST_F(CursorTest, ParametersAreBoundServerSide) {
  auto rows =
      conn()
          .execute("SELECT %s::int8 + 1, %s || '!', %s", int64_t{41}, "hi", std::optional<int>())
          .fetchall(typed_row<int64_t, std::string, std::optional<int>>);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], std::make_tuple(int64_t{42}, std::string("hi!"), std::optional<int>()));
}

TEST_F(CursorTest, RowsRangeGivesTypedTuples) {
  std::vector<int> ids;
  std::vector<std::string> names;
  for (auto [id, name] :
       conn().execute("SELECT g, 'n' || g FROM generate_series(1, 3) g").rows<int, std::string>()) {
    ids.push_back(id);
    names.push_back(name);
  }
  EXPECT_THAT(ids, ElementsAre(1, 2, 3));
  EXPECT_THAT(names, ElementsAre("n1", "n2", "n3"));
}

TEST_F(CursorTest, ZeroCopyIterationOverRowViews) {
  Cursor cur = conn().execute("SELECT g, repeat('x', g) FROM generate_series(1, 100) g");
  int64_t sum = 0;
  size_t chars = 0;
  for (const Row& row : cur) {
    sum += row.get<int64_t>(0);
    chars += row.get<std::string_view>(1).size();
  }
  EXPECT_EQ(sum, 5050);
  EXPECT_EQ(chars, 5050u);
  EXPECT_EQ(cur.rownumber(), 100);
}

TEST_F(CursorTest, QueryWithoutParametersIsSentVerbatim) {
  // No parameters: '%' needs no doubling and several statements are allowed.
  Cursor cur = conn().execute("SELECT '100%'; SELECT 2, 3");
  EXPECT_EQ(cur.fetchone(scalar_row<std::string>), "100%");
  ASSERT_TRUE(cur.nextset());
  EXPECT_EQ(cur.fetchone(typed_row<int, int>), std::make_tuple(2, 3));
  EXPECT_FALSE(cur.nextset());
}

TEST_F(CursorTest, EachResultOfAMultiStatementQueryHasItsOwnStatus) {
  Cursor cur =
      conn().execute("CREATE TEMP TABLE t (x int); INSERT INTO t VALUES (1), (2); SELECT * FROM t");
  EXPECT_EQ(cur.statusmessage(), "CREATE TABLE");
  EXPECT_EQ(cur.rowcount(), -1);
  EXPECT_EQ(cur.description(), std::nullopt);
  ASSERT_TRUE(cur.nextset());
  EXPECT_EQ(cur.statusmessage(), "INSERT 0 2");
  EXPECT_EQ(cur.rowcount(), 2);
  ASSERT_TRUE(cur.nextset());
  EXPECT_EQ(cur.statusmessage(), "SELECT 2");
  EXPECT_EQ(cur.rowcount(), 2);
}

TEST_F(CursorTest, PlaceholderCountMismatchIsAProgrammingError) {
  EXPECT_EQ(error_of([&] { conn().execute("SELECT %s, %s", 1); }),
            "the query has 2 placeholders but 1 parameters were passed");
  EXPECT_THROW(conn().execute("SELECT %x", 1), ProgrammingError);
}

TEST_F(CursorTest, NamedPlaceholdersReuseTheirNumber) {
  Cursor cur = conn().cursor();
  cur.execute_named("SELECT %(a)s::int + %(a)s::int, %(b)s::text",
                    {{"a", Value(int64_t{2})}, {"b", Value(std::string("x"))}});
  EXPECT_EQ(cur.fetchone(typed_row<int, std::string>), std::make_tuple(4, std::string("x")));
  EXPECT_THAT(error_of([&] {
                cur.execute_named("SELECT %(a)s, %(c)s", {{"a", Value(1)}});
              }),
              HasSubstr("query parameter missing: c"));
}

TEST_F(CursorTest, RunTimeParameterLists) {
  std::vector<Value> params = {Value(int64_t{7}), Value(std::string("seven"))};
  Cursor cur = conn().cursor();
  cur.execute_values("SELECT %s::int8, %s::text", params);
  EXPECT_EQ(cur.fetchone(typed_row<int64_t, std::string>),
            std::make_tuple(int64_t{7}, std::string("seven")));
}

TEST_F(CursorTest, FetchOneManyAllAndArraysize) {
  Cursor cur = conn().execute("SELECT g FROM generate_series(1, 5) g");
  EXPECT_EQ(cur.fetchone(scalar_row<int>), 1);
  EXPECT_THAT(cur.fetchmany(0, scalar_row<int>), ElementsAre(2));  // arraysize 1
  cur.arraysize = 2;
  EXPECT_THAT(cur.fetchmany(0, scalar_row<int>), ElementsAre(3, 4));
  EXPECT_THAT(cur.fetchall(scalar_row<int>), ElementsAre(5));
  EXPECT_EQ(cur.fetchone(scalar_row<int>), std::nullopt);
  EXPECT_TRUE(cur.fetchall(scalar_row<int>).empty());
}

TEST_F(CursorTest, DefaultRowsAreTuplesOfValues) {
  auto row = conn().execute("SELECT 1::int4, 'a'::text, NULL::int4").fetchone();
  ASSERT_TRUE(row.has_value());
  ASSERT_EQ(row->size(), 3u);
  EXPECT_EQ((*row)[0], Value(int32_t{1}));
  EXPECT_EQ((*row)[1], Value(std::string("a")));
  EXPECT_TRUE((*row)[2].is_null());
}

struct Person {
  int id;
  std::string name;
};

TEST_F(CursorTest, RowFactories) {
  Cursor cur = conn().execute("SELECT 1 AS id, 'Ann' AS name UNION ALL SELECT 2, 'Bob'");
  std::vector<Person> people = cur.fetchall(class_row<Person>);
  ASSERT_EQ(people.size(), 2u);
  EXPECT_EQ(people[1].name, "Bob");
  cur.scroll(0, ScrollMode::kAbsolute);
  auto dict = cur.fetchone(dict_row);
  ASSERT_TRUE(dict.has_value());
  EXPECT_EQ(dict->at("name"), Value(std::string("Ann")));
}

TEST_F(CursorTest, FetchWithoutAResult) {
  Cursor cur = conn().cursor();
  EXPECT_EQ(error_of([&] { cur.fetchone(); }), "no result available");
  cur.execute("CREATE TEMP TABLE nothing (x int)");
  EXPECT_EQ(error_of([&] { cur.fetchone(); }),
            "the last operation didn't produce records (command status: CREATE TABLE)");
}

TEST_F(CursorTest, ClosedCursorRaisesInterfaceError) {
  Cursor cur = conn().cursor();
  cur.close();
  EXPECT_TRUE(cur.closed());
  EXPECT_EQ(error_of([&] { cur.execute("SELECT 1"); }), "the cursor is closed");
  EXPECT_THROW(cur.fetchone(), InterfaceError);
}

TEST_F(CursorTest, ScrollMovesWithinTheResult) {
  Cursor cur = conn().execute("SELECT g FROM generate_series(0, 9) g");
  cur.scroll(3);
  EXPECT_EQ(cur.fetchone(scalar_row<int>), 3);
  cur.scroll(-2);
  EXPECT_EQ(cur.fetchone(scalar_row<int>), 2);
  cur.scroll(9, ScrollMode::kAbsolute);
  EXPECT_EQ(cur.rownumber(), 9);
  EXPECT_THROW(cur.scroll(2), std::out_of_range);
  EXPECT_EQ(cur.rownumber(), 9) << "a failed scroll leaves the position";
  EXPECT_THROW(cur.scroll(-1, ScrollMode::kAbsolute), std::out_of_range);
  cur.scroll(10, ScrollMode::kAbsolute);  // the end is a valid position
  EXPECT_EQ(cur.fetchone(scalar_row<int>), std::nullopt);
}

TEST_F(CursorTest, DescriptionShowsTypesWithModifiers) {
  Cursor cur = conn().execute(
      "SELECT 1::int4 AS a, 1.5::numeric(10,2) AS b, 'x'::varchar(5) AS c, "
      "'{1}'::int4[] AS d, now()::timestamptz(3) AS e, 'y'::text AS f");
  const auto& desc = cur.description();
  ASSERT_TRUE(desc.has_value());
  ASSERT_EQ(desc->size(), 6u);
  EXPECT_EQ((*desc)[0].name, "a");
  EXPECT_EQ((*desc)[0].type_code, 23u);
  EXPECT_EQ((*desc)[0].internal_size, 4);
  EXPECT_EQ((*desc)[1].type_display, "numeric(10,2)");
  EXPECT_EQ((*desc)[1].precision, 10);
  EXPECT_EQ((*desc)[1].scale, 2);
  EXPECT_EQ((*desc)[2].type_display, "varchar(5)");
  EXPECT_EQ((*desc)[2].display_size, 5);
  EXPECT_EQ((*desc)[3].type_display, "int4[]");
  EXPECT_EQ((*desc)[4].type_display, "timestamptz(3)");
  EXPECT_EQ((*desc)[5].type_display, "text");
  EXPECT_EQ((*desc)[5].internal_size, std::nullopt);
}

TEST_F(CursorTest, BinaryResultsLoadTheSameValues) {
  const char* sql = "SELECT 42::int8, 'text'::text, 1.25::float8, true, NULL::int4";
  using Row5 = std::tuple<int64_t, std::string, double, bool, std::optional<int>>;
  auto text = conn().execute(sql).fetchone(
      typed_row<int64_t, std::string, double, bool, std::optional<int>>);
  Cursor binary = conn().cursor({.binary = true});
  binary.execute(sql);
  EXPECT_EQ(PQfformat(binary.pgresult(), 0), 1);
  auto bin = binary.fetchone(typed_row<int64_t, std::string, double, bool, std::optional<int>>);
  EXPECT_EQ(text, bin);
  EXPECT_EQ(bin, Row5(42, "text", 1.25, true, std::nullopt));
}

TEST_F(CursorTest, ReadingAColumnAsTheWrongTypeNamesTheColumn) {
  Cursor cur = conn().execute("SELECT 'abc'::text AS label");
  std::string message = error_of([&] { cur.fetchone(typed_row<int64_t>); });
  EXPECT_THAT(message, HasSubstr("label"));
  EXPECT_THAT(message, HasSubstr("int64"));
}

TEST_F(CursorTest, ExecutemanySumsTheAffectedRows) {
  conn().execute("CREATE TEMP TABLE many (id int, name text)");
  std::vector<std::tuple<int, std::string>> rows = {{1, "a"}, {2, "b"}, {3, "c"}};
  Cursor cur = conn().cursor();
  cur.executemany("INSERT INTO many VALUES (%s, %s)", rows);
  EXPECT_EQ(cur.rowcount(), 3);
  EXPECT_EQ(conn()
                .execute("SELECT string_agg(name, '' ORDER BY id) FROM many")
                .fetchone(scalar_row<std::string>),
            "abc");
}

TEST_F(CursorTest, FirstQueryOpensATransactionWhenNotAutocommit) {
  Connection tx_conn = Connection::connect(dsn());
  tx_conn.execute("SELECT 1");
  EXPECT_EQ(tx_conn.transaction_status(), TransactionStatus::kInTrans);
  tx_conn.commit();
  EXPECT_EQ(tx_conn.transaction_status(), TransactionStatus::kIdle);
}

TEST_F(CursorTest, ServerErrorsRaiseByClassAndTheConnectionRecovers) {
  Connection tx_conn = Connection::connect(dsn());
  EXPECT_THROW(tx_conn.execute("SELECT 1/%s", 0), errors::DivisionByZero);
  EXPECT_THROW(tx_conn.execute("SELECT 1"), errors::InFailedSqlTransaction);
  tx_conn.rollback();
  EXPECT_EQ(tx_conn.execute("SELECT 1").fetchone(scalar_row<int>), 1);
}

TEST_F(CursorTest, CopyThroughExecuteIsRefused) {
  EXPECT_EQ(error_of([&] { conn().execute("COPY (SELECT 1) TO STDOUT"); }),
            "COPY cannot be used with this method; use copy() instead");
}

TEST_F(CursorTest, ComposedQueries) {
  auto q =
      sql::SQL("SELECT {} FROM (SELECT 5 AS {}) t WHERE {} = %s")
          .format(sql::Identifier("my col"), sql::Identifier("my col"), sql::Identifier("my col"));
  EXPECT_EQ(conn().execute(q, 5).fetchone(scalar_row<int>), 5);
}

}  // namespace
}  // namespace pgcpp
