#include "pgcpp/core/server_cursor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
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
using ::testing::IsEmpty;

class ServerCursorTest : public pgcpp::testing::DatabaseTest {
 protected:
  void SetUp() override {
    conn_.emplace(Connection::connect(dsn()));  // not in autocommit: cursors need a transaction
    conn_->base().set_command_observer(
        [this](std::string_view command) { commands_.emplace_back(command); });
  }
  Connection& conn() { return *conn_; }

  // The session's cursors as pg_cursors shows them: (name, statement, scrollable, holdable).
  std::vector<std::tuple<std::string, std::string, bool, bool>> cursors() {
    return conn()
        .execute(
            "SELECT name, statement, is_scrollable, is_holdable FROM pg_catalog.pg_cursors "
            "ORDER BY name")
        .fetchall(typed_row<std::string, std::string, bool, bool>);
  }
  // The commands seen by the observer that start with `prefix`.
  std::vector<std::string> commands_starting(std::string_view prefix) const {
    std::vector<std::string> out;
    for (const std::string& c : commands_) {
      if (c.starts_with(prefix)) out.push_back(c);
    }
    return out;
  }

  std::optional<Connection> conn_;
  std::vector<std::string> commands_;
};

TEST_F(ServerCursorTest, ExecuteDeclaresTheCursorWithServerSideParameters) {
  ServerCursor cur = conn().server_cursor("c1");
  cur.execute("SELECT g FROM generate_series(1, %s) g", 5);
  EXPECT_THAT(cursors(),
              ElementsAre(std::make_tuple(
                  "c1", "DECLARE \"c1\" CURSOR FOR SELECT g FROM generate_series(1, $1) g",
                  /*scrollable: the server's choice for this plan*/ true, false)));
  EXPECT_THAT(commands_starting("BEGIN"), ElementsAre("BEGIN"));
  EXPECT_EQ(cur.rownumber(), 0);
  EXPECT_EQ(cur.rowcount(), -1);
  ASSERT_TRUE(cur.description().has_value());
  ASSERT_EQ(cur.description()->size(), 1u);
  EXPECT_EQ((*cur.description())[0].name, "g");
  EXPECT_THAT(cur.fetchall(scalar_row<int>), ElementsAre(1, 2, 3, 4, 5));
  EXPECT_EQ(cur.rownumber(), 5);
}

TEST_F(ServerCursorTest, ScrollAndHoldOptionsAreSpelledInTheDeclare) {
  ServerCursor scroll = conn().server_cursor("s", {.scrollable = true});
  scroll.execute("SELECT 1");
  ServerCursor no_scroll = conn().server_cursor("n", {.scrollable = false});
  no_scroll.execute("SELECT 1");
  ServerCursor hold = conn().server_cursor("Held Cursor", {.withhold = true});
  hold.execute("SELECT 1");
  EXPECT_THAT(
      cursors(),
      ElementsAre(
          std::make_tuple("Held Cursor", "DECLARE \"Held Cursor\" CURSOR WITH HOLD FOR SELECT 1",
                          false, true),
          std::make_tuple("n", "DECLARE \"n\" NO SCROLL CURSOR FOR SELECT 1", false, false),
          std::make_tuple("s", "DECLARE \"s\" SCROLL CURSOR FOR SELECT 1", true, false)));
}

TEST_F(ServerCursorTest, QueryWithoutParametersIsSentVerbatim) {
  ServerCursor cur = conn().server_cursor("verbatim");
  cur.execute("SELECT '100%'");
  EXPECT_EQ(cur.fetchone(scalar_row<std::string>), "100%");
}

TEST_F(ServerCursorTest, OnlyOneStatementIsAccepted) {
  ServerCursor cur = conn().server_cursor("two");
  EXPECT_THROW(cur.execute("SELECT 1; SELECT 2"), errors::SyntaxError);
}

// Iterating over `rows` rows with itersize 10: the values seen and the FETCHes sent.
class PagingTest : public ServerCursorTest, public ::testing::WithParamInterface<int> {};

