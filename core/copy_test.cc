// COPY FROM STDIN / TO STDOUT against a real server: both formats, every common type,
// large volumes, errors from the user's code, from the server and from the network.
#include "pgcpp/core/copy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cctype>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
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

// Values whose text form needs every kind of escaping.
const std::vector<std::string> kTricky = {"tab\there",
                                          "new\nline",
                                          "carriage\rreturn",
                                          "back\\slash",
                                          "\\N",
                                          "quotes ' and \"",
                                          "ünïcødé ✓ 😀",
                                          "\b\f\v",
                                          "",
                                          "trailing backslash\\",
                                          "comma, semicolon;",
                                          "a\\tb (not a tab)"};

class CopyTest : public pgcpp::testing::DatabaseTest {
 protected:
  void SetUp() override {
    conn_.emplace(Connection::connect(dsn(), {.autocommit = true}));
    table_ = "copy_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name());
    for (char& c : table_) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    conn().execute("DROP TABLE IF EXISTS " + table_);
  }
  Connection& conn() { return *conn_; }
  int64_t count() {
    return conn().execute("SELECT count(*) FROM " + table_).fetchone(scalar_row<int64_t>).value();
  }

  std::optional<Connection> conn_;
  std::string table_;
};

TEST_F(CopyTest, TextCopyInEscapesEverySpecialCharacter) {
  conn().execute("CREATE TABLE " + table_ + " (id int8, t text, f float8)");
  Cursor cur = conn().cursor();
  {
    Copy copy = cur.copy("COPY " + table_ + " FROM STDIN");
    EXPECT_FALSE(copy.binary());
    for (size_t i = 0; i < kTricky.size(); ++i) copy.write_row(int64_t(i), kTricky[i], 0.5 * i);
    copy.write_row(int64_t{100}, std::nullopt, std::optional<double>());
  }
  EXPECT_EQ(cur.rowcount(), static_cast<int64_t>(kTricky.size() + 1));
  EXPECT_EQ(cur.statusmessage(), "COPY " + std::to_string(kTricky.size() + 1));
  auto rows = conn()
                  .execute("SELECT id, t, f FROM " + table_ + " ORDER BY id")
                  .fetchall(typed_row<int64_t, std::optional<std::string>, std::optional<double>>);
  ASSERT_EQ(rows.size(), kTricky.size() + 1);
  for (size_t i = 0; i < kTricky.size(); ++i) {
    EXPECT_EQ(std::get<1>(rows[i]), kTricky[i]) << "row " << i;
    EXPECT_EQ(std::get<2>(rows[i]), 0.5 * i);
  }
  EXPECT_EQ(std::get<1>(rows.back()), std::nullopt);
  EXPECT_EQ(std::get<2>(rows.back()), std::nullopt);
}

TEST_F(CopyTest, TextCopyOutUnescapesEverySpecialCharacter) {
  conn().execute("CREATE TABLE " + table_ + " (id int4, t text)");
  for (size_t i = 0; i < kTricky.size(); ++i) {
    conn().execute("INSERT INTO " + table_ + " VALUES (%s, %s)", static_cast<int>(i), kTricky[i]);
  }
  conn().execute("INSERT INTO " + table_ + " VALUES (100, NULL)");
  Cursor cur = conn().cursor();
  std::vector<std::optional<std::string>> got;
  {
    Copy copy = cur.copy("COPY (SELECT id, t FROM " + table_ + " ORDER BY id) TO STDOUT");
    for (auto [id, t] : copy.rows<int, std::optional<std::string>>()) {
      EXPECT_EQ(id, static_cast<int>(got.size() < kTricky.size() ? got.size() : 100));
      got.push_back(t);
    }
  }
  ASSERT_EQ(got.size(), kTricky.size() + 1);
  for (size_t i = 0; i < kTricky.size(); ++i) EXPECT_EQ(got[i], kTricky[i]) << "row " << i;
  EXPECT_EQ(got.back(), std::nullopt);
  EXPECT_EQ(cur.rowcount(), static_cast<int64_t>(kTricky.size() + 1));
  EXPECT_EQ(cur.statusmessage(), "COPY " + std::to_string(kTricky.size() + 1));
}

