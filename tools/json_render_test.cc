// append_json / display_text on values built by hand: the edge cases the end-to-end test's
// fixed query does not reach.
#include "tools/json_render.h"

#include <gtest/gtest.h>

#include <limits>

#include "tools/json_check.h"

namespace pgcpp::tools {
namespace {

std::string json(const Value& v) {
  std::string out;
  append_json(v, out);
  EXPECT_TRUE(is_valid_json(out)) << out;
  return out;
}

TEST(JsonRenderTest, NumbersAreExactOrShortest) {
  EXPECT_EQ(json(std::numeric_limits<int64_t>::min()), "-9223372036854775808");
  EXPECT_EQ(json(1e20), "1e+20");
  EXPECT_EQ(json(5e-324), "5e-324");
  EXPECT_EQ(json(0.1f), "0.1");
  EXPECT_EQ(json(-std::numeric_limits<double>::infinity()), "\"-Infinity\"");
  EXPECT_EQ(json(Numeric("-0.000100")), "\"-0.000100\"");
  EXPECT_EQ(json(Numeric::nan()), "\"NaN\"");
}

TEST(JsonRenderTest, StringsAreEscaped) {
  EXPECT_EQ(json(std::string("a\"b\\c\n\t\x01\x7f é")), "\"a\\\"b\\\\c\\n\\t\\u0001\x7f é\"");
  EXPECT_EQ(json(Bytes(std::string("\x00\xff", 2))), "\"\\\\x00ff\"");
}

TEST(JsonRenderTest, DatesAndTimes) {
  EXPECT_EQ(json(Date::from_ymd(-43, 3, 15)), "\"0044-03-15 BC\"");
  EXPECT_EQ(json(Timestamp::from(Date::from_ymd(2024, 2, 29), Time::from_hms(23, 59, 59, 1))),
            "\"2024-02-29T23:59:59.000001\"");
  EXPECT_EQ(json(TimestampTz::infinity()), "\"infinity\"");
  EXPECT_EQ(json(Date::minus_infinity()), "\"-infinity\"");
  EXPECT_EQ(json(Interval(-1, 2, -3)), "{\"months\": -1, \"days\": 2, \"microseconds\": -3}");
}

TEST(JsonRenderTest, Containers) {
  Array<Value> three_d({1, 2, 3, 4, 5, 6, 7, 8}, {{2, 1}, {2, 1}, {2, 1}});
  EXPECT_EQ(json(three_d), "[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]");
  EXPECT_EQ(json(Record{0, {Value(), Value(std::string("x")), Value(Array<Value>())}}),
            "[null, \"x\", []]");
  EXPECT_EQ(json(Range<Value>(Value(1), std::nullopt, "[)")),
            "{\"empty\": false, \"lower\": 1, \"upper\": null, \"bounds\": \"[)\"}");
  EXPECT_EQ(json(Hstore{{"k", std::nullopt}, {"q\"", "v"}}), "{\"k\": null, \"q\\\"\": \"v\"}");
  EXPECT_EQ(json(Jsonb{"{\"a\": 1}"}), "{\"a\": 1}");
}

TEST(JsonRenderTest, DisplayTextDropsQuotesOfStringForms) {
  EXPECT_EQ(display_text(Value()), "");
  EXPECT_EQ(display_text(std::string("a\"b")), "a\"b");
  EXPECT_EQ(display_text(Uuid::parse("F47AC10B58CC4372A5670E02B2C3D479")),
            "f47ac10b-58cc-4372-a567-0e02b2c3d479");
  EXPECT_EQ(display_text(std::numeric_limits<float>::quiet_NaN()), "NaN");
  EXPECT_EQ(display_text(true), "true");
  EXPECT_EQ(display_text(Array<Value>({std::string("a,b")})), "[\"a,b\"]");
}

}  // namespace
}  // namespace pgcpp::tools