TEST_P(PagingTest, IterationFetchesPagesUntilOneIsNotFull) {
  const int rows = GetParam();
  ServerCursor cur = conn().server_cursor("pages");
  cur.itersize = 10;
  cur.execute("SELECT g FROM generate_series(1, %s) g", rows);
  std::vector<int> seen;
  for (auto [g] : cur.rows<int>()) seen.push_back(g);
  std::vector<int> expected;
  for (int i = 1; i <= rows; ++i) expected.push_back(i);
  EXPECT_EQ(seen, expected);
  // A full page asks for the next one; a short one ends the iteration.
  const size_t fetches = static_cast<size_t>(rows / 10 + 1);
  EXPECT_EQ(commands_starting("FETCH"),
            std::vector<std::string>(fetches, "FETCH FORWARD 10 FROM \"pages\""));
  EXPECT_EQ(cur.rownumber(), rows);
}

TEST_P(PagingTest, ZeroCopyIterationPagesTheSameWay) {
  const int rows = GetParam();
  ServerCursor cur = conn().server_cursor("views");
  cur.itersize = 10;
  cur.execute("SELECT g, repeat('x', g) FROM generate_series(1, %s) g", rows);
  int64_t sum = 0;
  size_t chars = 0;
  int count = 0;
  for (const Row& row : cur) {
    sum += row.get<int64_t>(0);
    chars += row.get<std::string_view>(1).size();
    ++count;
  }
  EXPECT_EQ(count, rows);
  EXPECT_EQ(sum, int64_t{rows} * (rows + 1) / 2);
  EXPECT_EQ(chars, static_cast<size_t>(sum));
  EXPECT_EQ(commands_starting("FETCH").size(), static_cast<size_t>(rows / 10 + 1));
}

INSTANTIATE_TEST_SUITE_P(Boundaries, PagingTest, ::testing::Values(0, 1, 9, 10, 11, 20, 25));

TEST_F(ServerCursorTest, FetchManyAndFetchOneSendOneFetchEach) {
  ServerCursor cur = conn().server_cursor("f");
  cur.execute("SELECT g, 'n' || g AS name FROM generate_series(1, 7) g");
  EXPECT_EQ(cur.fetchone(typed_row<int, std::string>), std::make_tuple(1, std::string("n1")));
  auto two = cur.fetchmany(2, dict_row);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].at("name").as<std::string>(), "n2");
  EXPECT_EQ(two[1].at("g").as<int32_t>(), 3);
  cur.arraysize = 3;
  EXPECT_EQ(cur.fetchmany(0, scalar_row<int>), std::vector<int>({4, 5, 6}));
  EXPECT_EQ(cur.rownumber(), 6);
  EXPECT_EQ(cur.fetchall(scalar_row<int>), std::vector<int>({7}));
  EXPECT_EQ(cur.fetchone(scalar_row<int>), std::nullopt);
  EXPECT_THAT(cur.fetchall(), IsEmpty());
  EXPECT_THAT(commands_starting("FETCH"),
              ElementsAre("FETCH FORWARD 1 FROM \"f\"", "FETCH FORWARD 2 FROM \"f\"",
                          "FETCH FORWARD 3 FROM \"f\"", "FETCH FORWARD ALL FROM \"f\"",
                          "FETCH FORWARD 1 FROM \"f\"", "FETCH FORWARD ALL FROM \"f\""));
}

struct Point {
  int x;
  std::string label;
};

TEST_F(ServerCursorTest, RowFactoriesAndBinaryResults) {
  ServerCursor cur = conn().server_cursor("bin", {.binary = true});
  cur.execute("SELECT g, 'p' || g FROM generate_series(1, 3) g");
  std::vector<Point> points = cur.fetchall(class_row<Point>);
  ASSERT_EQ(points.size(), 3u);
  EXPECT_EQ(points[2].x, 3);
  EXPECT_EQ(points[2].label, "p3");
  ASSERT_TRUE(cur.description().has_value());
}

