#include "pgcpp/testing/ephemeral_server.h"

#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pgcpp/testing/test_util.h"

namespace pgcpp::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing_internal::connect;
using testing_internal::process_exists;
using testing_internal::query_value;

// One server for the read-only checks of this file.
class EphemeralServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new EphemeralServer({.settings = {{"max_prepared_transactions", "10"},
                                                {"application_name", R"(it's a \ test)"}}});
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static EphemeralServer* server_;
};

EphemeralServer* EphemeralServerTest::server_ = nullptr;

TEST_F(EphemeralServerTest, AnswersSelectOneOverTcp) {
  auto conn = connect(server_->dsn());
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  EXPECT_EQ(query_value(conn.get(), "SELECT 1"), "1");
  EXPECT_EQ(query_value(conn.get(), "SELECT host(inet_server_addr())"), "127.0.0.1");
  EXPECT_EQ(query_value(conn.get(), "SELECT current_user"), "postgres");
  EXPECT_EQ(query_value(conn.get(), "SELECT inet_server_port()"), std::to_string(server_->port()));
  EXPECT_EQ(query_value(conn.get(), "SHOW server_encoding"), "UTF8");
}

TEST_F(EphemeralServerTest, DsnHasTheDocumentedShape) {
  const std::string port = std::to_string(server_->port());
  EXPECT_EQ(server_->dsn(), "host=127.0.0.1 port=" + port + " user=postgres dbname=postgres");
  EXPECT_EQ(server_->dsn("app"), "host=127.0.0.1 port=" + port + " user=postgres dbname=app");
  EXPECT_EQ(server_->host(), "127.0.0.1");
  EXPECT_GT(server_->port(), 0);
  EXPECT_TRUE(server_->running());
  EXPECT_GT(server_->pid(), 0);
}

TEST_F(EphemeralServerTest, ListensOnAShortUnixSocketFolder) {
  const std::string dir = server_->socket_dir();
  EXPECT_THAT(dir, StartsWith("/tmp/pgcpp-"));
  EXPECT_LT(dir.size(), 40u);
  EXPECT_TRUE(std::filesystem::exists(dir + "/.s.PGSQL." + std::to_string(server_->port())));
  EXPECT_THAT(server_->data_dir(), StartsWith(dir + "/"));
  const std::string dsn =
      "host=" + dir + " port=" + std::to_string(server_->port()) + " user=postgres dbname=postgres";
  EXPECT_EQ(query_value(dsn, "SELECT 1"), "1");
  EXPECT_EQ(query_value(dsn, "SHOW data_directory"), server_->data_dir());
}

TEST_F(EphemeralServerTest, CreateDatabaseQuotesTheName) {
  const std::string name = R"(Mixed "Case" db's)";
  server_->create_database(name);
  EXPECT_EQ(query_value(server_->dsn(name), "SELECT current_database()"), name);
  EXPECT_THROW(server_->create_database(name), std::runtime_error);  // exists already
}

TEST_F(EphemeralServerTest, SettingsReachTheServer) {
  auto conn = connect(server_->dsn());
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  EXPECT_EQ(query_value(conn.get(), "SHOW max_prepared_transactions"), "10");
  EXPECT_EQ(query_value(conn.get(), "SHOW application_name"), R"(it's a \ test)");
  EXPECT_EQ(query_value(conn.get(), "SHOW fsync"), "off");
  EXPECT_EQ(query_value(conn.get(), "SHOW listen_addresses"), "127.0.0.1");
}

TEST_F(EphemeralServerTest, ExecuteReportsTheServersError) {
  server_->execute("CREATE TABLE execute_check (x int); INSERT INTO execute_check VALUES (7)");
  EXPECT_EQ(query_value(server_->dsn(), "SELECT x FROM execute_check"), "7");
  try {
    server_->execute("SELEC 1");
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("syntax error"));
  }
}

TEST_F(EphemeralServerTest, TwoServersRunAtOnce) {
  EphemeralServer second;
  EXPECT_NE(second.port(), server_->port());
  EXPECT_NE(second.pid(), server_->pid());
  EXPECT_NE(second.data_dir(), server_->data_dir());
  EXPECT_EQ(query_value(second.dsn(), "SHOW data_directory"), second.data_dir());
  EXPECT_EQ(query_value(server_->dsn(), "SHOW data_directory"), server_->data_dir());
}

TEST(EphemeralServerLifecycle, StopStartAndRestart) {
  EphemeralServer server;
  const int port = server.port();
  const int first_pid = server.pid();
  server.execute("CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)");

  server.stop();
  EXPECT_FALSE(server.running());
  EXPECT_EQ(server.pid(), -1);
  EXPECT_FALSE(process_exists(first_pid));
  EXPECT_THAT(query_value(server.dsn(), "SELECT 1"), HasSubstr("Connection refused"));
  server.stop();  // no-op

  server.start();
  EXPECT_TRUE(server.running());
  EXPECT_EQ(server.port(), port);
  EXPECT_EQ(query_value(server.dsn(), "SELECT x FROM kept"), "42");

  auto before = connect(server.dsn());
  ASSERT_EQ(PQstatus(before.get()), CONNECTION_OK) << PQerrorMessage(before.get());
  const int second_pid = server.pid();
  server.restart();
  EXPECT_NE(server.pid(), second_pid);
  EXPECT_FALSE(process_exists(second_pid));
  EXPECT_THAT(query_value(before.get(), "SELECT 1"), StartsWith("ERROR"));
  EXPECT_EQ(PQstatus(before.get()), CONNECTION_BAD);
  EXPECT_EQ(query_value(server.dsn(), "SELECT x FROM kept"), "42");
}

TEST(EphemeralServerOptions, BadOptionsAreRejectedBeforeAnythingStarts) {
  using Auth = ServerOptions::Auth;
  EXPECT_THROW(EphemeralServer({.auth = Auth::kScramSha256}), std::invalid_argument);
  EXPECT_THROW(EphemeralServer({.settings = {{"Bad Name", "1"}}}), std::invalid_argument);
  EXPECT_THROW(EphemeralServer({.settings = {{"work_mem", "1\n2"}}}), std::invalid_argument);
  EXPECT_THROW(EphemeralServer({.password = "two\nlines"}), std::invalid_argument);
  EXPECT_THROW(EphemeralServer({.port = 70000}), std::invalid_argument);
}

TEST(EphemeralServerOptions, AFixedPortIsUsedOrItsConflictReported) {
  int holder = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(bind(holder, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(holder, 1), 0);
  ASSERT_EQ(getsockname(holder, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const int port = ntohs(address.sin_port);
  try {
    EphemeralServer server({.port = port});
    FAIL() << "started on a port in use";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("port " + std::to_string(port) + " (in use)"));
  }
  close(holder);
  EphemeralServer server({.port = port});
  EXPECT_EQ(server.port(), port);
  EXPECT_EQ(query_value(server.dsn(), "SELECT inet_server_port()"), std::to_string(port));
}

TEST(EphemeralServerBinaries, MissingBinariesSayToRunBootstrap) {
  setenv("PGCPP_PG_BINDIR", "/nonexistent", 1);
  try {
    EphemeralServer server;
    FAIL() << "started without binaries";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("tools/bootstrap.sh"));
    EXPECT_THAT(e.what(), HasSubstr("/nonexistent/initdb"));
  }
  unsetenv("PGCPP_PG_BINDIR");
}

}  // namespace
}  // namespace pgcpp::testing
