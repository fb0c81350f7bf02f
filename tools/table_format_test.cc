#include "tools/table_format.h"

#include <gtest/gtest.h>

#include <sstream>

namespace pgcpp::tools {
namespace {

TEST(TableFormatTest, AlignedCountsCharactersNotBytes) {
  ResultTable t{.columns = {"n", "wörd"}, .right_align = {true, false}};
  t.rows.push_back({"1", "été"});
  t.rows.push_back({"100", std::nullopt});
  std::ostringstream out;
  write_aligned(t, out);
  EXPECT_EQ(out.str(),
            "  n  | wörd \n"
            "-----+------\n"
            "   1 | été\n"
            " 100 | \n"
            "(2 rows)\n");
}

TEST(TableFormatTest, AlignedWithoutRowsOrColumns) {
  std::ostringstream out;
  write_aligned({.columns = {"x"}}, out);
  EXPECT_EQ(out.str(), " x \n---\n(0 rows)\n");
}

TEST(TableFormatTest, CsvQuotesOnlyWhatNeedsIt) {
  ResultTable t{.columns = {"a,b", "c"}};
  t.rows.push_back({"x\ny", "\"q\""});
  t.rows.push_back({std::nullopt, ""});
  t.rows.push_back({"plain", "cr\r"});
  std::ostringstream out;
  write_csv(t, out);
  EXPECT_EQ(out.str(), "\"a,b\",c\r\n\"x\ny\",\"\"\"q\"\"\"\r\n,\"\"\r\nplain,\"cr\r\"\r\n");
}

}  // namespace
}  // namespace pgcpp::tools