TEST_F(ServerCursorTest, WithHoldSurvivesCommit) {
  ServerCursor cur = conn().server_cursor("held", {.withhold = true});
  cur.execute("SELECT g FROM generate_series(1, 5) g");
  EXPECT_EQ(cur.fetchone(scalar_row<int>), 1);
  conn().commit();
  EXPECT_EQ(conn().transaction_status(), TransactionStatus::kIdle);
  EXPECT_EQ(cur.fetchall(scalar_row<int>), std::vector<int>({2, 3, 4, 5}));
  cur.close();
  EXPECT_THAT(commands_starting("CLOSE"), ElementsAre("CLOSE \"held\""));
  EXPECT_THAT(cursors(), IsEmpty());
}

TEST_F(ServerCursorTest, WithoutHoldTheCursorEndsWithTheTransaction) {
  ServerCursor cur = conn().server_cursor("gone");
  cur.execute("SELECT 1");
  conn().commit();
  EXPECT_THROW(cur.fetchone(), errors::InvalidCursorName);
  conn().rollback();
  cur.close();  // the transaction is gone: nothing to close, nothing sent
  EXPECT_THAT(commands_starting("CLOSE"), IsEmpty());
}

TEST_F(ServerCursorTest, AutocommitNeedsWithHold) {
  conn().set_autocommit(true);
  ServerCursor plain = conn().server_cursor("plain");
  EXPECT_THROW(plain.execute("SELECT 1"), errors::NoActiveSqlTransaction);
  ServerCursor held = conn().server_cursor("held", {.withhold = true});
  held.execute("SELECT g FROM generate_series(1, 3) g");
  EXPECT_EQ(held.fetchall(scalar_row<int>), std::vector<int>({1, 2, 3}));
  held.close();
  EXPECT_THAT(cursors(), IsEmpty());
}

TEST_F(ServerCursorTest, ScrollMovesAScrollableCursorBothWays) {
  ServerCursor cur = conn().server_cursor("sc", {.scrollable = true});
  cur.execute("SELECT g FROM generate_series(1, 10) g");
  cur.scroll(5, ScrollMode::kAbsolute);
  EXPECT_EQ(cur.rownumber(), 5);
  EXPECT_EQ(cur.fetchone(scalar_row<int>), 6);
  cur.scroll(-3);
  EXPECT_EQ(cur.rownumber(), 3);
  EXPECT_EQ(cur.fetchone(scalar_row<int>), 4);
  cur.scroll(2);
  EXPECT_EQ(cur.fetchone(scalar_row<int>), 7);
  EXPECT_THAT(commands_starting("MOVE"), ElementsAre("MOVE ABSOLUTE 5 FROM \"sc\"",
                                                     "MOVE -3 FROM \"sc\"", "MOVE 2 FROM \"sc\""));
}

TEST_F(ServerCursorTest, ScrollingBackOnANoScrollCursorIsRefusedByTheServer) {
  ServerCursor cur = conn().server_cursor("ns", {.scrollable = false});
  cur.execute("SELECT g FROM generate_series(1, 10) g");
  cur.scroll(3);  // forward is fine
  EXPECT_EQ(cur.fetchone(scalar_row<int>), 4);
  try {
    cur.scroll(-2);
    FAIL() << "no error";
  } catch (const errors::ObjectNotInPrerequisiteState& e) {
    EXPECT_THAT(e.what(), HasSubstr("can only scan forward"));
  }
}

TEST_F(ServerCursorTest, ConsumesARefcursorByName) {
  conn().execute(
      "CREATE FUNCTION make_refcursor() RETURNS refcursor LANGUAGE plpgsql AS $$ "
      "DECLARE c refcursor := 'from_function'; "
      "BEGIN OPEN c FOR SELECT g, g * 2 FROM generate_series(1, 4) g; RETURN c; END $$");
  conn().commit();
  std::string name =
      conn().execute("SELECT make_refcursor()").fetchone(scalar_row<std::string>).value();
  ASSERT_EQ(name, "from_function");
  ServerCursor cur = conn().server_cursor(name);
  EXPECT_EQ(cur.rownumber(), std::nullopt);
  EXPECT_EQ(cur.fetchone(typed_row<int, int>), std::make_tuple(1, 2));
  ASSERT_TRUE(cur.description().has_value());
  EXPECT_EQ(cur.description()->size(), 2u);
  EXPECT_EQ(cur.fetchall(typed_row<int, int>),
            (std::vector<std::tuple<int, int>>{{2, 4}, {3, 6}, {4, 8}}));
  cur.close();
  // Not declared by this object: its existence is checked before CLOSE.
  EXPECT_THAT(commands_starting("SELECT 1 FROM pg_catalog.pg_cursors"), ::testing::SizeIs(1));
  EXPECT_THAT(commands_starting("CLOSE"), ElementsAre("CLOSE \"from_function\""));
  EXPECT_THAT(cursors(), IsEmpty());
}