TEST_F(CopyTest, UntypedReadRowGivesStringsInTextAndBytesInBinary) {
  Cursor cur = conn().cursor();
  {
    Copy copy = cur.copy("COPY (VALUES (1, 'a\tb', NULL)) TO STDOUT");
    std::optional<std::vector<Value>> row = copy.read_row();
    ASSERT_TRUE(row);
    EXPECT_THAT(*row, ElementsAre(Value("1"), Value("a\tb"), Value()));
    EXPECT_FALSE(copy.read_row());
  }
  {
    Copy copy = cur.copy("COPY (VALUES (1::int4, 'ab'::text)) TO STDOUT (FORMAT BINARY)");
    EXPECT_TRUE(copy.binary());
    std::optional<std::vector<Value>> row = copy.read_row();
    ASSERT_TRUE(row);
    EXPECT_THAT(*row, ElementsAre(Value(Bytes(std::string("\0\0\0\1", 4))), Value(Bytes("ab"))));
    EXPECT_FALSE(copy.read_row());
  }
  {
    Copy copy = cur.copy("COPY (VALUES (1::int4, 'ab'::text)) TO STDOUT (FORMAT BINARY)");
    copy.set_types({"int4", oids::kText});
    EXPECT_THAT(*copy.read_row(), ElementsAre(Value(int32_t{1}), Value("ab")));
  }
}

TEST_F(CopyTest, RawWriteAndRead) {
  conn().execute("CREATE TABLE " + table_ + " (id int4, t text)");
  Cursor cur = conn().cursor();
  {
    Copy copy = cur.copy("COPY " + table_ + " FROM STDIN");
    copy.write("1\tone\n2\t");  // blocks need not align with rows
    copy.write("two\n3\t\\N\n");
  }
  EXPECT_EQ(cur.rowcount(), 3);
  Copy copy = cur.copy("COPY (SELECT * FROM " + table_ + " ORDER BY id) TO STDOUT");
  std::string all;
  for (std::string_view block; !(block = copy.read()).empty();) all.append(block);
  EXPECT_EQ(all, "1\tone\n2\ttwo\n3\t\\N\n");
  EXPECT_TRUE(copy.read().empty());
  EXPECT_EQ(cur.statusmessage(), "COPY 3");
}

struct AllTypes {
  bool b;
  int16_t i2;
  int32_t i4;
  int64_t i8;
  float f4;
  double f8;
  Numeric num;
  std::string text;
  Bytes bytes;
  Date date;
  Timestamp ts;
  TimestampTz tstz;
  Interval interval;
  Uuid uuid;
  Jsonb jsonb;
  std::vector<int32_t> ints;
  std::optional<std::string> maybe;
};

const char* const kAllTypesColumns =
    " (b bool, i2 int2, i4 int4, i8 int8, f4 float4, f8 float8, num numeric, t text, by bytea,"
    " d date, ts timestamp, tstz timestamptz, iv interval, u uuid, j jsonb, a int4[], m text)";

std::vector<AllTypes> all_types_rows() {
  std::vector<AllTypes> rows;
  for (int i = 0; i < 3; ++i) {
    rows.push_back(
        AllTypes{i % 2 == 0, static_cast<int16_t>(-i), 100000 * i, int64_t{1} << (40 + i), 1.5f * i,
                 -2.25 * i, Numeric("12345678901234567890.0123456789" + std::to_string(i)),
                 kTricky[static_cast<size_t>(i)], Bytes(std::string("\0\x01\xff\\", 4)),
                 Date::from_ymd(1999 + i, 12, 31), Timestamp::from_micros(123456789 * (i + 1)),
                 TimestampTz::from_micros(-987654321 * (i + 1)),
                 Interval::from_duration(std::chrono::microseconds(3600000000LL * i)),
                 Uuid::parse("f47ac10b-58cc-4372-a567-0e02b2c3d47" + std::to_string(i)),
                 Jsonb{"{\"a\": " + std::to_string(i) + "}"}, std::vector<int32_t>{i, i + 1},
                 i == 1 ? std::nullopt : std::optional<std::string>("m")});
  }
  return rows;
}

