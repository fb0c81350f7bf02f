// Row and cursor factories chosen at the connection and cursor level
// (psycopg's connect(row_factory=..., cursor_factory=...) and cursor(row_factory=...)).
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "pgcpp/core/connection.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/testing/database.h"

namespace pgcpp {
namespace {

struct Pair {
  int64_t id;
  std::string name;
};

class RowFactoryTest : public pgcpp::testing::DatabaseTest {};

TEST_F(RowFactoryTest, ConnectionRowFactoryIsTheDefaultOfItsCursors) {
  auto conn = Connection::connect(dsn(), {.autocommit = true}, dict_row);
  std::optional<DictRow> row = conn.execute("SELECT 1 AS x, 'a' AS y").fetchone();
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->at("x").get<int32_t>(), 1);
  EXPECT_EQ(row->at("y").get<std::string>(), "a");

  auto cur = conn.cursor();
  static_assert(std::is_same_v<decltype(cur), TypedCursor<DictRowFactory>>);
  std::vector<DictRow> all = cur.execute("SELECT generate_series(1, 3) AS n").fetchall();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2].at("n").get<int32_t>(), 3);
}

TEST_F(RowFactoryTest, AFactoryPassedToACallStillWins) {
  auto conn = Connection::connect(dsn(), {.autocommit = true}, dict_row);
  auto rows = conn.execute("SELECT 7, 'x'").fetchall(typed_row<int, std::string>);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], std::make_tuple(7, std::string("x")));
}

TEST_F(RowFactoryTest, CursorRowFactoryMakesUserStructs) {
  auto conn = Connection::connect(dsn(), {.autocommit = true});
  auto cur = conn.cursor(class_row<Pair>);
  std::vector<std::string> names;
  for (Pair p :
       cur.execute("SELECT 1::int8 AS id, 'ann' AS name UNION ALL SELECT 2, 'bob'").rows()) {
    names.push_back(std::to_string(p.id) + p.name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"1ann", "2bob"}));
  // fetchmany honours the size with the cursor's factory.
  cur.execute("SELECT generate_series(1, 5)::int8 AS id, 'n' AS name");
  EXPECT_EQ(cur.fetchmany(2).size(), 2u);
  EXPECT_EQ(cur.fetchall().size(), 3u);
}

TEST_F(RowFactoryTest, WithRowFactoryKeepsTheConnection) {
  auto plain = Connection::connect(dsn());
  const int pid = plain.info().backend_pid();
  auto conn = with_row_factory(std::move(plain), scalar_row<int32_t>);
  EXPECT_EQ(conn.execute("SELECT pg_backend_pid()").fetchone(), pid);
  // Still a Connection: transactions and the rest work as before.
  conn.rollback();
  EXPECT_EQ(conn.transaction_status(), TransactionStatus::kIdle);
}

TEST_F(RowFactoryTest, RowsOnATemporaryTypedCursorOwnIt) {
  auto conn = Connection::connect(dsn(), {.autocommit = true}, scalar_row<int32_t>);
  int total = 0;
  for (int n : conn.execute("SELECT generate_series(1, 4)").rows()) total += n;
  EXPECT_EQ(total, 10);
}

TEST_F(RowFactoryTest, RawCursorFactoryMakesDollarPlaceholderCursors) {
  auto conn =
      Connection::connect(dsn(), {.autocommit = true, .cursor_factory = CursorFactory::kRawCursor});
  EXPECT_EQ(conn.cursor_factory(), CursorFactory::kRawCursor);
  EXPECT_EQ(conn.execute("SELECT $1::int + $1::int", 20).fetchone(scalar_row<int>), 40);
  // %s means nothing to a raw cursor: the server sees it as written.
  EXPECT_THROW(conn.execute("SELECT %s::int", 1), errors::SyntaxError);

  conn.set_cursor_factory(CursorFactory::kCursor);
  EXPECT_EQ(conn.execute("SELECT %s::int + 1", 1).fetchone(scalar_row<int>), 2);
}

}  // namespace
}  // namespace pgcpp