TEST_F(ServerCursorTest, ATemporaryCursorLivesAsLongAsItsRows) {
  conn().execute("DECLARE portal CURSOR FOR SELECT generate_series(1, 250)");
  int64_t sum = 0;
  for (auto [g] : conn().server_cursor("portal").rows<int64_t>()) sum += g;
  EXPECT_EQ(sum, 250 * 251 / 2);
  EXPECT_EQ(commands_starting("FETCH").size(), 3u);
  EXPECT_THAT(commands_starting("CLOSE"), ElementsAre("CLOSE \"portal\""));  // closed at the end
  EXPECT_THAT(cursors(), IsEmpty());
}

TEST_F(ServerCursorTest, AMissingPortalRaisesInvalidCursorName) {
  conn().execute("SELECT 1");
  ServerCursor cur = conn().server_cursor("nowhere");
  EXPECT_THROW(cur.fetchone(), errors::InvalidCursorName);
}

TEST_F(ServerCursorTest, CloseIsIdempotentAndTheCursorRefusesMoreWork) {
  ServerCursor cur = conn().server_cursor("twice");
  cur.execute("SELECT 1");
  cur.close();
  cur.close();
  EXPECT_TRUE(cur.closed());
  EXPECT_THAT(commands_starting("CLOSE"), ElementsAre("CLOSE \"twice\""));
  EXPECT_THAT(cursors(), IsEmpty());
  EXPECT_THROW(cur.fetchone(), InterfaceError);
  EXPECT_THROW(cur.execute("SELECT 1"), InterfaceError);
}

TEST_F(ServerCursorTest, TheDestructorCloses) {
  {
    ServerCursor cur = conn().server_cursor("scoped");
    cur.execute("SELECT 1");
    ServerCursor moved = std::move(cur);  // the moved-from one closes nothing
  }
  EXPECT_THAT(commands_starting("CLOSE"), ElementsAre("CLOSE \"scoped\""));
  EXPECT_THAT(cursors(), IsEmpty());
}

TEST_F(ServerCursorTest, ExecutingAgainClosesThePreviousPortal) {
  ServerCursor cur = conn().server_cursor("again");
  cur.execute("SELECT 1");
  EXPECT_EQ(cur.fetchone(scalar_row<int>), 1);
  cur.execute("SELECT 2");
  EXPECT_EQ(cur.rownumber(), 0);
  EXPECT_EQ(cur.fetchone(scalar_row<int>), 2);
  EXPECT_THAT(commands_starting("CLOSE"), ElementsAre("CLOSE \"again\""));
}

TEST_F(ServerCursorTest, ANoCloseInAFailedTransaction) {
  ServerCursor cur = conn().server_cursor("failed");
  cur.execute("SELECT 1");
  EXPECT_THROW(conn().execute("SELECT 1/0"), errors::DivisionByZero);
  cur.close();
  EXPECT_THAT(commands_starting("CLOSE"), IsEmpty());
  conn().rollback();
  EXPECT_EQ(conn().execute("SELECT 3").fetchone(scalar_row<int>), 3);
}

TEST_F(ServerCursorTest, RefusedInPipelineMode) {
  ServerCursor cur = conn().server_cursor("piped");
  {
    Pipeline pipeline = conn().pipeline();
    try {
      cur.execute("SELECT 1");
      FAIL() << "no error";
    } catch (const NotSupportedError& e) {
      EXPECT_STREQ(e.what(), "server-side cursors cannot be used in pipeline mode");
    }
    EXPECT_THROW(cur.fetchone(), NotSupportedError);
  }
}

}  // namespace
}  // namespace pgcpp