void expect_same(const AllTypes& a, const AllTypes& b, size_t row) {
  SCOPED_TRACE("row " + std::to_string(row));
  EXPECT_EQ(a.b, b.b);
  EXPECT_EQ(a.i2, b.i2);
  EXPECT_EQ(a.i4, b.i4);
  EXPECT_EQ(a.i8, b.i8);
  EXPECT_EQ(a.f4, b.f4);
  EXPECT_EQ(a.f8, b.f8);
  EXPECT_EQ(a.num, b.num);
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.bytes, b.bytes);
  EXPECT_EQ(a.date, b.date);
  EXPECT_EQ(a.ts, b.ts);
  EXPECT_EQ(a.tstz, b.tstz);
  EXPECT_EQ(a.interval, b.interval);
  EXPECT_EQ(a.uuid, b.uuid);
  EXPECT_EQ(a.jsonb, b.jsonb);
  EXPECT_EQ(a.ints, b.ints);
  EXPECT_EQ(a.maybe, b.maybe);
}

using AllTypesTuple = std::tuple<bool, int16_t, int32_t, int64_t, float, double, Numeric,
                                 std::string, Bytes, Date, Timestamp, TimestampTz, Interval, Uuid,
                                 Jsonb, std::vector<int32_t>, std::optional<std::string>>;

AllTypes from_tuple(const AllTypesTuple& t) { return std::make_from_tuple<AllTypes>(t); }

void write_all_types(Copy& copy, const AllTypes& r) {
  copy.write_row(r.b, r.i2, r.i4, r.i8, r.f4, r.f8, r.num, r.text, r.bytes, r.date, r.ts, r.tstz,
                 r.interval, r.uuid, r.jsonb, r.ints, r.maybe);
}

const std::initializer_list<CopyType> kAllTypes = {
    "bool", "int2",      "int4",        "int8",     "float4", "float8", "numeric", "text", "bytea",
    "date", "timestamp", "timestamptz", "interval", "uuid",   "jsonb",  "int4[]",  "text"};

TEST_F(CopyTest, EveryCommonTypeRoundTripsInBothFormats) {
  conn().execute("SET TimeZone TO 'UTC'");
  for (const char* format : {"text", "binary"}) {
    SCOPED_TRACE(format);
    conn().execute("DROP TABLE IF EXISTS " + table_);
    conn().execute(std::string("CREATE TABLE ") + table_ + kAllTypesColumns);
    const std::vector<AllTypes> rows = all_types_rows();
    Cursor cur = conn().cursor();
    const std::string options = std::string(" (FORMAT ") + format + ")";
    {
      Copy copy = cur.copy("COPY " + table_ + " FROM STDIN" + options);
      copy.set_types(kAllTypes);
      for (const AllTypes& r : rows) write_all_types(copy, r);
    }
    EXPECT_EQ(cur.rowcount(), 3);
    Copy copy = cur.copy("COPY " + table_ + " TO STDOUT" + options);
    copy.set_types(kAllTypes);
    size_t i = 0;
    while (auto row =
               copy.read_row<bool, int16_t, int32_t, int64_t, float, double, Numeric, std::string,
                             Bytes, Date, Timestamp, TimestampTz, Interval, Uuid, Jsonb,
                             std::vector<int32_t>, std::optional<std::string>>()) {
      ASSERT_LT(i, rows.size());
      expect_same(from_tuple(*row), rows[i], i);
      ++i;
    }
    EXPECT_EQ(i, rows.size());
  }
}

