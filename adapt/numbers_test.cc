#include "pgcpp/adapt/numbers.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "pgcpp/adapt/codec_test_util.h"

namespace pgcpp::testing {
namespace {

TEST(BoolCodec, BothFormats) {
  EXPECT_EQ(dump(true, Format::kText), "t");
  EXPECT_EQ(dump(false, Format::kBinary), std::string(1, '\0'));
  EXPECT_TRUE(round_trip(true, Format::kBinary));
  EXPECT_FALSE(round_trip(false, Format::kText));
  EXPECT_EQ(quote(true), "true");
  EXPECT_EQ(Codec<bool>::oid(Format::kText), oids::kBool);
}

TEST(BoolCodec, Malformed) {
  EXPECT_THROW(load_text<bool>("true", oids::kBool), DataError);
  EXPECT_THROW(load_text<bool>("", oids::kBool), DataError);
  EXPECT_THROW(load_binary<bool>(std::string(1, '\2'), oids::kBool), DataError);
  EXPECT_THROW(load_binary<bool>("", oids::kBool), DataError);
  EXPECT_THROW(load_text<bool>("t", oids::kInt4), ProgrammingError);
}

TEST(IntegerCodec, OidFollowsTheCppType) {
  EXPECT_EQ(Codec<int16_t>::oid(Format::kBinary), oids::kInt2);
  EXPECT_EQ(Codec<int8_t>::oid(Format::kBinary), oids::kInt2);
  EXPECT_EQ(Codec<uint8_t>::oid(Format::kBinary), oids::kInt2);
  EXPECT_EQ(Codec<uint16_t>::oid(Format::kBinary), oids::kInt4);
  EXPECT_EQ(Codec<int32_t>::oid(Format::kBinary), oids::kInt4);
  EXPECT_EQ(Codec<uint32_t>::oid(Format::kBinary), oids::kInt8);
  EXPECT_EQ(Codec<int64_t>::oid(Format::kBinary), oids::kInt8);
  EXPECT_EQ(Codec<long long>::oid(Format::kBinary), oids::kInt8);
  EXPECT_EQ(Codec<uint64_t>::oid(Format::kBinary), oids::kNumeric);
}

TEST(IntegerCodec, EdgeValuesRoundTrip) {
  for (Format f : {Format::kText, Format::kBinary}) {
    for (int64_t v : {std::numeric_limits<int64_t>::min(), int64_t{-1}, int64_t{0}, int64_t{1},
                      std::numeric_limits<int64_t>::max()}) {
      EXPECT_EQ(round_trip(v, f), v);
    }
    for (int16_t v :
         {std::numeric_limits<int16_t>::min(), int16_t{0}, std::numeric_limits<int16_t>::max()}) {
      EXPECT_EQ(round_trip(v, f), v);
    }
    EXPECT_EQ(round_trip(std::numeric_limits<uint32_t>::max(), f),
              std::numeric_limits<uint32_t>::max());
  }
  EXPECT_EQ(dump(int64_t{-9223372036854775807 - 1}, Format::kText), "-9223372036854775808");
  EXPECT_EQ(dump(int32_t{1}, Format::kBinary), std::string("\0\0\0\1", 4));
}

TEST(IntegerCodec, Uint64IsSentAsNumeric) {
  // 18446744073709551615 = 1844 6744 0737 0955 1615 in base 10000.
  const std::string bin = dump(std::numeric_limits<uint64_t>::max(), Format::kBinary);
  EXPECT_EQ(bin, std::string("\0\5\0\4\0\0\0\0\x07\x34\x1a\x58\x02\xe1\x03\xbb\x06\x4f", 18));
  EXPECT_EQ(dump(uint64_t{10000}, Format::kBinary),
            std::string("\0\1\0\1\0\0\0\0\0\1", 10));  // weight 1, digits [1]
  EXPECT_EQ(dump(uint64_t{0}, Format::kBinary), std::string(8, '\0'));
  EXPECT_EQ(dump(std::numeric_limits<uint64_t>::max(), Format::kText), "18446744073709551615");
}

TEST(IntegerCodec, LoadsEveryIntegerTypeWithRangeChecks) {
  EXPECT_EQ(load_binary<int64_t>(std::string("\xff\xfe", 2), oids::kInt2), -2);
  EXPECT_EQ(load_binary<int16_t>(std::string("\0\0\x7f\xff", 4), oids::kInt4), 32767);
  EXPECT_EQ(load_text<int64_t>("4294967295", oids::kOid), 4294967295);
  EXPECT_EQ(load_binary<uint32_t>(std::string("\xff\xff\xff\xff", 4), oids::kOid), 4294967295u);
  EXPECT_EQ(load_binary<int64_t>(std::string("\0\0\0\x10", 4), oids::kRegclass), 16);
  try {
    load_binary<int16_t>(std::string("\0\1\0\0", 4), oids::kInt4);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_STREQ(e.what(), "value 65536 (int4 (oid 23)) is out of range for int16_t");
  }
  EXPECT_THROW(load_text<uint64_t>("-1", oids::kInt8), DataError);
  EXPECT_THROW(load_text<uint8_t>("256", oids::kInt2), DataError);
  EXPECT_THROW(load_text<int32_t>("2147483648", oids::kInt8), DataError);
  EXPECT_EQ(load_text<int32_t>("-2147483648", oids::kInt8), std::numeric_limits<int32_t>::min());
}

TEST(IntegerCodec, LoadsIntegralNumerics) {
  EXPECT_EQ(load_text<int64_t>("-42", oids::kNumeric), -42);
  EXPECT_EQ(load_text<int32_t>("42.000", oids::kNumeric), 42);
  EXPECT_EQ(load_text<uint64_t>("18446744073709551615", oids::kNumeric),
            std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(load_binary<uint64_t>(dump(std::numeric_limits<uint64_t>::max(), Format::kBinary),
                                  oids::kNumeric),
            std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(load_binary<int64_t>(dump(uint64_t{10000}, Format::kBinary), oids::kNumeric), 10000);
  EXPECT_EQ(load_text<int64_t>("-9223372036854775808", oids::kNumeric),
            std::numeric_limits<int64_t>::min());
  EXPECT_THROW(load_text<int32_t>("1.5", oids::kNumeric), DataError);
  EXPECT_THROW(load_text<int32_t>("NaN", oids::kNumeric), DataError);
  EXPECT_THROW(load_text<int64_t>("9223372036854775808", oids::kNumeric), DataError);
  EXPECT_THROW(load_text<uint64_t>("18446744073709551616", oids::kNumeric), DataError);
  EXPECT_THROW(load_text<uint32_t>("-1", oids::kNumeric), DataError);
  EXPECT_THROW(load_binary<int32_t>(std::string("\0\1\xff\xff\0\0\0\4\0\1", 10), oids::kNumeric),
               DataError);  // 0.0001
  EXPECT_THROW(load_binary<int32_t>(std::string("\0\0\0\0\xc0\0\0\0", 8), oids::kNumeric),
               DataError);  // NaN
}

TEST(IntegerCodec, MalformedAndIncompatible) {
  EXPECT_THROW(load_text<int32_t>("", oids::kInt4), DataError);
  EXPECT_THROW(load_text<int32_t>("12a", oids::kInt4), DataError);
  EXPECT_THROW(load_text<int32_t>(" 12", oids::kInt4), DataError);
  EXPECT_THROW(load_text<int32_t>("+12", oids::kInt4), DataError);
  EXPECT_THROW(load_text<int64_t>("9223372036854775808", oids::kInt8), DataError);
  EXPECT_THROW(load_binary<int32_t>("abc", oids::kInt4), DataError);
  EXPECT_THROW(load_binary<int64_t>("abcd", oids::kInt8), DataError);
  EXPECT_THROW(load_binary<int64_t>("abcd", oids::kInt2), DataError);
  EXPECT_THROW(load_text<int32_t>("1", oids::kText), ProgrammingError);
  EXPECT_THROW(load_binary<int32_t>("1234", oids::kFloat4), ProgrammingError);
  EXPECT_THROW(load_text<int32_t>("pg_class", oids::kRegclass), ProgrammingError);
  try {
    load_text<int64_t>("x", oids::kText);
    FAIL();
  } catch (const ProgrammingError& e) {
    EXPECT_STREQ(e.what(), "cannot load text (oid 25) text data into int64_t");
  }
}

TEST(IntegerCodec, QuoteAvoidsComments) {
  EXPECT_EQ(quote(int32_t{-5}), " -5");
  EXPECT_EQ(quote(int64_t{42}), "42");
}

TEST(IntegerCodec, RandomRoundTrip) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 2000; ++i) {
    const auto v = static_cast<int64_t>(rng());
    const auto w = static_cast<int32_t>(rng());
    for (Format f : {Format::kText, Format::kBinary}) {
      ASSERT_EQ(round_trip(v, f), v);
      ASSERT_EQ(round_trip(w, f), w);
    }
  }
}

TEST(FloatCodec, SpecialValues) {
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(dump(inf, Format::kText), "Infinity");
  EXPECT_EQ(dump(-inf, Format::kText), "-Infinity");
  EXPECT_EQ(dump(std::nan(""), Format::kText), "NaN");
  EXPECT_EQ(dump(-0.0, Format::kText), "-0");
  for (Format f : {Format::kText, Format::kBinary}) {
    EXPECT_EQ(round_trip(inf, f), inf);
    EXPECT_EQ(round_trip(-inf, f), -inf);
    EXPECT_TRUE(std::isnan(round_trip(std::nan(""), f)));
    EXPECT_TRUE(std::signbit(round_trip(-0.0, f)));
    EXPECT_EQ(round_trip(std::numeric_limits<double>::denorm_min(), f),
              std::numeric_limits<double>::denorm_min());
    EXPECT_EQ(round_trip(std::numeric_limits<float>::max(), f), std::numeric_limits<float>::max());
  }
  EXPECT_EQ(load_text<double>("1e+300", oids::kFloat8), 1e300);
  EXPECT_EQ(load_text<double>("-Infinity", oids::kFloat8), -inf);
}

TEST(FloatCodec, Float4TextAndBinaryAgree) {
  const double from_text = load_text<double>("1.1", oids::kFloat4);
  const double from_binary = load_binary<double>(dump(1.1f, Format::kBinary), oids::kFloat4);
  EXPECT_EQ(from_text, from_binary);
  EXPECT_EQ(from_text, static_cast<double>(1.1f));
}

TEST(FloatCodec, Quote) {
  EXPECT_EQ(quote(1.5), "1.5");
  EXPECT_EQ(quote(-1.5), " -1.5");
  EXPECT_EQ(quote(std::numeric_limits<double>::infinity()), "'Infinity'::float8");
  EXPECT_EQ(quote(-std::numeric_limits<float>::infinity()), "'-Infinity'::float4");
  EXPECT_EQ(quote(std::nan("")), "'NaN'::float8");
  EXPECT_EQ(quote(-0.0), "'-0'::float8");  // a bare -0.0 would be numeric zero, losing the sign
  // Python's repr, as psycopg: never mistaken for an integer literal.
  EXPECT_EQ(quote(1.0), "1.0");
  EXPECT_EQ(quote(1e16), "1e+16");
  EXPECT_EQ(quote(1e-5), "1e-05");
  EXPECT_EQ(quote(0.1f), "0.1");  // float4: the shortest text for the float
}

TEST(FloatCodec, MalformedAndIncompatible) {
  EXPECT_THROW(load_text<double>("", oids::kFloat8), DataError);
  EXPECT_THROW(load_text<double>("inf", oids::kFloat8), DataError);
  EXPECT_THROW(load_text<double>("nan", oids::kFloat8), DataError);
  EXPECT_THROW(load_text<double>("1.5x", oids::kFloat8), DataError);
  EXPECT_THROW(load_text<double>("1e999", oids::kFloat8), DataError);
  EXPECT_THROW(load_binary<double>("1234", oids::kFloat8), DataError);
  EXPECT_THROW(load_binary<float>("12345678", oids::kFloat4), DataError);
  EXPECT_THROW(load_binary<float>("12345678", oids::kFloat8), ProgrammingError);
  EXPECT_THROW(load_text<double>("1", oids::kInt4), ProgrammingError);
}

TEST(FloatCodec, RandomRoundTrip) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; ++i) {
    const double v = std::bit_cast<double>(rng());
    const float w = std::bit_cast<float>(static_cast<uint32_t>(rng()));
    for (Format f : {Format::kText, Format::kBinary}) {
      if (std::isnan(v)) {
        ASSERT_TRUE(std::isnan(round_trip(v, f)));
      } else {
        ASSERT_EQ(std::bit_cast<uint64_t>(round_trip(v, f)), std::bit_cast<uint64_t>(v));
      }
      if (!std::isnan(w)) {
        ASSERT_EQ(std::bit_cast<uint32_t>(round_trip(w, f)), std::bit_cast<uint32_t>(w));
      }
    }
  }
}

TEST(CharCodec, OneByteType) {
  EXPECT_EQ(round_trip('a', Format::kText), 'a');
  EXPECT_EQ(round_trip('\xff', Format::kText), '\xff');
  EXPECT_EQ(dump('\xff', Format::kText), "\\377");
  EXPECT_EQ(round_trip('\0', Format::kText), '\0');
  EXPECT_EQ(round_trip('\0', Format::kBinary), '\0');
  EXPECT_EQ(load_text<char>("\\101", oids::kChar), 'A');
  EXPECT_THROW(load_text<char>("ab", oids::kChar), DataError);
  EXPECT_THROW(load_text<char>("\\400", oids::kChar), DataError);
  EXPECT_THROW(load_binary<char>("", oids::kChar), DataError);
  EXPECT_THROW(load_text<char>("a", oids::kText), ProgrammingError);
}

}  // namespace
}  // namespace pgcpp::testing
