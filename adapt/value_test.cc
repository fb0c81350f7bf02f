#include "pgcpp/adapt/value.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"

namespace pgcpp {
namespace {

struct Opaque {
  int x;
  friend bool operator==(const Opaque&, const Opaque&) = default;
};

DumpInfo dump(const Value& v, ParamFormat f, std::string& out) {
  return dump_value(v, f, DumpContext::builtins(), out);
}

TEST(Value, ConstructionPicksTheAlternative) {
  EXPECT_TRUE(Value().is_null());
  EXPECT_TRUE(Value(nullptr).is_null());
  EXPECT_TRUE(Value(std::nullopt).is_null());
  EXPECT_TRUE(Value(static_cast<const char*>(nullptr)).is_null());
  EXPECT_TRUE(Value(true).holds<bool>());
  EXPECT_TRUE(Value(1).holds<int32_t>());
  EXPECT_TRUE(Value(int16_t{1}).holds<int16_t>());
  EXPECT_TRUE(Value(1LL).holds<int64_t>());
  EXPECT_TRUE(Value(uint32_t{1}).holds<int64_t>());
  EXPECT_TRUE(Value(uint64_t{1}).holds<Numeric>());
  EXPECT_TRUE(Value(int8_t{1}).holds<int16_t>());
  EXPECT_TRUE(Value(1.5).holds<double>());
  EXPECT_TRUE(Value("x").holds<std::string>());
  EXPECT_TRUE(Value(std::string_view("x")).holds<std::string>());
  EXPECT_TRUE(Value(Date()).holds<Date>());
  EXPECT_TRUE(Value(Range<Value>(Value(1), Value(2))).holds<Range<Value>>());
  EXPECT_TRUE(Value::custom(Opaque{1}).holds<Opaque>());
  EXPECT_EQ(Value(1).type_name(), "int32_t");
  EXPECT_EQ(Value().type_name(), "NULL");
}

TEST(Value, GetIsExact) {
  const Value v(int32_t{7});
  EXPECT_EQ(v.get<int32_t>(), 7);
  try {
    v.get<std::string>();
    FAIL();
  } catch (const ProgrammingError& e) {
    EXPECT_STREQ(e.what(), "the Value holds int32_t, not std::string");
  }
  EXPECT_EQ(Value::custom(Opaque{3}).get<Opaque>().x, 3);
}

TEST(Value, AsConverts) {
  EXPECT_EQ(Value(int16_t{5}).as<int64_t>(), 5);
  EXPECT_EQ(Value(int64_t{5}).as<int16_t>(), 5);
  EXPECT_THROW(Value(int64_t{1} << 40).as<int32_t>(), DataError);
  EXPECT_THROW(Value().as<int32_t>(), DataError);
  EXPECT_EQ(Value().as<std::optional<int32_t>>(), std::nullopt);
  EXPECT_EQ(Value(3).as<std::optional<int64_t>>(), 3);
  EXPECT_EQ(Value(Numeric("12")).as<int32_t>(), 12);
  EXPECT_EQ(Value(2.5f).as<double>(), 2.5);
  EXPECT_EQ(Value(3).as<double>(), 3.0);
  EXPECT_EQ(Value(3).as<Numeric>(), Numeric("3"));
  EXPECT_EQ(Value("abc").as<std::string_view>(), "abc");
  EXPECT_THROW(Value("abc").as<int32_t>(), ProgrammingError);
  EXPECT_THROW(Value(1.5).as<float>(), ProgrammingError);
  // Through the text form: std::chrono types from Date/TimestampTz.
  EXPECT_EQ(Value(Date::from_ymd(2024, 1, 2)).as<std::chrono::sys_days>(),
            std::chrono::sys_days(std::chrono::year(2024) / 1 / 2));
  EXPECT_THROW(Value(Date::infinity()).as<std::chrono::sys_days>(), DataError);
}

TEST(Value, ContainersConvertElementWise) {
  const Value a = Value::from(std::vector<std::vector<int32_t>>{{1, 2}, {3, 4}});
  ASSERT_TRUE(a.holds<Array<Value>>());
  EXPECT_EQ(a.get<Array<Value>>().dims, (std::vector<ArrayDim>{{2, 1}, {2, 1}}));
  EXPECT_EQ(a.as<std::vector<std::vector<int64_t>>>(),
            (std::vector<std::vector<int64_t>>{{1, 2}, {3, 4}}));
  EXPECT_THROW(a.as<std::vector<int32_t>>(), DataError);
  const Value with_null = Value::from(std::vector<std::optional<int32_t>>{1, std::nullopt});
  EXPECT_THROW(with_null.as<std::vector<int32_t>>(), DataError);
  EXPECT_EQ(with_null.as<std::vector<std::optional<int32_t>>>(),
            (std::vector<std::optional<int32_t>>{1, std::nullopt}));
  EXPECT_EQ(Value::from(Array<int32_t>({5}, {{1, 3}})).as<Array<int32_t>>(),
            Array<int32_t>({5}, {{1, 3}}));

  const Value r = Value::from(Range<int32_t>(1, 5, "(]"));
  EXPECT_EQ(r.as<Range<int64_t>>(), Range<int64_t>(1, 5, "(]"));
  EXPECT_EQ(Value::from(Range<int32_t>()).as<Range<int32_t>>(), Range<int32_t>());
  const Value m = Value::from(Multirange<int32_t>{{Range<int32_t>(1, 2)}});
  EXPECT_EQ(m.as<Multirange<int32_t>>(), Multirange<int32_t>{{Range<int32_t>(1, 2)}});

  const Value t = Value::from(std::tuple<int32_t, std::string>{1, "x"});
  EXPECT_EQ((t.as<std::tuple<int64_t, std::string>>()), (std::tuple<int64_t, std::string>{1, "x"}));
  EXPECT_THROW((t.as<std::tuple<int32_t>>()), DataError);
}

TEST(Value, Equality) {
  EXPECT_EQ(Value(1), Value(1));
  EXPECT_NE(Value(1), Value(int64_t{1}));
  EXPECT_EQ(Value(), Value());
  EXPECT_EQ(Value::custom(Opaque{1}), Value::custom(Opaque{1}));
  EXPECT_NE(Value::custom(Opaque{1}), Value::custom(Opaque{2}));
}

TEST(Value, DumpScalars) {
  std::string out;
  DumpInfo info = dump(Value(int32_t{1}), ParamFormat::kAuto, out);
  EXPECT_EQ(info.oid, oids::kInt4);
  EXPECT_EQ(info.format, Format::kBinary);
  EXPECT_EQ(out, std::string("\0\0\0\1", 4));
  out.clear();
  info = dump(Value("x"), ParamFormat::kAuto, out);
  EXPECT_EQ(info.oid, 0u);
  EXPECT_EQ(info.format, Format::kText);
  out.clear();
  info = dump(Value(), ParamFormat::kBinary, out);
  EXPECT_TRUE(info.is_null);
  EXPECT_EQ(out, "");
}

TEST(Value, DumpArrays) {
  std::string out;
  DumpInfo info = dump(Value::from(std::vector<int32_t>{1, 2}), ParamFormat::kAuto, out);
  EXPECT_EQ(out, "{1,2}");
  EXPECT_EQ(info.oid, oids::kInt4Array);
  EXPECT_EQ(info.format, Format::kText);
  out.clear();
  // Nested arrays (psycopg's lists of lists) become more dimensions.
  const Value nested(Array<Value>(
      {Value::from(std::vector<int64_t>{1, 2}), Value::from(std::vector<int64_t>{3, 4})}));
  info = dump(nested, ParamFormat::kText, out);
  EXPECT_EQ(out, "{{1,2},{3,4}}");
  EXPECT_EQ(info.oid, oids::kInt8Array);
  out.clear();
  const Value ragged(Array<Value>(
      {Value::from(std::vector<int64_t>{1, 2}), Value::from(std::vector<int64_t>{3})}));
  EXPECT_THROW(dump(ragged, ParamFormat::kText, out), DataError);
  out.clear();
  EXPECT_THROW(dump(Value(Array<Value>({Value(1), Value("x")})), ParamFormat::kText, out),
               DataError);
  out.clear();
  info = dump(Value(Array<Value>()), ParamFormat::kAuto, out);
  EXPECT_EQ(out, "{}");
  EXPECT_EQ(info.oid, 0u);
  out.clear();
  info = dump(Value(Array<Value>({Value("a b"), Value()})), ParamFormat::kText, out);
  EXPECT_EQ(out, "{\"a b\",NULL}");
  EXPECT_EQ(info.oid, 0u);  // strings are unknown in text
  out.clear();
  info = dump(Value(Array<Value>({Value("a"), Value()})), ParamFormat::kBinary, out);
  EXPECT_EQ(info.oid, oids::kTextArray);
  EXPECT_EQ(Codec<std::vector<std::optional<std::string>>>::load(out, Format::kBinary, info.oid),
            (std::vector<std::optional<std::string>>{"a", std::nullopt}));
}

TEST(Value, DumpRangesRecordsAndCustom) {
  std::string out;
  DumpInfo info = dump(Value::from(Range<int64_t>(1, 3)), ParamFormat::kAuto, out);
  EXPECT_EQ(out, "[1,3)");
  EXPECT_EQ(info.oid, oids::kInt8range);
  out.clear();
  info = dump(Value::from(Multirange<Date>{{Range<Date>(Date(), std::nullopt)}}),
              ParamFormat::kText, out);
  EXPECT_EQ(out, "{[2000-01-01,)}");
  EXPECT_EQ(info.oid, oids::kDatemultirange);
  out.clear();
  info = dump(Value(Record{0, {Value(1), Value(), Value("a b")}}), ParamFormat::kAuto, out);
  EXPECT_EQ(out, "(1,,\"a b\")");
  EXPECT_EQ(info.oid, 0u);
  out.clear();
  try {
    dump(Value::custom(Opaque{1}), ParamFormat::kAuto, out);
    FAIL();
  } catch (const ProgrammingError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot adapt type 'pgcpp::(anonymous namespace)::Opaque' "
                                         "using placeholder '%s' (format: AUTO)"),
              std::string::npos)
        << e.what();
  }
  // A custom value with a Codec dumps through it.
  out.clear();
  info = dump(Value::custom(std::chrono::sys_days(std::chrono::days(0))), ParamFormat::kText, out);
  EXPECT_EQ(out, "1970-01-01");
  EXPECT_EQ(info.oid, oids::kDate);
}

TEST(Value, ToStringAndQuote) {
  EXPECT_EQ(Value(Numeric("1.50")).to_string(), "1.50");
  EXPECT_EQ(Value().to_string(), "NULL");
  EXPECT_EQ(Value::from(std::vector<std::string>{"a", ""}).to_string(), "{a,\"\"}");
  std::string out;
  EXPECT_EQ(quote_value(Value(-3), DumpContext::builtins(), out), oids::kInt4);
  EXPECT_EQ(out, " -3");
  out.clear();
  EXPECT_EQ(quote_value(Value::from(std::vector<int32_t>{1}), DumpContext::builtins(), out),
            oids::kInt4Array);
  EXPECT_EQ(out, "'{1}'");
}

}  // namespace
}  // namespace pgcpp