TEST_F(CopyTest, BinarySetTypesConvertsToTheColumnType) {
  conn().execute("CREATE TABLE " + table_ + " (a int8, b numeric, c float8, d text)");
  Cursor cur = conn().cursor();
  {
    Copy copy = cur.copy("COPY " + table_ + " FROM STDIN (FORMAT BINARY)");
    copy.set_types({oids::kInt8, "numeric", "float8", "text"});
    copy.write_row(1, 2, 3, "x");  // int4 values, a const char*
    const std::vector<Value> values = {Value(int16_t{4}), Value(5), Value(6.5), Value()};
    copy.write_row(values);
  }
  auto rows = conn()
                  .execute("SELECT a, b::text, c, d FROM " + table_ + " ORDER BY a")
                  .fetchall(typed_row<int64_t, std::string, double, std::optional<std::string>>);
  EXPECT_THAT(rows, ElementsAre(std::make_tuple(1, "2", 3.0, "x"),
                                std::make_tuple(4, "5", 6.5, std::nullopt)));
}

TEST_F(CopyTest, RowsMustHaveAsManyValuesAsSetTypesNamed) {
  conn().execute("CREATE TABLE " + table_ + " (a int8, b text)");
  Cursor cur = conn().cursor();
  for (const char* format : {"text", "binary"}) {
    SCOPED_TRACE(format);
    Copy copy = cur.copy("COPY " + table_ + " FROM STDIN (FORMAT " + std::string(format) + ")");
    copy.set_types({"int8", "text"});
    try {
      copy.write_row(1, "x", 2.5);
      ADD_FAILURE() << "no error";
    } catch (const ProgrammingError& e) {
      EXPECT_STREQ(e.what(), "write_row() got 3 values, but set_types() was given 2 types");
    }
    EXPECT_THROW(copy.write_row(std::vector<Value>{Value(1)}), ProgrammingError);
    copy.write_row(1, "ok");
  }
  EXPECT_EQ(conn().execute("SELECT count(*) FROM " + table_).fetchone(scalar_row<int64_t>), 2);
}

TEST_F(CopyTest, AnotherOperationFromTheCopyingThreadIsRefusedNotDeadlocked) {
  conn().execute("CREATE TABLE " + table_ + " (a int8)");
  Cursor cur = conn().cursor();
  {
    Copy copy = cur.copy("COPY " + table_ + " FROM STDIN");
    copy.write_row(1);
    try {
      conn().execute("SELECT 1");
      ADD_FAILURE() << "no error";
    } catch (const ProgrammingError& e) {
      EXPECT_THAT(e.what(), HasSubstr("this thread is already using the connection"));
    }
    copy.write_row(2);
  }
  EXPECT_EQ(conn().execute("SELECT count(*) FROM " + table_).fetchone(scalar_row<int64_t>), 2);
}

TEST_F(CopyTest, EmptyBinaryCopyIn) {
  conn().execute("CREATE TABLE " + table_ + " (a int8)");
  Cursor cur = conn().cursor();
  { Copy copy = cur.copy("COPY " + table_ + " FROM STDIN (FORMAT BINARY)"); }
  EXPECT_EQ(cur.rowcount(), 0);
  EXPECT_EQ(cur.statusmessage(), "COPY 0");
}

