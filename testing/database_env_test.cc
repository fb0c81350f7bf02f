// PGCPP_TEST_DSN: the suite databases go to the server it names, and no
// ephemeral server is started. The variable is read on first use, so this
// binary sets it before any suite asks for the shared server.
#include <libpq-fe.h>

#include <cstdlib>
#include <string>

#include "gtest/gtest.h"
#include "pgcpp/testing/database.h"
#include "pgcpp/testing/ephemeral_server.h"
#include "pgcpp/testing/test_util.h"

namespace pgcpp::testing {
namespace {

using testing_internal::query_value;

// Stands for the existing server a developer would point PGCPP_TEST_DSN at,
// with a role of their own.
EphemeralServer* existing_server = nullptr;
std::string existing_dsn;

class EnvironmentDsnTest : public DatabaseTest {
 protected:
  static void SetUpTestSuite() {
    existing_server = new EphemeralServer();
    existing_server->execute("CREATE ROLE tester LOGIN CREATEDB");
    existing_dsn = "host=127.0.0.1 port=" + std::to_string(existing_server->port()) +
                   " user=tester dbname=postgres";
    setenv("PGCPP_TEST_DSN", existing_dsn.c_str(), 1);
    DatabaseTest::SetUpTestSuite();
  }
  static void TearDownTestSuite() {
    DatabaseTest::TearDownTestSuite();
    unsetenv("PGCPP_TEST_DSN");
    delete existing_server;
    existing_server = nullptr;
  }
};

TEST_F(EnvironmentDsnTest, SharedServerIsTheOneNamed) {
  EXPECT_EQ(shared_server_dsn(), existing_dsn);
}

TEST_F(EnvironmentDsnTest, SuiteDatabaseLivesOnThatServer) {
  ASSERT_FALSE(dsn().empty());
  EXPECT_EQ(query_value(dsn(), "SELECT inet_server_port()"),
            std::to_string(existing_server->port()));
  EXPECT_EQ(query_value(dsn(), "SELECT current_user || ' ' || current_database()"),
            "tester " + database_name());
  EXPECT_EQ(
      query_value(existing_server->dsn(),
                  "SELECT count(*) FROM pg_database WHERE datname = '" + database_name() + "'"),
      "1");
}

}  // namespace
}  // namespace pgcpp::testing
