#include "pgcpp/adapt/range.h"

#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "pgcpp/adapt/codec_test_util.h"
#include "pgcpp/adapt/datetime.h"
#include "pgcpp/adapt/numbers.h"
#include "pgcpp/adapt/numeric.h"
#include "pgcpp/adapt/text.h"

namespace pgcpp::testing {
namespace {

TEST(Range, BoundsAndContains) {
  const Range<int32_t> r(1, 10);
  EXPECT_TRUE(r.lower_inc());
  EXPECT_FALSE(r.upper_inc());
  EXPECT_TRUE(r.contains(1));
  EXPECT_FALSE(r.contains(10));
  EXPECT_TRUE(Range<int32_t>(1, 10, "(]").contains(10));
  EXPECT_FALSE(Range<int32_t>(1, 10, "(]").contains(1));
  const Range<int32_t> unbounded(std::nullopt, std::nullopt, "[]");
  EXPECT_TRUE(unbounded.lower_inf());
  EXPECT_FALSE(unbounded.lower_inc());  // forced exclusive
  EXPECT_EQ(unbounded.bounds(), "()");
  EXPECT_TRUE(unbounded.contains(-5));
  EXPECT_FALSE(Range<int32_t>().contains(0));
  EXPECT_TRUE(Range<int32_t>().is_empty());
  EXPECT_THROW(Range<int32_t>(1, 2, "[["), DataError);
}

TEST(RangeCodec, Oids) {
  EXPECT_EQ(Codec<Range<int32_t>>::oid(Format::kBinary), oids::kInt4range);
  EXPECT_EQ(Codec<Range<int64_t>>::oid(Format::kText), oids::kInt8range);
  EXPECT_EQ(Codec<Range<Numeric>>::oid(Format::kText), oids::kNumrange);
  EXPECT_EQ(Codec<Range<Date>>::oid(Format::kText), oids::kDaterange);
  EXPECT_EQ(Codec<Range<Timestamp>>::oid(Format::kText), oids::kTsrange);
  EXPECT_EQ(Codec<Range<TimestampTz>>::oid(Format::kText), oids::kTstzrange);
  EXPECT_EQ(Codec<Range<double>>::oid(Format::kText), 0u);
  EXPECT_EQ(Codec<Range<double>>::kAutoFormat, Format::kText);
  EXPECT_EQ(Codec<Multirange<int32_t>>::oid(Format::kText), oids::kInt4multirange);
  EXPECT_EQ(Codec<Multirange<TimestampTz>>::oid(Format::kText), oids::kTstzmultirange);
}

TEST(RangeCodec, Text) {
  EXPECT_EQ(dump(Range<int32_t>(1, 5), Format::kText), "[1,5)");
  EXPECT_EQ(dump(Range<int32_t>(), Format::kText), "empty");
  EXPECT_EQ(dump(Range<int32_t>(std::nullopt, std::nullopt), Format::kText), "(,)");
  EXPECT_EQ(dump(Range<Timestamp>(Timestamp(), Timestamp::infinity(), "[]"), Format::kText),
            "[\"2000-01-01 00:00:00\",infinity]");
  EXPECT_EQ(dump(Range<std::string>("a,b", "", "[]"), Format::kText), "[\"a,b\",\"\"]");
  EXPECT_EQ(load_text<Range<int32_t>>("[1,5)", oids::kInt4range), Range<int32_t>(1, 5));
  EXPECT_EQ(load_text<Range<int32_t>>(" EMPTY ", oids::kInt4range), Range<int32_t>());
  EXPECT_EQ(load_text<Range<int32_t>>("[,5]", oids::kInt4range),
            Range<int32_t>(std::nullopt, 5, "(]"));
  EXPECT_EQ(load_text<Range<Timestamp>>("[\"2000-01-01 00:00:00\",infinity]", oids::kTsrange),
            Range<Timestamp>(Timestamp(), Timestamp::infinity(), "[]"));
  EXPECT_EQ(load_text<Range<std::string>>(R"(["a\"b","c""d"])", 0),
            Range<std::string>("a\"b", "c\"d", "[]"));
  EXPECT_EQ(load_text<Range<std::string>>(R"x((a\,b,""))x", 0),
            Range<std::string>("a,b", "", "()"));
}

TEST(RangeCodec, RoundTrips) {
  for (Format f : {Format::kText, Format::kBinary}) {
    for (const Range<int32_t>& r :
         {Range<int32_t>(1, 5), Range<int32_t>(), Range<int32_t>(std::nullopt, std::nullopt),
          Range<int32_t>(-3, std::nullopt, "[)"), Range<int32_t>(std::nullopt, 7, "(]")}) {
      EXPECT_EQ(round_trip(r, f), r);
    }
    const Range<Numeric> n(Numeric("1.50"), Numeric("1e100"), "(]");
    EXPECT_EQ(round_trip(n, f), n);
    const Range<TimestampTz> t(TimestampTz::minus_infinity(), TimestampTz(), "()");
    EXPECT_EQ(round_trip(t, f), t);
    const Range<std::string> s("a b", "{}\"\\", "[]");
    EXPECT_EQ(round_trip(s, f), s);
    const Multirange<int64_t> m{{Range<int64_t>(1, 3), Range<int64_t>(5, std::nullopt)}};
    EXPECT_EQ(round_trip(m, f), m);
    EXPECT_EQ(round_trip(Multirange<int64_t>{}, f), Multirange<int64_t>{});
  }
  EXPECT_EQ(dump(Multirange<int32_t>{{Range<int32_t>(1, 3), Range<int32_t>(5, 7)}}, Format::kText),
            "{[1,3),[5,7)}");
  EXPECT_EQ(load_text<Multirange<int32_t>>(" { [1,3) , [5,7) } ", oids::kInt4multirange),
            (Multirange<int32_t>{{Range<int32_t>(1, 3), Range<int32_t>(5, 7)}}));
}

TEST(RangeCodec, BinaryLayout) {
  EXPECT_EQ(dump(Range<int32_t>(), Format::kBinary), "\x01");
  EXPECT_EQ(dump(Range<int32_t>(std::nullopt, std::nullopt), Format::kBinary), "\x18");
  EXPECT_EQ(dump(Range<int32_t>(1, 5), Format::kBinary),
            std::string("\x02\0\0\0\4\0\0\0\1\0\0\0\4\0\0\0\5", 17));
}

TEST(RangeCodec, Malformed) {
  for (const char* bad :
       {"", "[1,5", "1,5)", "[1 5)", "[1,5)x", "[\"1,5)", "{[1,5)}", "emptyx", "[1,5,6)"}) {
    EXPECT_THROW(load_text<Range<int32_t>>(bad, oids::kInt4range), DataError) << bad;
  }
  for (const char* bad : {"", "{", "{[1,3)", "{[1,3);[4,5)}", "{[1,3)}x", "[1,3)"}) {
    EXPECT_THROW(load_text<Multirange<int32_t>>(bad, oids::kInt4multirange), DataError) << bad;
  }
  EXPECT_THROW(load_text<Range<int32_t>>("[1,x)", oids::kInt4range), DataError);
  EXPECT_THROW(load_binary<Range<int32_t>>("", oids::kInt4range), DataError);
  EXPECT_THROW(load_binary<Range<int32_t>>("\x03", oids::kInt4range), DataError);
  EXPECT_THROW(load_binary<Range<int32_t>>("\x80", oids::kInt4range), DataError);
  EXPECT_THROW(load_binary<Range<int32_t>>(std::string("\x12\0\0\0\4\0\0\0", 8), oids::kInt4range),
               DataError);
  EXPECT_THROW(load_binary<Multirange<int32_t>>(std::string("\0\0\0\5", 4), oids::kInt4multirange),
               DataError);
  EXPECT_THROW(load_text<Range<int32_t>>("[1,2)", oids::kInt4), ProgrammingError);
  EXPECT_THROW(load_text<Range<int32_t>>("[1,2)", oids::kTsrange), ProgrammingError);
  EXPECT_EQ(load_text<Range<int32_t>>("[1,2)", oids::kInt8range), Range<int32_t>(1, 2));
}

TEST(RangeCodec, RandomRoundTrip) {
  std::mt19937 rng(11);
  for (int i = 0; i < 1000; ++i) {
    std::optional<int64_t> lo, hi;
    if (rng() % 4) lo = static_cast<int64_t>(rng()) - (1 << 30);
    if (rng() % 4) hi = lo.value_or(0) + rng() % 1000 + 1;
    const char* bounds[] = {"[)", "(]", "()", "[]"};
    const Range<int64_t> r =
        rng() % 10 == 0 ? Range<int64_t>() : Range<int64_t>(lo, hi, bounds[rng() % 4]);
    for (Format f : {Format::kText, Format::kBinary}) ASSERT_EQ(round_trip(r, f), r);
  }
}

}  // namespace
}  // namespace pgcpp::testing
