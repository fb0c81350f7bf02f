// Connection::connect against servers that need TLS or a SCRAM password.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "pgcpp/core/connection.h"
#include "pgcpp/core/error_testing.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/testing/ephemeral_server.h"

namespace pgcpp {
namespace {

using pgcpp::testing::EphemeralServer;
using pgcpp::testing::ServerOptions;
using ::testing::AllOf;
using ::testing::HasSubstr;

// What the server says about this session's TLS (pg_stat_ssl), not what libpq thinks.
bool server_sees_ssl(const Connection& conn) {
  return conn.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
      .fetchone(scalar_row<bool>)
      .value();
}

// The message of the OperationalError connect() raises.
std::string connect_error(const std::string& conninfo, const ConnectOptions& options = {}) {
  return core_testing::what_of<OperationalError>([&] { Connection::connect(conninfo, options); });
}

class TlsConnectionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new EphemeralServer({.tls = true}); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  // The server by host name (no hostaddr), so that verify-full checks the name.
  static std::string dsn(const std::string& host) {
    return "host=" + host + " port=" + std::to_string(server_->port()) +
           " user=postgres dbname=postgres";
  }
  static std::string ca() { return " sslrootcert=" + server_->ca_file(); }

  static EphemeralServer* server_;
};

EphemeralServer* TlsConnectionTest::server_ = nullptr;

TEST_F(TlsConnectionTest, RequireEncryptsTheSession) {
  Connection conn = Connection::connect(server_->dsn(), {.sslmode = "require"});
  EXPECT_EQ(PQsslInUse(conn.base().pgconn()), 1);
  EXPECT_TRUE(server_sees_ssl(conn));
  EXPECT_EQ(conn.info().get_parameters().at("sslmode"), "require");
}

TEST_F(TlsConnectionTest, VerifyCaWithTheRootCertificateConnects) {
  Connection conn = Connection::connect(dsn("127.0.0.1") + " sslmode=verify-ca" + ca());
  EXPECT_TRUE(server_sees_ssl(conn));
}

TEST_F(TlsConnectionTest, VerifyFullWithTheCertificatesHostNameConnects) {
  Connection conn = Connection::connect(dsn("localhost") + " sslmode=verify-full" + ca());
  EXPECT_EQ(conn.info().host(), "localhost");
  EXPECT_TRUE(server_sees_ssl(conn));
}

TEST_F(TlsConnectionTest, VerifyFullRejectsAHostNameTheCertificateDoesNotName) {
  std::string message =
      connect_error(dsn("wrong.example") + " hostaddr=127.0.0.1 sslmode=verify-full" + ca());
  EXPECT_THAT(message, HasSubstr("does not match host name \"wrong.example\""));
}

TEST_F(TlsConnectionTest, VerifyCaAcceptsAHostNameTheCertificateDoesNotName) {
  // The same connection as above with verify-ca: only the name check made it fail.
  Connection conn =
      Connection::connect(dsn("wrong.example") + " hostaddr=127.0.0.1 sslmode=verify-ca" + ca());
  EXPECT_TRUE(server_sees_ssl(conn));
}

TEST_F(TlsConnectionTest, VerifyFullWithoutTheCaFileFails) {
  // No sslrootcert: libpq looks for ~/.postgresql/root.crt, which the test machine lacks.
  std::string message = connect_error(dsn("localhost") + " sslmode=verify-full");
  EXPECT_THAT(message, AllOf(HasSubstr("root certificate file"), HasSubstr("does not exist")));
}

TEST_F(TlsConnectionTest, VerifyFullWithAnotherCaFails) {
  const std::string other_cas = "/etc/ssl/certs/ca-certificates.crt";
  if (!std::filesystem::exists(other_cas)) GTEST_SKIP() << other_cas << " is not installed";
  std::string message =
      connect_error(dsn("localhost") + " sslmode=verify-full sslrootcert=" + other_cas);
  EXPECT_THAT(message, HasSubstr("certificate verify failed"));
}

TEST_F(TlsConnectionTest, DisableConnectsInPlainTextWhereHbaAllowsIt) {
  // The first pg_hba.conf line for 127.0.0.1 decides: "host" accepts TLS and plain text alike
  // ("hostssl" would refuse sslmode=disable).
  Connection admin = Connection::connect(server_->dsn(), {.sslmode = "require"});
  EXPECT_EQ(admin
                .execute("SELECT type FROM pg_hba_file_rules WHERE address = '127.0.0.1' "
                         "ORDER BY line_number LIMIT 1")
                .fetchone(scalar_row<std::string>),
            "host");
  Connection conn = Connection::connect(server_->dsn(), {.sslmode = "disable"});
  EXPECT_EQ(PQsslInUse(conn.base().pgconn()), 0);
  EXPECT_FALSE(server_sees_ssl(conn));
}

class ScramConnectionTest : public ::testing::Test {
 protected:
  static constexpr const char* kPassword = "c0rrect horse 'battery'";

  static void SetUpTestSuite() {
    server_ = new EphemeralServer(
        {.auth = ServerOptions::Auth::kScramSha256, .password = std::string(kPassword)});
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  // No password, and no password file either (libpq would read ~/.pgpass).
  static std::string dsn() {
    return "host=127.0.0.1 port=" + std::to_string(server_->port()) +
           " user=postgres dbname=postgres passfile=/nonexistent/pgpass";
  }

  static EphemeralServer* server_;
};

EphemeralServer* ScramConnectionTest::server_ = nullptr;

TEST_F(ScramConnectionTest, RightPasswordConnects) {
  Connection conn = Connection::connect(dsn(), {.password = std::string(kPassword)});
  EXPECT_EQ(PQconnectionUsedPassword(conn.base().pgconn()), 1);
  EXPECT_EQ(conn.execute("SELECT current_user").fetchone(scalar_row<std::string>), "postgres");
}

TEST_F(ScramConnectionTest, WrongPasswordIsAnOperationalError) {
  std::string message = connect_error(dsn(), {.password = "wrong"});
  EXPECT_THAT(message, HasSubstr("password authentication failed for user \"postgres\""));
}

TEST_F(ScramConnectionTest, MissingPasswordIsAnOperationalError) {
  EXPECT_THAT(connect_error(dsn()), HasSubstr("no password supplied"));
}

}  // namespace
}  // namespace pgcpp
