#include "pgcpp/testing/database.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pgcpp/testing/test_util.h"

namespace pgcpp::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing_internal::query_value;

std::string first_suite_database;  // set by FirstSuite, checked by SecondSuite

class FirstSuite : public DatabaseTest {};
class SecondSuite : public DatabaseTest {};

TEST_F(FirstSuite, HasAFreshDatabaseOfItsOwn) {
  ASSERT_FALSE(dsn().empty());
  EXPECT_THAT(database_name(), StartsWith("pgcpp_firstsuite_"));
  EXPECT_EQ(query_value(dsn(), "SELECT current_database()"), database_name());
  EXPECT_EQ(query_value(dsn(),
                        "SELECT count(*) FROM pg_class WHERE relnamespace = "
                        "'public'::regnamespace"),
            "0");
  EXPECT_EQ(query_value(dsn(), "CREATE TABLE first_suite_table (x int) ; SELECT 1"), "1");
  first_suite_database = database_name();
}

TEST_F(SecondSuite, HasAnotherDatabaseAndTheFirstIsDropped) {
  if (first_suite_database.empty()) GTEST_SKIP() << "FirstSuite did not run before";
  EXPECT_NE(database_name(), first_suite_database);
  EXPECT_EQ(query_value(dsn(), "SELECT to_regclass('first_suite_table') IS NULL"), "t");
  EXPECT_EQ(query_value(dsn(), "SELECT count(*) FROM pg_database WHERE datname = '" +
                                   first_suite_database + "'"),
            "0");
}

// A suite with fixtures of its own, built on the suite database.
class SuiteWithSchema : public DatabaseTest {
 protected:
  static void SetUpTestSuite() {
    DatabaseTest::SetUpTestSuite();
    ASSERT_EQ(query_value(dsn(),
                          "CREATE TABLE items (id int); INSERT INTO items VALUES (1), (2);"
                          "SELECT count(*) FROM items"),
              "2");
  }
  static void TearDownTestSuite() { DatabaseTest::TearDownTestSuite(); }
};

TEST_F(SuiteWithSchema, SeesItsFixture) {
  EXPECT_EQ(query_value(dsn(), "SELECT sum(id) FROM items"), "3");
}

TEST(SharedServer, IsStartedOnceWithPreparedTransactions) {
  const std::string& dsn = shared_server_dsn();
  EXPECT_EQ(&dsn, &shared_server_dsn());
  EXPECT_EQ(query_value(dsn, "SELECT 1"), "1");
  if (std::getenv("PGCPP_TEST_DSN") == nullptr) {
    EXPECT_EQ(query_value(dsn, "SHOW max_prepared_transactions"), "10");
  }
}

TEST(DsnWithDbname, ReplacesOnlyTheDatabase) {
  EXPECT_EQ(dsn_with_dbname("host=h port=1 dbname=a user=u", "b c"),
            "user=u host=h port=1 dbname='b c'");
  EXPECT_EQ(dsn_with_dbname("postgresql://u@h:1/a", "b"), "user=u host=h port=1 dbname=b");
  EXPECT_THROW(dsn_with_dbname("nonsense", "b"), std::invalid_argument);
}

}  // namespace
}  // namespace pgcpp::testing
