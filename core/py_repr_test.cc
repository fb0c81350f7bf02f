#include "pgcpp/core/py_repr.h"

#include "gtest/gtest.h"

namespace pgcpp::core_internal {
namespace {

TEST(PyReprTest, QuotesLikePython) {
  EXPECT_EQ(py_repr("abc"), "'abc'");
  EXPECT_EQ(py_repr(""), "''");
  EXPECT_EQ(py_repr("it's"), "\"it's\"");
  EXPECT_EQ(py_repr("say \"hi\""), "'say \"hi\"'");
  EXPECT_EQ(py_repr("it's \"x\""), "'it\\'s \"x\"'");
}

TEST(PyReprTest, EscapesBackslashesAndControlCharacters) {
  EXPECT_EQ(py_repr("a\\b"), "'a\\\\b'");
  EXPECT_EQ(py_repr("a\tb\nc\rd"), "'a\\tb\\nc\\rd'");
  EXPECT_EQ(py_repr(std::string_view("a\0b", 3)), "'a\\x00b'");
  EXPECT_EQ(py_repr("\x7f"), "'\\x7f'");
  EXPECT_EQ(py_repr("\xc2\xa0"), "'\\xa0'");  // U+00A0 is not printable for Python
}

TEST(PyReprTest, KeepsPrintableUnicodeAndShowsInvalidBytes) {
  EXPECT_EQ(py_repr("caf\xc3\xa9 \xe2\x98\x83"), "'caf\xc3\xa9 \xe2\x98\x83'");
  EXPECT_EQ(py_repr("a\xff"), "'a\\xff'");
  EXPECT_EQ(py_repr("\xe2\x98"), "'\\xe2\\x98'");  // truncated sequence
}

}  // namespace
}  // namespace pgcpp::core_internal