TEST_F(CopyTest, LargeVolumesCrossTheBlockSize) {
  conn().execute("CREATE TABLE " + table_ + " (id int8, t text, f float8)");
  constexpr int64_t kRows = 200000;
  for (const char* format : {"text", "binary"}) {
    SCOPED_TRACE(format);
    conn().execute("TRUNCATE " + table_);
    Cursor cur = conn().cursor();
    cur.copy("COPY " + table_ + " FROM STDIN (FORMAT " + std::string(format) + ")",
             [&](Copy& copy) {
               copy.set_types({"int8", "text", "float8"});
               for (int64_t i = 0; i < kRows; ++i) {
                 copy.write_row(i, "row number " + std::to_string(i), i * 0.25);
               }
             });
    EXPECT_EQ(cur.rowcount(), kRows);
    auto [n, sum, len] =
        *conn()
             .execute("SELECT count(*), sum(id)::int8, sum(length(t))::int8 FROM " + table_)
             .fetchone(typed_row<int64_t, int64_t, int64_t>);
    EXPECT_EQ(n, kRows);
    EXPECT_EQ(sum, kRows * (kRows - 1) / 2);
    int64_t read = 0, read_sum = 0;
    Copy copy = cur.copy("COPY " + table_ + " TO STDOUT (FORMAT " + std::string(format) + ")");
    copy.set_types({"int8", "text", "float8"});
    for (auto [id, t, f] : copy.rows<int64_t, std::string_view, double>()) {
      ++read;
      read_sum += id;
      EXPECT_EQ(f, id * 0.25);
      if (id == 12345) {
        EXPECT_EQ(t, "row number 12345");
      }
    }
    EXPECT_EQ(read, kRows);
    EXPECT_EQ(read_sum, sum);
    EXPECT_EQ(len > 0, true);
  }
}

TEST_F(CopyTest, UserExceptionInFunctionFormLoadsNothingAndPropagates) {
  conn().execute("CREATE TABLE " + table_ + " (id int8)");
  Cursor cur = conn().cursor();
  try {
    cur.copy("COPY " + table_ + " FROM STDIN", [&](Copy& copy) {
      for (int64_t i = 0; i < 100000; ++i) copy.write_row(i);  // some blocks are sent
      throw std::invalid_argument("the input ended early");
    });
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "the input ended early");
  }
  EXPECT_EQ(count(), 0);
  EXPECT_EQ(conn().transaction_status(), TransactionStatus::kIdle);
}

TEST_F(CopyTest, UserExceptionInScopeFormLoadsNothingAndPropagates) {
  conn().execute("CREATE TABLE " + table_ + " (id int8)");
  Cursor cur = conn().cursor();
  try {
    Copy copy = cur.copy("COPY " + table_ + " FROM STDIN");
    for (int64_t i = 0; i < 100000; ++i) copy.write_row(i);
    throw std::runtime_error("boom");
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "boom");
    EXPECT_EQ(dynamic_cast<const Error*>(&e), nullptr);
  }
  EXPECT_EQ(count(), 0);
  EXPECT_EQ(conn().execute("SELECT 1").fetchone(scalar_row<int>), 1);
}

TEST_F(CopyTest, AbortEndsTheCopyWithoutLoadingAndFreesTheConnection) {
  conn().execute("CREATE TABLE " + table_ + " (id int8)");
  Cursor cur = conn().cursor();
  Copy copy = cur.copy("COPY " + table_ + " FROM STDIN");
  copy.write_row(1);
  copy.abort("error from C++: stop");
  EXPECT_TRUE(copy.finished());
  copy.finish();          // idempotent
  EXPECT_EQ(count(), 0);  // the connection is usable while the Copy lives on
}

TEST(CopyErrorMessageTest, NamesTheExceptionTypeAndWhat) {
  EXPECT_EQ(copy_internal::error_message(std::make_exception_ptr(std::invalid_argument("bad"))),
            "error from C++: std::invalid_argument - bad");
  EXPECT_EQ(copy_internal::error_message(std::make_exception_ptr(42)),
            "error from C++: unknown exception");
}

TEST_F(CopyTest, UserExceptionDuringCopyOutLeavesTheConnectionUsable) {
  Cursor cur = conn().cursor();
  EXPECT_THROW(cur.copy("COPY (SELECT generate_series(1, 1000000)) TO STDOUT",
                        [&](Copy& copy) {
                          copy.read_row();
                          throw std::logic_error("enough");
                        }),
               std::logic_error);
  EXPECT_EQ(conn().transaction_status(), TransactionStatus::kIdle);
  EXPECT_EQ(conn().execute("SELECT 42").fetchone(scalar_row<int>), 42);
}

