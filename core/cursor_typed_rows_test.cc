// Typed row iteration through the row makers' per-column readers (adapt's FieldReaders):
// the same values and errors as Row::get, in both result formats, also when the cursor's
// result changes under an iteration.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "pgcpp/adapt/datetime.h"
#include "pgcpp/adapt/numeric.h"
#include "pgcpp/core/connection.h"
#include "pgcpp/core/cursor.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/testing/database.h"

namespace pgcpp {
namespace {

class CursorTypedRowsTest : public pgcpp::testing::DatabaseTest {
 protected:
  void SetUp() override { conn_.emplace(Connection::connect(dsn(), {.autocommit = true})); }
  Connection& conn() { return *conn_; }
  std::optional<Connection> conn_;
};

struct Row7 {
  int32_t id;
  int64_t big;
  double f;
  std::string t;
  TimestampTz ts;
  Numeric n;
  bool b;
};

constexpr const char* kQuery =
    "SELECT i::int4, i::int8 * 1000003, i * 0.25::float8, 'row ' || i,"
    " timestamptz '2020-01-01 00:00:00+00' + i * interval '1.5 s', (i * 1.25)::numeric(12,2),"
    " i % 2 = 0 FROM generate_series(1, 3) AS i";

TEST_F(CursorTypedRowsTest, SameValuesInBothFormats) {
  for (bool binary : {false, true}) {
    SCOPED_TRACE(binary ? "binary" : "text");
    Cursor cur = conn().cursor();
    cur.execute(ExecuteOptions{.binary = binary}, kQuery);
    int32_t i = 0;
    for (const auto& [id, big, f, t, ts, n, b] :
         cur.rows<int32_t, int64_t, double, std::string, TimestampTz, Numeric, bool>()) {
      ++i;
      EXPECT_EQ(id, i);
      EXPECT_EQ(big, int64_t{i} * 1000003);
      EXPECT_EQ(f, i * 0.25);
      EXPECT_EQ(t, "row " + std::to_string(i));
      EXPECT_EQ(ts.micros(), 631152000000000 + i * 1500000);
      EXPECT_TRUE(
          n.identical(Numeric(std::to_string(i * 125 / 100) + "." +
                              std::to_string(i * 125 % 100 / 10) + std::to_string(i * 125 % 10))))
          << n.to_string();
      EXPECT_EQ(b, i % 2 == 0);
    }
    EXPECT_EQ(i, 3);
    cur.execute(ExecuteOptions{.binary = binary}, kQuery);
    const std::vector<Row7> all = cur.fetchall(class_row<Row7>);
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[2].t, "row 3");
    EXPECT_EQ(all[2].n.to_string(), "3.75");
    cur.execute(ExecuteOptions{.binary = binary}, kQuery);
    EXPECT_EQ(cur.fetchone(scalar_row<int64_t>), 1);
  }
}

TEST_F(CursorTypedRowsTest, SameErrorsAsRowGet) {
  for (bool binary : {false, true}) {
    SCOPED_TRACE(binary ? "binary" : "text");
    Cursor cur = conn().cursor();
    cur.execute(ExecuteOptions{.binary = binary}, "SELECT 1::int4 AS a, NULL::text AS b");
    std::string expected;
    for (const Row& row : cur) {
      try {
        row.get<std::string>(1);
      } catch (const DataError& e) {
        expected = e.what();
      }
    }
    EXPECT_NE(expected.find("column 'b' (index 1) is NULL"), std::string::npos) << expected;
    cur.scroll(0, ScrollMode::kAbsolute);
    try {
      cur.fetchone(typed_row<int32_t, std::string>);
      ADD_FAILURE() << "no error";
    } catch (const DataError& e) {
      EXPECT_EQ(e.what(), expected);
    }
    cur.execute(ExecuteOptions{.binary = binary}, "SELECT 40000::int4");
    EXPECT_THROW(cur.fetchone(scalar_row<int16_t>), DataError);
    cur.execute(ExecuteOptions{.binary = binary}, "SELECT 'x'::text");
    EXPECT_THROW(cur.fetchone(scalar_row<int32_t>), std::exception);
  }
}

TEST_F(CursorTypedRowsTest, FollowsTheResultUnderAnIteration) {
  // rows() made for the first result keeps working after nextset() changes the columns'
  // types under it: the later rows are read for what they are.
  Cursor cur = conn().cursor();
  cur.execute(
      "SELECT * FROM (VALUES (1::int4, 'a'::text), (10, 'aa')) AS v;"
      " SELECT * FROM (VALUES (2::int8, 'b'::varchar), (20, 'bb')) AS v;"
      " SELECT * FROM (VALUES (3::int2, 'c'), (30, 'cc')) AS v");
  std::vector<std::tuple<int64_t, std::string>> seen;
  for (auto [n, s] : cur.rows<int64_t, std::string>()) {
    seen.emplace_back(n, s);
    if (!cur.nextset()) break;  // the next step reads the next result's second row
  }
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], std::make_tuple(int64_t{1}, std::string("a")));
  EXPECT_EQ(seen[1], std::make_tuple(int64_t{20}, std::string("bb")));
  EXPECT_EQ(seen[2], std::make_tuple(int64_t{30}, std::string("cc")));
}

// int8 text -> its value plus 1000.
class PlusThousand : public TypedLoader<int64_t> {
 public:
  PlusThousand() : TypedLoader(Format::kText) {}
  int64_t load_value(std::string_view data) const override {
    return std::stoll(std::string(data)) + 1000;
  }
};

TEST_F(CursorTypedRowsTest, FollowsALoaderRegisteredUnderAnIteration) {
  // A loader registered mid-iteration applies from the next row on (the readers chosen
  // for the first rows do not outlive the description they were chosen for).
  Cursor cur = conn().cursor();
  cur.execute("SELECT i::int8 FROM generate_series(1, 3) AS i");
  std::vector<int64_t> seen;
  for (auto [n] : cur.rows<int64_t>()) {
    seen.push_back(n);
    if (seen.size() == 1) {
      cur.adapters().register_loader(oids::kInt8, std::make_shared<PlusThousand>());
    }
  }
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 1002, 1003}));
}

}  // namespace
}  // namespace pgcpp
