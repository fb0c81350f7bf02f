#include "pgcpp/testing/conninfo.h"

#include <stdexcept>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pgcpp::testing_internal {
namespace {

using ::testing::HasSubstr;

TEST(ConninfoQuote, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(conninfo_quote("plain"), "plain");
  EXPECT_EQ(conninfo_quote(""), "''");
  EXPECT_EQ(conninfo_quote("two words"), "'two words'");
  EXPECT_EQ(conninfo_quote(R"(it's \ here)"), R"('it\'s \\ here')");
  EXPECT_EQ(conninfo_quote("a=b"), "'a=b'");
}

TEST(ConninfoWith, OverridesAndRemoves) {
  EXPECT_EQ(conninfo_with("host=h port=1 dbname=d", {{"port", "2"}, {"dbname", ""}}),
            "host=h port=2");
  EXPECT_EQ(conninfo_with("", {{"application_name", "a b"}}), "application_name='a b'");
}

TEST(ConninfoWith, AcceptsUris) {
  EXPECT_EQ(conninfo_with("postgresql://u:p@h:5/d?sslmode=require", {}),
            "user=u password=p dbname=d host=h port=5 sslmode=require");
}

TEST(ConninfoWith, RoundTripsQuotedValues) {
  const std::string dsn = conninfo_with("", {{"dbname", R"(it's a \ name)"}});
  EXPECT_EQ(conninfo_get(dsn, "dbname"), R"(it's a \ name)");
}

TEST(ConninfoWith, RejectsWhatLibpqRejects) {
  try {
    conninfo_with("port=1 nonsense", {});
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("nonsense"));
  }
  EXPECT_THROW(conninfo_get("bogus_key=1", "host"), std::invalid_argument);
}

TEST(ConninfoGet, ReadsOneKey) {
  EXPECT_EQ(conninfo_get("host=h port=1", "port"), "1");
  EXPECT_EQ(conninfo_get("host=h", "port"), "");
}

}  // namespace
}  // namespace pgcpp::testing_internal