TEST_F(CopyTest, InATransactionTheAbortedCopyRollsBack) {
  conn().execute("CREATE TABLE " + table_ + " (id int8)");
  Connection tx = Connection::connect(dsn());  // not autocommit
  Cursor cur = tx.cursor();
  cur.execute("INSERT INTO " + table_ + " VALUES (-1)");
  EXPECT_THROW(cur.copy("COPY " + table_ + " FROM STDIN",
                        [&](Copy& copy) {
                          copy.write_row(1);
                          throw std::runtime_error("x");
                        }),
               std::runtime_error);
  EXPECT_EQ(tx.transaction_status(), TransactionStatus::kInError);
  tx.rollback();
  EXPECT_EQ(count(), 0);
  // And a COPY that succeeds is part of the transaction.
  Cursor cur2 = tx.cursor();
  {
    Copy copy = cur2.copy("COPY " + table_ + " FROM STDIN");
    copy.write_row(7);
  }
  EXPECT_EQ(tx.transaction_status(), TransactionStatus::kInTrans);
  EXPECT_EQ(count(), 0);
  tx.commit();
  EXPECT_EQ(count(), 1);
}

TEST_F(CopyTest, BadDataRaisesItsSqlstateClassAndTheConnectionStaysUsable) {
  conn().execute("CREATE TABLE " + table_ + " (id int4 PRIMARY KEY)");
  Cursor cur = conn().cursor();
  try {
    Copy copy = cur.copy("COPY " + table_ + " FROM STDIN");
    copy.write_row(1);
    copy.write_row("not a number");
    copy.finish();
    FAIL() << "no exception";
  } catch (const errors::InvalidTextRepresentation& e) {
    EXPECT_THAT(e.what(), HasSubstr("not a number"));
  }
  EXPECT_EQ(count(), 0);
  try {
    cur.copy("COPY " + table_ + " FROM STDIN", [](Copy& copy) {
      copy.write_row(1);
      copy.write_row(1);
    });
    FAIL() << "no exception";
  } catch (const IntegrityError& e) {
    EXPECT_NE(dynamic_cast<const errors::UniqueViolation*>(&e), nullptr);
  }
  EXPECT_EQ(count(), 0);
  EXPECT_EQ(conn().execute("SELECT 1").fetchone(scalar_row<int>), 1);
}

TEST_F(CopyTest, ARowThatFailsToDumpIsNotSentAtAll) {
  conn().execute("CREATE TABLE " + table_ + " (id int4, t text)");
  Cursor cur = conn().cursor();
  for (const char* format : {"text", "binary"}) {
    SCOPED_TRACE(format);
    conn().execute("TRUNCATE " + table_);
    {
      Copy copy = cur.copy("COPY " + table_ + " FROM STDIN (FORMAT " + std::string(format) + ")");
      copy.set_types({"int4", "text"});
      copy.write_row(1, "one");
      EXPECT_THROW(copy.write_row(2, std::string("nul\0inside", 10)), DataError);
      copy.write_row(3, "three");
    }
    EXPECT_EQ(cur.rowcount(), 2);
    EXPECT_THAT(
        conn().execute("SELECT id FROM " + table_ + " ORDER BY id").fetchall(scalar_row<int>),
        ElementsAre(1, 3));
  }
}

TEST_F(CopyTest, ReadingAnAbortedCopyIsAProgrammingError) {
  Cursor cur = conn().cursor();
  Copy copy = cur.copy("COPY (SELECT generate_series(1, 100000)) TO STDOUT");
  EXPECT_TRUE(copy.read_row());
  copy.abort("stop");
  EXPECT_THROW(copy.read_row(), ProgrammingError);
  EXPECT_EQ(conn().execute("SELECT 1").fetchone(scalar_row<int>), 1);
}

