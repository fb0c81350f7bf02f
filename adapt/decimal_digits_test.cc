#include "pgcpp/adapt/decimal_digits.h"

#include <cstring>
#include <string>
#include <utility>

#include "gtest/gtest.h"

namespace pgcpp::adapt_internal {
namespace {

DecimalDigits make(std::string_view digits) {
  DecimalDigits d;
  d.assign(digits);
  return d;
}

TEST(DecimalDigits, HoldsShortAndLongCoefficients) {
  EXPECT_EQ(make("").view(), "");
  EXPECT_TRUE(make("").empty());
  EXPECT_EQ(make("1234567890123456").view(), "1234567890123456");  // kInline digits
  const std::string long_digits(1000, '7');
  EXPECT_EQ(make(long_digits).view(), long_digits);
}

TEST(DecimalDigits, CopiesAreIndependent) {
  for (const std::string& digits : {std::string("42"), std::string(40, '9')}) {
    DecimalDigits a = make(digits);
    DecimalDigits b = a;
    a.assign("1");
    EXPECT_EQ(b.view(), digits);
    EXPECT_EQ(a.view(), "1");
    b = a;
    EXPECT_EQ(b.view(), "1");
    b = b;  // self-assignment keeps the digits
    EXPECT_EQ(b.view(), "1");
  }
}

TEST(DecimalDigits, MovesLeaveTheSourceEmpty) {
  for (const std::string& digits : {std::string("42"), std::string(40, '9')}) {
    DecimalDigits a = make(digits);
    DecimalDigits b = std::move(a);
    EXPECT_EQ(b.view(), digits);
    EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): the state is specified
    a = std::move(b);
    EXPECT_EQ(a.view(), digits);
    EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move)
  }
}

TEST(DecimalDigits, ShortAfterLongAndLongAfterShort) {
  DecimalDigits d = make(std::string(40, '5'));
  d.assign("123");
  EXPECT_EQ(d.view(), "123");
  d.assign(std::string(17, '8'));
  EXPECT_EQ(d.view(), std::string(17, '8'));
}

TEST(DecimalDigits, InlineWindowOfABlock) {
  DecimalDigits::Block block;
  std::memcpy(block.data(), "0000001234567800", 16);
  EXPECT_EQ(DecimalDigits::leading_zeros(block), 6);
  DecimalDigits d = make(std::string(40, '5'));  // replaces heap digits too
  d.set_inline(block, 6, 8);
  EXPECT_EQ(d.view(), "12345678");
  std::memcpy(block.data(), "0000000000000009", 16);
  EXPECT_EQ(DecimalDigits::leading_zeros(block), 15);
  std::memcpy(block.data(), "0000000000000000", 16);
  EXPECT_EQ(DecimalDigits::leading_zeros(block), 16);
  std::memcpy(block.data(), "9000000000000000", 16);
  EXPECT_EQ(DecimalDigits::leading_zeros(block), 0);
}

}  // namespace
}  // namespace pgcpp::adapt_internal
