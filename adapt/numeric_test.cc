#include "pgcpp/adapt/numeric.h"

#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "pgcpp/adapt/codec_test_util.h"

namespace pgcpp::testing {
namespace {

void expect_identical(const Numeric& a, const Numeric& b) {
  EXPECT_TRUE(a.identical(b)) << a.to_string() << " vs " << b.to_string();
}

TEST(Numeric, ParseAndPrint) {
  EXPECT_EQ(Numeric("123.4500").to_string(), "123.4500");
  EXPECT_EQ(Numeric("-0.001").to_string(), "-0.001");
  EXPECT_EQ(Numeric("-0.000").to_string(), "0.000");
  EXPECT_EQ(Numeric("00012").to_string(), "12");
  EXPECT_EQ(Numeric(".5").to_string(), "0.5");
  EXPECT_EQ(Numeric("5.").to_string(), "5");
  EXPECT_EQ(Numeric("1e10").to_string(), "10000000000");
  EXPECT_EQ(Numeric("1.5e-3").to_string(), "0.0015");
  EXPECT_EQ(Numeric("+7").to_string(), "7");
  EXPECT_EQ(Numeric("nan").to_string(), "NaN");
  EXPECT_EQ(Numeric("-inf").to_string(), "-Infinity");
  EXPECT_EQ(Numeric("Infinity").to_string(), "Infinity");
  EXPECT_EQ(Numeric().to_string(), "0");
  EXPECT_EQ(Numeric(int64_t{-9223372036854775807 - 1}).to_string(), "-9223372036854775808");
  EXPECT_EQ(Numeric("1.50").scale(), 2);
}

TEST(Numeric, Malformed) {
  for (const char* bad : {"", "-", ".", "1.2.3", "1e", "1e+", "abc", "1 ", " 1", "1x", "--1",
                          "1e1000000000", "1e-20000", "infinityx"}) {
    EXPECT_THROW(Numeric::parse(bad), DataError) << bad;
  }
}

TEST(Numeric, EqualityAndOrder) {
  EXPECT_EQ(Numeric("1.50"), Numeric("1.5"));
  EXPECT_FALSE(Numeric("1.50").identical(Numeric("1.5")));
  EXPECT_EQ(Numeric::nan(), Numeric::nan());
  EXPECT_LT(Numeric("-Infinity"), Numeric("-1e100"));
  EXPECT_LT(Numeric("1e100"), Numeric::infinity());
  EXPECT_LT(Numeric::infinity(), Numeric::nan());
  EXPECT_LT(Numeric("-2"), Numeric("-1.999"));
  EXPECT_LT(Numeric("0.0001"), Numeric("0.001"));
  EXPECT_LT(Numeric("99.99"), Numeric("100"));
  EXPECT_EQ(Numeric("0"), Numeric("-0.00"));
  EXPECT_LT(Numeric("1.0001"), Numeric("1.001"));
}

TEST(Numeric, Conversions) {
  EXPECT_EQ(Numeric("19.90").to_double(), 19.9);
  EXPECT_EQ(Numeric("-1e400").to_double(), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(Numeric("1e-400").to_double(), 0.0);
  EXPECT_TRUE(std::isnan(Numeric::nan().to_double()));
  EXPECT_EQ(Numeric("42.000").to<int32_t>(), 42);
  EXPECT_EQ(Numeric("-9223372036854775808").to<int64_t>(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(Numeric("18446744073709551615").to<uint64_t>(), std::numeric_limits<uint64_t>::max());
  EXPECT_THROW(Numeric("1.5").to<int32_t>(), DataError);
  EXPECT_THROW(Numeric("2147483648").to<int32_t>(), DataError);
  EXPECT_THROW(Numeric("-1").to<uint32_t>(), DataError);
  EXPECT_THROW(Numeric("1e30").to<int64_t>(), DataError);
  EXPECT_THROW(Numeric::nan().to<int64_t>(), DataError);
  EXPECT_EQ(Numeric::from_double(0.1).to_string(), "0.1");
  EXPECT_EQ(Numeric::from_double(1e300), Numeric("1e300"));
  EXPECT_EQ(Numeric::from_double(-std::numeric_limits<double>::infinity()).kind(),
            Numeric::Kind::kNegativeInfinity);
}

TEST(NumericCodec, KnownBinaryEncodings) {
  // 1234.5678: weight 0, digits [1234, 5678], dscale 4.
  EXPECT_EQ(dump(Numeric("1234.5678"), Format::kBinary),
            std::string("\0\2\0\0\0\0\0\4\x04\xd2\x16\x2e", 12));
  // -0.001: weight -1, digits [10], dscale 3.
  EXPECT_EQ(dump(Numeric("-0.001"), Format::kBinary),
            std::string("\0\1\xff\xff\x40\0\0\3\0\x0a", 10));
  // 1e-20: weight -5, digits [1].
  EXPECT_EQ(dump(Numeric("1e-20"), Format::kBinary), std::string("\0\1\xff\xfb\0\0\0\x14\0\1", 10));
  EXPECT_EQ(dump(Numeric::nan(), Format::kBinary), std::string("\0\0\0\0\xc0\0\0\0", 8));
  EXPECT_EQ(dump(Numeric::infinity(), Format::kBinary), std::string("\0\0\0\0\xd0\0\0\0", 8));
  EXPECT_EQ(dump(Numeric::negative_infinity(), Format::kBinary),
            std::string("\0\0\0\0\xf0\0\0\0", 8));
  EXPECT_EQ(dump(Numeric("0.00"), Format::kBinary), std::string("\0\0\0\0\0\0\0\2", 8));
  EXPECT_EQ(dump(Numeric("10000"), Format::kBinary), std::string("\0\1\0\1\0\0\0\0\0\1", 10));
}

TEST(NumericCodec, EdgeValuesRoundTripExactly) {
  std::string thousand_digits(1000, '7');
  std::string tiny = "0." + std::string(999, '0') + "1";
  for (const std::string& text :
       {std::string("0"), std::string("0.000"), std::string("-1.50"), std::string("9999.9999"),
        std::string("10000.0001"), std::string("123456789012345678901234567890.123456789"),
        thousand_digits, "-" + thousand_digits + ".5", tiny, std::string("NaN"),
        std::string("Infinity"), std::string("-Infinity"), std::string("1e-16383"),
        std::string("1e131071")}) {
    for (Format f : {Format::kText, Format::kBinary}) {
      expect_identical(round_trip(Numeric(text), f), Numeric(text));
    }
  }
}

TEST(NumericCodec, LoadsIntegerColumns) {
  EXPECT_EQ(load_text<Numeric>("-12", oids::kInt8), Numeric("-12"));
  EXPECT_EQ(load_binary<Numeric>(std::string("\0\7", 2), oids::kInt2), Numeric("7"));
  EXPECT_THROW(load_text<Numeric>("1", oids::kFloat8), ProgrammingError);
}

TEST(NumericCodec, MalformedBinary) {
  EXPECT_THROW(load_binary<Numeric>("", oids::kNumeric), DataError);
  EXPECT_THROW(load_binary<Numeric>(std::string("\0\1\0\0\0\0\0\0", 8), oids::kNumeric),
               DataError);  // a digit announced, none follows
  EXPECT_THROW(load_binary<Numeric>(std::string("\0\1\0\0\0\0\0\0\x27\x10", 10), oids::kNumeric),
               DataError);  // digit 10000
  EXPECT_THROW(load_binary<Numeric>(std::string("\0\0\0\0\x12\x34\0\0", 8), oids::kNumeric),
               DataError);  // bad sign
  EXPECT_THROW(load_binary<Numeric>(std::string("\0\0\0\0\0\0\xff\xff", 8), oids::kNumeric),
               DataError);  // negative dscale
  EXPECT_THROW(load_binary<Numeric>(std::string("\0\1\xff\xff\0\0\0\0\0\1", 10), oids::kNumeric),
               DataError);  // 0.0001 with dscale 0: digits beyond dscale
  EXPECT_THROW(load_binary<Numeric>(std::string("\xff\xff\0\0\0\0\0\0", 8), oids::kNumeric),
               DataError);  // negative digit count
}

TEST(NumericCodec, Quote) {
  EXPECT_EQ(quote(Numeric("-1.5")), " -1.5");
  EXPECT_EQ(quote(Numeric("2")), "2");
  EXPECT_EQ(quote(Numeric::nan()), "'NaN'::numeric");
  EXPECT_EQ(quote(Numeric::negative_infinity()), "'-Infinity'::numeric");
}

TEST(NumericCodec, RandomRoundTrip) {
  std::mt19937_64 rng(1234);
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    if (rng() % 2) text.push_back('-');
    const int int_digits = static_cast<int>(rng() % 30);
    const int frac_digits = static_cast<int>(rng() % 30);
    for (int d = 0; d < int_digits; ++d) text.push_back(static_cast<char>('0' + rng() % 10));
    if (int_digits == 0) text.push_back('0');
    if (frac_digits > 0) {
      text.push_back('.');
      for (int d = 0; d < frac_digits; ++d) text.push_back(static_cast<char>('0' + rng() % 10));
    }
    const Numeric v(text);
    for (Format f : {Format::kText, Format::kBinary}) {
      const Numeric back = round_trip(v, f);
      ASSERT_TRUE(back.identical(v)) << text << " -> " << back.to_string();
    }
  }
}

}  // namespace
}  // namespace pgcpp::testing