TEST_F(CopyTest, TheDestructorRaisesTheServerError) {
  conn().execute("CREATE TABLE " + table_ + " (id int4 NOT NULL)");
  Cursor cur = conn().cursor();
  auto scope = [&] {
    Copy copy = cur.copy("COPY " + table_ + " FROM STDIN");
    copy.write_row(std::nullopt);
  };
  EXPECT_THROW(scope(), errors::NotNullViolation);
  EXPECT_EQ(count(), 0);
}

TEST_F(CopyTest, StatementsThatAreNotCopyAreRefused) {
  Cursor cur = conn().cursor();
  try {
    Copy copy = cur.copy("SELECT 1");
    FAIL() << "no exception";
  } catch (const ProgrammingError& e) {
    EXPECT_THAT(e.what(), HasSubstr("should be used only with COPY ... TO STDOUT or COPY ... FROM "
                                    "STDIN statements, got TUPLES_OK"));
  }
  try {
    Copy copy = cur.copy("SELECT 1; COPY (SELECT 1) TO STDOUT");
    FAIL() << "no exception";
  } catch (const ProgrammingError& e) {
    EXPECT_THAT(e.what(), HasSubstr("COPY cannot be mixed with other operations"));
  }
  EXPECT_THROW(Copy copy = cur.copy("COPY nonexistent FROM STDIN"), errors::UndefinedTable);
  EXPECT_EQ(conn().execute("SELECT 1").fetchone(scalar_row<int>), 1);
  // And the cursor's execute() refuses COPY.
  EXPECT_THROW(cur.execute("COPY (SELECT 1) TO STDOUT"), ProgrammingError);
  EXPECT_EQ(conn().execute("SELECT 2").fetchone(scalar_row<int>), 2);
  conn().execute("CREATE TABLE " + table_ + " (id int4)");
  EXPECT_THROW(cur.execute("COPY " + table_ + " FROM STDIN"), ProgrammingError);
  EXPECT_EQ(conn().execute("SELECT 3").fetchone(scalar_row<int>), 3);
}

TEST_F(CopyTest, LeavingACopyOutEarlyDrainsItAndRecordsItsCount) {
  Cursor cur = conn().cursor();
  {
    Copy copy = cur.copy("COPY (SELECT generate_series(1, 5000)) TO STDOUT");
    EXPECT_EQ(copy.read_row<int>(), std::make_tuple(1));
  }
  EXPECT_EQ(cur.statusmessage(), "COPY 5000");
  EXPECT_EQ(cur.rowcount(), 5000);
  EXPECT_EQ(conn().execute("SELECT 1").fetchone(scalar_row<int>), 1);
}

TEST_F(CopyTest, LargeRawWritesGoInPieces) {
  conn().execute("CREATE TABLE " + table_ + " (t text)");
  std::string data;
  for (int i = 0; i < 30000; ++i) data += std::string(100, 'a' + i % 26) + "\n";  // 3 MB
  Cursor cur = conn().cursor();
  cur.copy("COPY " + table_ + " FROM STDIN", [&](Copy& copy) {
    copy.write("x\n");
    copy.write(data);
  });
  EXPECT_EQ(cur.rowcount(), 30001);
  EXPECT_EQ(
      conn().execute("SELECT sum(length(t))::int8 FROM " + table_).fetchone(scalar_row<int64_t>),
      1 + 30000 * 100);
}

TEST_F(CopyTest, ParametersAreMergedClientSide) {
  Cursor cur = conn().cursor();
  Copy copy = cur.copy("COPY (SELECT %s::int4, %s::text) TO STDOUT", 7, "it's");
  EXPECT_EQ((copy.read_row<int, std::string>()), std::make_tuple(7, std::string("it's")));
  EXPECT_FALSE(copy.read_row());
}

TEST_F(CopyTest, ComposedStatements) {
  conn().execute("CREATE TABLE " + table_ + " (id int4)");
  Cursor cur = conn().cursor();
  cur.copy(sql::SQL("COPY {} FROM STDIN").format(sql::Identifier(table_)),
           [](Copy& copy) { copy.write_row(5); });
  EXPECT_EQ(count(), 1);
}

