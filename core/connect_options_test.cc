#include "pgcpp/core/connect_options.h"

#include <string>

#include "gtest/gtest.h"
#include "pgcpp/core/conninfo.h"
#include "pgcpp/core/error_testing.h"
#include "pgcpp/core/errors.h"

namespace pgcpp {
namespace {

TEST(ConnectOptionsTest, DefaultsAreThoseOfPsycopg) {
  ConnectOptions options;
  EXPECT_FALSE(options.autocommit);
  EXPECT_EQ(options.prepare_threshold, 5);
  EXPECT_TRUE(conninfo_overrides(options).empty());
}

TEST(ConnectOptionsTest, SetFieldsBecomeOverrides) {
  ConnectOptions options{.autocommit = true,
                         .prepare_threshold = std::nullopt,
                         .host = "db.example.com",
                         .port = 5433,
                         .dbname = "app",
                         .user = "me",
                         .password = "it's secret",
                         .sslmode = "require",
                         .connect_timeout = 10,
                         .application_name = "my app",
                         .params = {{"target_session_attrs", "read-write"}}};
  EXPECT_EQ(conninfo_overrides(options), (ConnInfoDict{{"host", "db.example.com"},
                                                       {"port", "5433"},
                                                       {"dbname", "app"},
                                                       {"user", "me"},
                                                       {"password", "it's secret"},
                                                       {"sslmode", "require"},
                                                       {"connect_timeout", "10"},
                                                       {"application_name", "my app"},
                                                       {"target_session_attrs", "read-write"}}));
}

TEST(ConnectOptionsTest, OverridesWinOverTheConninfoString) {
  const std::string conninfo = make_conninfo(
      "host=a dbname=x user=u", conninfo_overrides({.host = "b", .port = 5432, .dbname = "y"}));
  EXPECT_EQ(conninfo_to_dict(conninfo),
            (ConnInfoDict{{"host", "b"}, {"port", "5432"}, {"dbname", "y"}, {"user", "u"}}));
  // An empty string is a value, unlike an unset field.
  EXPECT_EQ(conninfo_to_dict(make_conninfo("password=p", conninfo_overrides({.password = ""}))),
            (ConnInfoDict{{"password", ""}}));
}

TEST(ConnectOptionsTest, AKeywordGivenTwiceIsAProgrammingError) {
  EXPECT_EQ(core_testing::what_of<ProgrammingError>([] {
              conninfo_overrides({.host = "a", .params = {{"host", "b"}}});
            }),
            "connection option \"host\" given both as ConnectOptions::host and in "
            "ConnectOptions::params");
  // Only set fields conflict.
  EXPECT_EQ(conninfo_overrides({.params = {{"host", "b"}}}), (ConnInfoDict{{"host", "b"}}));
}

TEST(ConnectOptionsTest, UnknownKeywordInParamsIsRejectedByMakeConninfo) {
  EXPECT_EQ(core_testing::what_of<ProgrammingError>([] {
              make_conninfo("", conninfo_overrides({.params = {{"foo", "bar"}}}));
            }),
            R"(invalid connection option "foo")");
}

}  // namespace
}  // namespace pgcpp
