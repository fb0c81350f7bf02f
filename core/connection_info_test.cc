#include "pgcpp/core/connection_info.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pgcpp/core/connection.h"
#include "pgcpp/testing/database.h"
#include "pgcpp/testing/ephemeral_server.h"

namespace pgcpp {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class ConnectionInfoTest : public pgcpp::testing::DatabaseTest {};

TEST_F(ConnectionInfoTest, DescribesTheConnection) {
  Connection conn = Connection::connect(dsn(), {.application_name = "info-test"});
  ConnectionInfo info = conn.info();
  ConnInfoDict expected = conninfo_to_dict(dsn());
  EXPECT_EQ(info.vendor(), "PostgreSQL");
  EXPECT_EQ(info.host(), expected.at("host"));
  EXPECT_EQ(info.port(), std::stoi(expected.at("port")));
  EXPECT_EQ(info.dbname(), expected.at("dbname"));
  EXPECT_EQ(info.user(), expected.at("user"));
  EXPECT_EQ(info.status(), ConnStatus::kOk);
  EXPECT_EQ(info.transaction_status(), TransactionStatus::kIdle);
  EXPECT_EQ(info.pipeline_status(), PipelineStatus::kOff);
  EXPECT_GE(info.server_version(), 150000);
  EXPECT_EQ(info.backend_pid(), PQbackendPID(conn.base().pgconn()));
  EXPECT_TRUE(info.secret_key().has_value());
  EXPECT_EQ(info.encoding(), "UTF8");
  EXPECT_FALSE(info.timezone().empty());
  EXPECT_EQ(info.parameter_status("application_name"), "info-test");
  EXPECT_EQ(info.parameter_status("no_such_parameter"), std::nullopt);
  EXPECT_EQ(info.password(), std::nullopt);
}

TEST_F(ConnectionInfoTest, TransactionStatusFollowsTheSession) {
  Connection conn = Connection::connect(dsn());
  conn.exec_command("BEGIN");
  EXPECT_EQ(conn.info().transaction_status(), TransactionStatus::kInTrans);
  EXPECT_THROW(conn.exec_command("SELECT 1/0"), DataError);
  EXPECT_EQ(conn.info().transaction_status(), TransactionStatus::kInError);
}

TEST_F(ConnectionInfoTest, ParametersAndDsnLeaveDefaultsAndPasswordOut) {
  Connection conn = Connection::connect(dsn(), {.application_name = "foo"});
  ConnInfoDict params = conn.info().get_parameters();
  EXPECT_EQ(params.at("application_name"), "foo");
  EXPECT_EQ(params.count("password"), 0u);
  EXPECT_EQ(params.count("sslmode"), 0u) << "sslmode=prefer is libpq's default";
  EXPECT_THAT(conn.info().dsn(), HasSubstr("application_name=foo"));
  // The dsn connects again to the same place.
  Connection again = Connection::connect(conn.info().dsn());
  EXPECT_EQ(again.info().dbname(), conn.info().dbname());
}

TEST(ConnectionInfoPassword, IsMaskedAndNeverInTheDsn) {
  pgcpp::testing::EphemeralServer server(
      {.auth = pgcpp::testing::ServerOptions::Auth::kScramSha256, .password = "s3cret pw"});
  Connection conn = Connection::connect(server.dsn(), {.password = "s3cret pw"});
  ConnectionInfo info = conn.info();
  EXPECT_EQ(info.password(), "********");
  EXPECT_THAT(info.dsn(), Not(HasSubstr("s3cret")));
  EXPECT_THAT(info.dsn(), Not(HasSubstr("password")));
  for (const auto& [key, value] : info.get_parameters()) {
    EXPECT_THAT(value, Not(HasSubstr("s3cret"))) << key;
  }
}

TEST_F(ConnectionInfoTest, ClosedConnectionRaisesExceptForStatus) {
  Connection conn = Connection::connect(dsn());
  conn.close();
  EXPECT_EQ(conn.info().status(), ConnStatus::kBad);
  EXPECT_EQ(conn.info().transaction_status(), TransactionStatus::kUnknown);
  EXPECT_THROW(conn.info().backend_pid(), OperationalError);
  EXPECT_THROW(conn.info().dsn(), OperationalError);
}

}  // namespace
}  // namespace pgcpp
