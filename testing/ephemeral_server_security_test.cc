// TLS and SCRAM on ephemeral servers, checked with plain libpq.
#include <libpq-fe.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pgcpp/testing/ephemeral_server.h"
#include "pgcpp/testing/test_util.h"

namespace pgcpp::testing {
namespace {

using ::testing::HasSubstr;
using testing_internal::connect;
using testing_internal::query_value;

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new EphemeralServer({.tls = true}); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  // A DSN for the server with the given host/sslmode options.
  static std::string dsn(const std::string& options) {
    return "port=" + std::to_string(server_->port()) + " user=postgres dbname=postgres " + options;
  }
  static EphemeralServer* server_;
};

EphemeralServer* TlsTest::server_ = nullptr;

TEST_F(TlsTest, VerifyFullWithLocalhostSucceeds) {
  auto conn = connect(dsn("host=localhost hostaddr=127.0.0.1 sslmode=verify-full sslrootcert=" +
                          server_->ca_file()));
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  EXPECT_EQ(PQsslInUse(conn.get()), 1);
  EXPECT_EQ(query_value(conn.get(), "SHOW ssl"), "on");
  EXPECT_EQ(query_value(conn.get(), "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"),
            "t");
}

TEST_F(TlsTest, VerifyFullMatchesTheIpAddress) {
  auto conn = connect(dsn("host=127.0.0.1 sslmode=verify-full sslrootcert=" + server_->ca_file()));
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  EXPECT_EQ(PQsslInUse(conn.get()), 1);
}

TEST_F(TlsTest, VerifyFullRejectsAnotherHostName) {
  auto conn =
      connect(dsn("host=wrong.example hostaddr=127.0.0.1 sslmode=verify-full "
                  "sslrootcert=" +
                  server_->ca_file()));
  EXPECT_EQ(PQstatus(conn.get()), CONNECTION_BAD);
  EXPECT_THAT(PQerrorMessage(conn.get()), HasSubstr("does not match host name \"wrong.example\""));
}

TEST_F(TlsTest, RequireUsesTls) {
  auto conn = connect(server_->dsn() + " sslmode=require");
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  EXPECT_EQ(PQsslInUse(conn.get()), 1);
  EXPECT_EQ(query_value(conn.get(), "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"),
            "t");
}

TEST_F(TlsTest, VerifyCaSucceeds) {
  auto conn = connect(dsn("host=127.0.0.1 sslmode=verify-ca sslrootcert=" + server_->ca_file()));
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  EXPECT_EQ(PQsslInUse(conn.get()), 1);
}

TEST_F(TlsTest, VerifyCaRejectsAnotherCa) {
  const std::string other_cas = "/etc/ssl/certs/ca-certificates.crt";
  if (!std::filesystem::exists(other_cas)) GTEST_SKIP() << other_cas << " is not installed";
  auto conn = connect(dsn("host=127.0.0.1 sslmode=verify-ca sslrootcert=" + other_cas));
  EXPECT_EQ(PQstatus(conn.get()), CONNECTION_BAD);
  EXPECT_THAT(PQerrorMessage(conn.get()), HasSubstr("certificate verify failed"));
}

TEST_F(TlsTest, DisableStillWorks) {
  auto conn = connect(server_->dsn() + " sslmode=disable");
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  EXPECT_EQ(PQsslInUse(conn.get()), 0);
}

class ScramTest : public ::testing::Test {
 protected:
  static constexpr char kPassword[] = R"(s3cret 'pass\word)";
  static void SetUpTestSuite() {
    server_ =
        new EphemeralServer({.auth = ServerOptions::Auth::kScramSha256, .password = kPassword});
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  // TCP, no password, and no ~/.pgpass either.
  static std::string passwordless_dsn() {
    return "host=127.0.0.1 port=" + std::to_string(server_->port()) +
           " user=postgres dbname=postgres passfile=/dev/null";
  }
  static EphemeralServer* server_;
};

EphemeralServer* ScramTest::server_ = nullptr;

TEST_F(ScramTest, RightPasswordConnects) {
  EXPECT_EQ(
      query_value(passwordless_dsn() + R"( password='s3cret \'pass\\word')", "SELECT current_user"),
      "postgres");
  EXPECT_EQ(query_value(server_->dsn(), "SELECT 1"), "1");  // dsn() carries the password
}

TEST_F(ScramTest, WrongPasswordIsRejected) {
  auto conn = connect(passwordless_dsn() + " password=wrong");
  EXPECT_EQ(PQstatus(conn.get()), CONNECTION_BAD);
  EXPECT_THAT(PQerrorMessage(conn.get()),
              HasSubstr("password authentication failed for user \"postgres\""));
}

TEST_F(ScramTest, NoPasswordIsRejected) {
  auto conn = connect(passwordless_dsn());
  EXPECT_EQ(PQstatus(conn.get()), CONNECTION_BAD);
  EXPECT_THAT(PQerrorMessage(conn.get()), HasSubstr("no password supplied"));
}

TEST_F(ScramTest, ServerUsesScram) {
  auto conn = connect(server_->dsn());
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  EXPECT_EQ(query_value(conn.get(),
                        "SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid "
                        "WHERE rolname = 'postgres'"),
            "t");
  EXPECT_EQ(query_value(conn.get(),
                        "SELECT string_agg(DISTINCT auth_method, ',') FROM pg_hba_file_rules "
                        "WHERE type = 'host'"),
            "scram-sha-256");
}

TEST_F(ScramTest, TheUnixSocketStaysTrustedForTheHarness) {
  server_->create_database("scram_db");
  EXPECT_EQ(query_value(server_->dsn("scram_db"), "SELECT current_database()"), "scram_db");
}

TEST_F(ScramTest, CaFileNeedsTls) { EXPECT_THROW(server_->ca_file(), std::logic_error); }

}  // namespace
}  // namespace pgcpp::testing
