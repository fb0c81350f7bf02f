// The per-column fast paths (FastLoad, FieldReader) and the row makers built on them:
// whatever they load equals what the codec's load gives, and they give way (to load and
// its errors) whenever they are not sure.
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"
#include "pgcpp/adapt/array.h"
#include "pgcpp/adapt/codec_test_util.h"
#include "pgcpp/adapt/datetime.h"
#include "pgcpp/adapt/numbers.h"
#include "pgcpp/adapt/numeric.h"
#include "pgcpp/adapt/row.h"
#include "pgcpp/adapt/text.h"

namespace pgcpp {
namespace {

using ::pgcpp::testing::dump;

const Oid kOids[] = {oids::kBool,   oids::kInt2,        oids::kInt4,      oids::kInt8,
                     oids::kFloat4, oids::kFloat8,      oids::kText,      oids::kVarchar,
                     oids::kDate,   oids::kTimestamptz, oids::kTimestamp, oids::kNumeric,
                     oids::kOid,    oids::kJsonb,       oids::kInvalid};

// Wire values of many types and sizes, in both formats, some malformed.
std::vector<std::string> samples() {
  std::vector<std::string> out = {"",
                                  "t",
                                  "f",
                                  "0",
                                  "-1",
                                  "42",
                                  "1.5",
                                  "NaN",
                                  "Infinity",
                                  "1e400",
                                  "abc",
                                  "99999999999999999999",
                                  "2024-01-31 12:00:00+00",
                                  std::string("\x00", 1),
                                  std::string("\x01", 1),
                                  std::string("\x02", 1)};
  for (Format f : {Format::kText, Format::kBinary}) {
    out.push_back(dump(int16_t{-7}, f));
    out.push_back(dump(int32_t{40000}, f));
    out.push_back(dump(int32_t{-5}, f));
    out.push_back(dump(int64_t{1} << 40, f));
    out.push_back(dump(std::numeric_limits<int64_t>::min(), f));
    out.push_back(dump(2.5, f));
    out.push_back(dump(-0.0f, f));
    out.push_back(dump(std::numeric_limits<double>::infinity(), f));
    out.push_back(dump(TimestampTz::from_micros(123456789), f));
    out.push_back(dump(TimestampTz::infinity(), f));
    out.push_back(dump(Date::from_days(-3), f));
    for (const char* n : {"0", "0.00", "-0.50", "1234.50", "-98765432.10", "100000000.00", "0.0001",
                          "0.00001234", "1e-20", "12345678901234567890", "9999999999999999",
                          "1.000000000000001", "NaN", "-Infinity", "123456.789"}) {
      out.push_back(dump(Numeric(n), f));
    }
  }
  out.push_back(std::string(8, '\x7f'));                              // a large int8 or timestamp
  out.push_back(std::string("\x7f\xff\xff\xff\xff\xff\xff\xfe", 8));  // past timestamps' range
  out.push_back(std::string(4, '\x7f'));                              // beyond date's range
  return out;
}

// For every oid, format and sample: a FastLoad<T> that loads agrees with Codec<T>::load.
template <class T>
void fast_load_agrees_with_load() {
  for (Oid oid : kOids) {
    for (Format f : {Format::kText, Format::kBinary}) {
      const FastLoad<T> fast(f, oid);
      for (const std::string& data : samples()) {
        T got{};
        if (!fast(data, got)) continue;
        SCOPED_TRACE(::testing::Message() << "oid " << oid << " format " << static_cast<int>(f)
                                          << " data size " << data.size());
        T expected{};
        ASSERT_NO_THROW(expected = Codec<T>::load(data, f, oid));
        if constexpr (std::is_same_v<T, Numeric>) {
          EXPECT_TRUE(got.identical(expected)) << got.to_string() << " " << expected.to_string();
        } else if constexpr (std::is_floating_point_v<T>) {
          EXPECT_EQ(std::signbit(got), std::signbit(expected));
          if (!std::isnan(expected)) {
            EXPECT_EQ(got, expected);
          }
        } else {
          EXPECT_EQ(got, expected);
        }
      }
    }
  }
}

TEST(FastLoad, AgreesWithLoad) {
  fast_load_agrees_with_load<bool>();
  fast_load_agrees_with_load<int16_t>();
  fast_load_agrees_with_load<int32_t>();
  fast_load_agrees_with_load<int64_t>();
  fast_load_agrees_with_load<uint16_t>();
  fast_load_agrees_with_load<uint64_t>();
  fast_load_agrees_with_load<float>();
  fast_load_agrees_with_load<double>();
  fast_load_agrees_with_load<std::string>();
  fast_load_agrees_with_load<std::string_view>();
  fast_load_agrees_with_load<Date>();
  fast_load_agrees_with_load<TimestampTz>();
  fast_load_agrees_with_load<Timestamp>();
  fast_load_agrees_with_load<Numeric>();
}

TEST(FastLoad, NumericBinary) {
  // The values of W1's numeric(12,2) and their neighbours load without the general parser
  // and keep their scale.
  for (const char* text : {"0.00", "-0.50", "1234.50", "-98765432.10", "100000000.00", "0.0001",
                           "0.00001234", "9999999999999999", "123456.789"}) {
    Numeric n;
    ASSERT_TRUE(
        FastLoad<Numeric>(Format::kBinary, oids::kNumeric)(dump(Numeric(text), Format::kBinary), n))
        << text;
    EXPECT_TRUE(n.identical(Numeric(text))) << text << " " << n.to_string();
  }
  Numeric n;
  for (const char* text : {"12345678901234567890", "1e-20", "NaN", "Infinity"}) {
    EXPECT_FALSE(
        FastLoad<Numeric>(Format::kBinary, oids::kNumeric)(dump(Numeric(text), Format::kBinary), n))
        << text;
  }
  EXPECT_FALSE(FastLoad<Numeric>(Format::kText, oids::kNumeric)("1.5", n));
}

TEST(FastLoad, NumericBinaryReplacesAnyPreviousValue) {
  // The digits are rebuilt in place: over a value whose digits were allocated, over a
  // short one, and 16 digits (more than a string holds without allocating).
  const FastLoad<Numeric> fast(Format::kBinary, oids::kNumeric);
  Numeric n("123456789012345678901234567890.5");
  for (const char* text : {"1.50", "-0.0001", "9999999999999999", "2", "0.00"}) {
    ASSERT_TRUE(fast(dump(Numeric(text), Format::kBinary), n)) << text;
    EXPECT_TRUE(n.identical(Numeric(text))) << text << " " << n.to_string();
  }
}

TEST(FastLoad, TakesTheCommonCases) {
  int32_t i = 0;
  EXPECT_TRUE(
      FastLoad<int32_t>(Format::kBinary, oids::kInt4)(dump(int32_t{-5}, Format::kBinary), i));
  EXPECT_EQ(i, -5);
  EXPECT_TRUE(
      FastLoad<int32_t>(Format::kBinary, oids::kInt2)(dump(int16_t{7}, Format::kBinary), i));
  EXPECT_EQ(i, 7);
  EXPECT_TRUE(FastLoad<int32_t>(Format::kText, oids::kInt8)("12", i));
  EXPECT_EQ(i, 12);
  int64_t l = 0;
  EXPECT_TRUE(
      FastLoad<int64_t>(Format::kBinary, oids::kInt4)(dump(int32_t{-9}, Format::kBinary), l));
  EXPECT_EQ(l, -9);
  double d = 0;
  EXPECT_TRUE(FastLoad<double>(Format::kBinary, oids::kFloat8)(dump(2.5, Format::kBinary), d));
  EXPECT_EQ(d, 2.5);
  EXPECT_TRUE(FastLoad<double>(Format::kText, oids::kFloat4)("0.5", d));
  EXPECT_EQ(d, 0.5);
  bool b = false;
  EXPECT_TRUE(FastLoad<bool>(Format::kText, oids::kBool)("t", b));
  EXPECT_TRUE(b);
  TimestampTz ts;
  EXPECT_TRUE(FastLoad<TimestampTz>(Format::kBinary, oids::kTimestamptz)(
      dump(TimestampTz::from_micros(77), Format::kBinary), ts));
  EXPECT_EQ(ts.micros(), 77);
  std::string_view s;
  EXPECT_TRUE(FastLoad<std::string_view>(Format::kText, oids::kInt4)("12", s));
  EXPECT_EQ(s, "12");
}

TEST(FastLoad, GivesWayWhenNotSure) {
  int32_t i = 3;
  // Out of range, wrong size, another type, malformed text: load decides (and raises).
  EXPECT_FALSE(
      FastLoad<int32_t>(Format::kBinary, oids::kInt8)(dump(int64_t{1} << 40, Format::kBinary), i));
  EXPECT_FALSE(FastLoad<int32_t>(Format::kBinary, oids::kInt4)(std::string(3, '\0'), i));
  EXPECT_FALSE(FastLoad<int32_t>(Format::kBinary, oids::kFloat8)(dump(1.0, Format::kBinary), i));
  EXPECT_FALSE(FastLoad<int32_t>(Format::kText, oids::kInt4)("12x", i));
  EXPECT_EQ(i, 3);
  double d = 0;
  EXPECT_FALSE(FastLoad<double>(Format::kText, oids::kFloat8)("NaN", d));
  EXPECT_FALSE(FastLoad<double>(Format::kBinary, oids::kFloat8)(std::string(4, '\0'), d));
  std::string s;
  EXPECT_FALSE(FastLoad<std::string>(Format::kBinary, oids::kJsonb)("\x01{}", s));
  EXPECT_FALSE(FastLoad<int32_t>()(dump(int32_t{1}, Format::kBinary), i));  // a user loader's
  Value v;
  EXPECT_FALSE(FastLoad<Value>(Format::kBinary, oids::kInt4)(dump(int32_t{1}, Format::kBinary), v));
}

TEST(FastLoad, ArrayStartsOverWhenAnElementIsNotFast) {
  // The binary vector loop takes elements through FastLoad; a NaN (not on the fast path)
  // after a plain value sends the whole array to the general parser, from scratch.
  const std::vector<Numeric> v = {Numeric("1.50"), Numeric::nan(), Numeric("-2")};
  const std::vector<Numeric> back = ::pgcpp::testing::round_trip(v, Format::kBinary);
  ASSERT_EQ(back.size(), 3u);
  EXPECT_TRUE(back[0].identical(v[0]));
  EXPECT_TRUE(back[1].is_nan());
  EXPECT_TRUE(back[2].identical(v[2]));
}

// Binary arrays: plain ones, and ones the fast path must leave to load.
std::vector<std::string> array_samples() {
  using Ints = std::vector<int32_t>;
  const std::string plain = dump(Ints{1, -2, 70000}, Format::kBinary);
  std::vector<std::string> out = {
      plain,
      plain + "x",
      dump(std::vector<std::optional<int32_t>>{1, std::nullopt}, Format::kBinary),
      dump(std::vector<Ints>{{1, 2}, {3, 4}}, Format::kBinary),
      dump(Array<int32_t>({5, 6}, {{2, -3}}), Format::kBinary),
      dump(std::vector<int64_t>{1, int64_t{1} << 40}, Format::kBinary),
      dump(std::vector<int16_t>{3, -4}, Format::kBinary),
      dump(std::vector<double>{0.5, -0.0}, Format::kBinary),
      dump(std::vector<TimestampTz>{TimestampTz::from_micros(5), TimestampTz::infinity()},
           Format::kBinary),
      dump(Ints{}, Format::kBinary),
      // Two int4 elements of sizes 0 and 8: the total size of two 4-byte ones.
      dump(Ints{1, 2}, Format::kBinary).substr(0, 20) + std::string("\0\0\0\0\0\0\0\x08", 8) +
          std::string(8, '\x01'),
  };
  for (size_t cut = 0; cut < plain.size(); ++cut) out.push_back(plain.substr(0, cut));
  return out;
}

// For array column oids and the samples above: whatever FastLoad<V> loads is load's value.
template <class V>
void array_fast_load_agrees_with_load() {
  for (Oid oid : {oids::kInt4Array, oids::kInt8Array, oids::kInt2Array, oids::kFloat8Array,
                  oids::kTimestamptzArray, oids::kInvalid, oids::kInt4, Oid{20000}}) {
    for (Format f : {Format::kText, Format::kBinary}) {
      const FastLoad<V> fast(f, oid);
      for (const std::string& data : array_samples()) {
        V got;
        if (!fast(data, got)) continue;
        SCOPED_TRACE(::testing::Message() << "oid " << oid << " data size " << data.size());
        V expected;
        ASSERT_NO_THROW(expected = Codec<V>::load(data, f, oid));
        EXPECT_EQ(got, expected);
      }
    }
  }
}

TEST(FastLoad, BinaryArraysAgreeWithLoad) {
  array_fast_load_agrees_with_load<std::vector<int32_t>>();
  array_fast_load_agrees_with_load<std::vector<int64_t>>();
  array_fast_load_agrees_with_load<std::vector<int16_t>>();
  array_fast_load_agrees_with_load<std::vector<std::optional<int32_t>>>();
  array_fast_load_agrees_with_load<std::vector<double>>();
  array_fast_load_agrees_with_load<std::vector<TimestampTz>>();
  array_fast_load_agrees_with_load<std::vector<bool>>();
}

TEST(FastLoad, BinaryArrays) {
  using Ints = std::vector<int32_t>;
  using ::pgcpp::testing::load_binary;
  const std::vector<std::string> s = array_samples();
  const FastLoad<Ints> fast(Format::kBinary, oids::kInt4Array);
  Ints got;
  // Taken: 1-D without NULLs (lower bounds dropped, as load drops them); int2 elements.
  ASSERT_TRUE(fast(s[0], got));
  EXPECT_EQ(got, (Ints{1, -2, 70000}));
  ASSERT_TRUE(fast(s[4], got));
  EXPECT_EQ(got, (Ints{5, 6}));
  ASSERT_TRUE(fast(s[6], got));
  EXPECT_EQ(got, (Ints{3, -4}));
  // Left to load: text, a column that is not an array, trailing bytes, a NULL element,
  // two dimensions, an int8 element out of range, an empty array, elements of other sizes,
  // truncated data.
  EXPECT_FALSE(FastLoad<Ints>(Format::kText, oids::kInt4Array)("{1}", got));
  EXPECT_FALSE(FastLoad<Ints>(Format::kBinary, oids::kInt4)(s[0], got));
  EXPECT_THROW(Codec<Ints>::load(s[0], Format::kBinary, oids::kInt4), ProgrammingError);
  for (size_t i : {1, 2, 3, 5, 9, 10}) {
    EXPECT_FALSE(fast(s[i], got)) << i;
  }
  for (size_t i = 11; i < s.size(); ++i) EXPECT_FALSE(fast(s[i], got)) << i;
  for (size_t i : {1, 2, 3, 5, 10}) {
    EXPECT_THROW(load_binary<Ints>(s[i], oids::kInt4Array), DataError) << i;
  }
  EXPECT_EQ(load_binary<Ints>(s[9], oids::kInt4Array), Ints{});
  EXPECT_EQ(load_binary<std::vector<std::optional<int32_t>>>(s[2], oids::kInt4Array),
            (std::vector<std::optional<int32_t>>{1, std::nullopt}));
  // Through a ColumnReader: the same values, and Row::get's errors.
  const RowDescription desc({{"a", oids::kInt4Array, Format::kBinary}});
  const ColumnReader<Ints> reader(desc, 0);
  const FieldData plain{s[0].data(), static_cast<int32_t>(s[0].size()), false};
  const FieldData with_null{s[2].data(), static_cast<int32_t>(s[2].size()), false};
  EXPECT_EQ(reader.read(plain), (Ints{1, -2, 70000}));
  EXPECT_THROW(reader.read(with_null), DataError);
  EXPECT_THROW(reader.read(FieldData{nullptr, 0, true}), DataError);
  EXPECT_EQ(ColumnReader<std::optional<Ints>>(desc, 0).read(FieldData{nullptr, 0, true}),
            std::nullopt);
}

// A result of two rows: (a int4 binary, b text text, c float8 binary).
struct Result {
  RowDescription desc{{{"a", oids::kInt4, Format::kBinary},
                       {"b", oids::kText, Format::kText},
                       {"c", oids::kFloat8, Format::kBinary}}};
  std::string a0 = dump(int32_t{7}, Format::kBinary);
  std::string c0 = dump(0.25, Format::kBinary);
  std::vector<FieldData> row0{{a0.data(), 4, false}, {"x", 1, false}, {c0.data(), 8, false}};
  std::vector<FieldData> row1{{nullptr, 0, true}, {"yz", 2, false}, {nullptr, 0, true}};
};

struct Abc {
  int64_t a;
  std::string b;
  std::optional<double> c;
  friend bool operator==(const Abc&, const Abc&) = default;
};

TEST(RowMakers, ReadThroughTheirColumns) {
  const Result r;
  const auto typed = typed_row<std::optional<int32_t>, std::string, std::optional<double>>(r.desc);
  EXPECT_EQ(typed(Row(r.desc, r.row0)), std::make_tuple(7, std::string("x"), 0.25));
  EXPECT_EQ(typed(Row(r.desc, r.row1)),
            std::make_tuple(std::nullopt, std::string("yz"), std::nullopt));
  EXPECT_EQ(class_row<Abc>(r.desc)(Row(r.desc, r.row0)), (Abc{7, "x", 0.25}));
  EXPECT_EQ(scalar_row<int64_t>(r.desc)(Row(r.desc, r.row0)), 7);
  EXPECT_EQ(scalar_row<Value>(r.desc)(Row(r.desc, r.row1)).is_null(), true);
}

TEST(RowMakers, SameErrorsAsRowGet) {
  const Result r;
  const Row row1(r.desc, r.row1);
  auto message = [](auto&& f) -> std::string {
    try {
      f();
    } catch (const DataError& e) {
      return e.what();
    }
    return "no error";
  };
  const auto scalar = scalar_row<int32_t>(r.desc);
  EXPECT_EQ(message([&] { scalar(row1); }), message([&] { row1.get<int32_t>(0); }));
  EXPECT_NE(message([&] { scalar(row1); }).find("column 'a' (index 0) is NULL"), std::string::npos);
  const auto typed = typed_row<int32_t, std::string, double>(r.desc);
  EXPECT_NE(message([&] { typed(row1); }), "no error");
  const auto by_order = class_row<Abc>(r.desc);
  EXPECT_EQ(message([&] { by_order(row1); }), message([&] { row1.get<int64_t>(0); }));
  // Reading text as an integer: the codec's error, with the column.
  const auto wrong = scalar_row<int32_t>(RowDescription({{"t", oids::kText, Format::kText}}));
  const FieldData text[1] = {{"abc", 3, false}};
  const RowDescription text_desc({{"t", oids::kText, Format::kText}});
  const auto wrong_same = scalar_row<int32_t>(text_desc);
  EXPECT_THROW(wrong_same(Row(text_desc, text)), ProgrammingError);
  EXPECT_THROW(wrong(Row(text_desc, text)), ProgrammingError);
}

TEST(RowMakers, FollowRowsOfOtherColumns) {
  // A maker used on rows of another description (a cursor whose result changed under an
  // iteration) reads them as Row::get does, not with the old columns' decisions.
  const Result r;
  const auto typed = typed_row<int64_t, std::string, double>(r.desc);
  const RowDescription other({{"a", oids::kInt8, Format::kText},
                              {"b", oids::kText, Format::kText},
                              {"c", oids::kFloat8, Format::kText}});
  const FieldData fields[3] = {{"1234", 4, false}, {"q", 1, false}, {"0.5", 3, false}};
  EXPECT_EQ(typed(Row(other, fields)), std::make_tuple(int64_t{1234}, std::string("q"), 0.5));
  EXPECT_EQ(class_row<Abc>(r.desc)(Row(other, fields)), (Abc{1234, "q", 0.5}));
  EXPECT_EQ(scalar_row<int64_t>(r.desc)(Row(other, fields)), 1234);
  // A copy of a description is the same columns: the fast path applies.
  const RowDescription copy = r.desc;
  EXPECT_EQ(copy.id(), r.desc.id());
  EXPECT_NE(other.id(), r.desc.id());
  EXPECT_EQ(typed(Row(copy, r.row0)), std::make_tuple(int64_t{7}, std::string("x"), 0.25));
}

TEST(ColumnReader, FixedSizePathKeepsNullsAndErrors) {
  const RowDescription desc({{"i", oids::kInt4, Format::kBinary},
                             {"ts", oids::kTimestamptz, Format::kBinary},
                             {"l", oids::kInt8, Format::kBinary}});
  const std::string four = dump(int32_t{-3}, Format::kBinary);
  const std::string eight = dump(int64_t{70000}, Format::kBinary);
  const std::string far("\x7f\xff\xff\xff\xff\xff\xff\xfe", 8);  // past timestamptz's range
  // A NULL whose size happens to be the fixed size is still NULL.
  const FieldData null_four{four.data(), 4, true};
  EXPECT_EQ(ColumnReader<std::optional<int32_t>>(desc, 0).read(null_four), std::nullopt);
  EXPECT_THROW(ColumnReader<int32_t>(desc, 0).read(null_four), DataError);
  EXPECT_EQ(ColumnReader<int32_t>(desc, 0).read({four.data(), 4, false}), -3);
  EXPECT_EQ(ColumnReader<int64_t>(desc, 0).read({four.data(), 4, false}), -3);  // not int64's
  EXPECT_THROW(ColumnReader<int32_t>(desc, 0).read({eight.data(), 8, false}), DataError);
  // The fixed size with a value the fast path refuses: the codec's error.
  EXPECT_THROW(ColumnReader<TimestampTz>(desc, 1).read({far.data(), 8, false}), DataError);
  EXPECT_EQ(ColumnReader<int32_t>(desc, 2).read({eight.data(), 8, false}), 70000);
  EXPECT_THROW(ColumnReader<int16_t>(desc, 2).read({eight.data(), 8, false}), DataError);
}

TEST(ColumnReader, ValuesBuiltInPlaceKeepNullsAndSlowPaths) {
  // Types read into the returned object itself (strings, numerics): a NULL, a value the
  // fast path leaves to load, and a plain value after either.
  const RowDescription desc({{"n", oids::kNumeric, Format::kBinary},
                             {"t", oids::kNumeric, Format::kText},
                             {"s", oids::kText, Format::kText}});
  const std::string plain = dump(Numeric("-12.50"), Format::kBinary);
  const std::string nan = dump(Numeric::nan(), Format::kBinary);
  const ColumnReader<Numeric> n(desc, 0);
  EXPECT_THROW(n.read({nullptr, 0, true}), DataError);
  EXPECT_TRUE(n.read({nan.data(), static_cast<int32_t>(nan.size()), false}).is_nan());
  EXPECT_THROW(n.read({plain.data(), 3, false}), DataError);
  EXPECT_TRUE(n.read({plain.data(), static_cast<int32_t>(plain.size()), false})
                  .identical(Numeric("-12.50")));
  EXPECT_TRUE(ColumnReader<Numeric>(desc, 1).read({"0.10", 4, false}).identical(Numeric("0.10")));
  const ColumnReader<std::string> s(desc, 2);
  EXPECT_THROW(s.read({nullptr, 0, true}), DataError);
  EXPECT_EQ(s.read({"abc", 3, false}), "abc");
}

TEST(ColumnReader, ValueErrorsNameTheColumn) {
  const RowDescription desc({{"n", oids::kInt4, Format::kBinary}});
  const FieldData bad[1] = {{"abc", 3, false}};
  try {
    ColumnReader<Value>(desc, 0).read(bad[0]);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("column 'n' (index 0): ", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace pgcpp