TEST_F(CopyTest, WrongDirectionIsAProgrammingError) {
  conn().execute("CREATE TABLE " + table_ + " (id int4)");
  Cursor cur = conn().cursor();
  {
    Copy copy = cur.copy("COPY " + table_ + " FROM STDIN");
    EXPECT_THROW(copy.read(), ProgrammingError);
  }
  Copy copy = cur.copy("COPY " + table_ + " TO STDOUT");
  EXPECT_THROW(copy.write_row(1), ProgrammingError);
}

TEST_F(CopyTest, CopyInAPipelineIsNotSupported) {
  Cursor cur = conn().cursor();
  {
    Pipeline pipeline = conn().pipeline();
    try {
      Copy copy = cur.copy("COPY (SELECT 1) TO STDOUT");
      ADD_FAILURE() << "no error";
    } catch (const NotSupportedError& e) {
      EXPECT_STREQ(e.what(), "COPY cannot be used in pipeline mode");
    }
  }
  Copy copy = cur.copy("COPY (SELECT 1) TO STDOUT");
  EXPECT_EQ(copy.read_row<int>(), std::make_tuple(1));
}

TEST_F(CopyTest, ConnectionCutDuringCopyInIsOperationalErrorAndBroken) {
  conn().execute("CREATE TABLE " + table_ + " (id int8, t text)");
  ConnInfoDict p = conninfo_to_dict(dsn());
  pgcpp::testing::FaultProxy proxy(p.at("host"), std::stoi(p.at("port")));
  Connection cut = Connection::connect(proxy.dsn(dsn()), {.autocommit = true});
  Cursor cur = cut.cursor();
  try {
    Copy copy = cur.copy("COPY " + table_ + " FROM STDIN");
    for (int64_t i = 0; i < 1000; ++i) copy.write_row(i, "before the cut");
    proxy.cut_all();
    for (int64_t i = 0; i < 1000000; ++i) copy.write_row(i, "after the cut");
    copy.finish();
    FAIL() << "no exception";
  } catch (const OperationalError& e) {
    SUCCEED() << e.what();
  }
  EXPECT_TRUE(cut.broken());
  EXPECT_EQ(count(), 0);
}

TEST_F(CopyTest, ConnectionCutDuringCopyOutIsOperationalErrorAndBroken) {
  ConnInfoDict p = conninfo_to_dict(dsn());
  pgcpp::testing::FaultProxy proxy(p.at("host"), std::stoi(p.at("port")));
  Connection cut = Connection::connect(proxy.dsn(dsn()), {.autocommit = true});
  Cursor cur = cut.cursor();
  try {
    Copy copy = cur.copy("COPY (SELECT generate_series(1, 10000000)) TO STDOUT");
    ASSERT_TRUE(copy.read_row<int64_t>());
    proxy.cut_all();
    while (copy.read_row<int64_t>()) {
    }
    FAIL() << "no exception";
  } catch (const OperationalError& e) {
    SUCCEED() << e.what();
  }
  EXPECT_TRUE(cut.broken());
}

TEST_F(CopyTest, AfterACutCaughtInTheScopeTheDestructorDoesNotThrowAgain) {
  ConnInfoDict p = conninfo_to_dict(dsn());
  pgcpp::testing::FaultProxy proxy(p.at("host"), std::stoi(p.at("port")));
  Connection cut = Connection::connect(proxy.dsn(dsn()), {.autocommit = true});
  Cursor cur = cut.cursor();
  auto scope = [&] {
    Copy copy = cur.copy("COPY (SELECT generate_series(1, 10000000)) TO STDOUT");
    proxy.cut_all();
    EXPECT_THROW(while (copy.read_row<int64_t>()){}, OperationalError);
  };
  EXPECT_NO_THROW(scope());
  EXPECT_TRUE(cut.broken());
}

}  // namespace
}  // namespace pgcpp
