// Connection::connect taking its parameters and password from the environment
// (PG* variables, a password file), as libpq does. A binary of its own: these
// tests change the process environment, which no other test must see, and
// change it only while no other thread runs (setenv is not thread-safe).
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "pgcpp/core/connection.h"
#include "pgcpp/core/error_testing.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/testing/ephemeral_server.h"
#include "pgcpp/testing/fault_proxy.h"

extern char** environ;

namespace pgcpp {
namespace {

using pgcpp::testing::EphemeralServer;
using pgcpp::testing::ServerOptions;
using ::testing::HasSubstr;

constexpr const char kPassword[] = "env s3cret";

std::string connect_error(const std::string& conninfo) {
  return core_testing::what_of<OperationalError>([&] { Connection::connect(conninfo); });
}

// Unsets every PG* variable for the test's duration and puts the original environment back.
class PgEnvironment {
 public:
  PgEnvironment() {
    for (char** entry = environ; *entry != nullptr; ++entry) {
      const std::string text = *entry;
      const size_t eq = text.find('=');
      if (text.rfind("PG", 0) == 0 && eq != std::string::npos) {
        saved_[text.substr(0, eq)] = text.substr(eq + 1);
      }
    }
    for (const auto& [name, value] : saved_) unsetenv(name.c_str());
  }
  ~PgEnvironment() {
    for (const std::string& name : set_) unsetenv(name.c_str());
    for (const auto& [name, value] : saved_) setenv(name.c_str(), value.c_str(), 1);
  }
  PgEnvironment(const PgEnvironment&) = delete;
  PgEnvironment& operator=(const PgEnvironment&) = delete;

  void set(const std::string& name, const std::string& value) {
    set_.push_back(name);
    setenv(name.c_str(), value.c_str(), 1);
  }

 private:
  std::map<std::string, std::string> saved_;
  std::vector<std::string> set_;
};

class ConnectionEnvTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new EphemeralServer(
        {.auth = ServerOptions::Auth::kScramSha256, .password = std::string(kPassword)});
    server_->create_database("envdb");
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static std::string port() { return std::to_string(server_->port()); }
  // The server without a password.
  static std::string dsn() { return "host=127.0.0.1 port=" + port() + " user=postgres"; }

  // PGHOST, PGPORT, PGUSER, PGPASSWORD for the server, PGDATABASE=`dbname` and
  // PGAPPNAME=from-env.
  void set_pg_variables(const std::string& dbname) {
    env_.set("PGHOST", "127.0.0.1");
    env_.set("PGPORT", port());
    env_.set("PGUSER", "postgres");
    env_.set("PGDATABASE", dbname);
    env_.set("PGAPPNAME", "from-env");
    env_.set("PGPASSWORD", kPassword);
  }

  // A password file with `content` and `mode` in the test's temporary folder.
  std::string write_passfile(const std::string& content, mode_t mode) {
    const char* tmp = std::getenv("TEST_TMPDIR");
    std::string path = std::string(tmp ? tmp : "/tmp") + "/pgpass-XXXXXX";
    const int fd = mkstemp(path.data());
    if (fd < 0) throw std::runtime_error("mkstemp: " + std::string(std::strerror(errno)));
    close(fd);
    std::ofstream(path) << content;
    if (chmod(path.c_str(), mode) != 0) throw std::runtime_error("chmod " + path);
    passfiles_.push_back(path);
    return path;
  }
  void TearDown() override {
    for (const std::string& path : passfiles_) unlink(path.c_str());
  }

  static EphemeralServer* server_;
  PgEnvironment env_;

 private:
  std::vector<std::string> passfiles_;
};

EphemeralServer* ConnectionEnvTest::server_ = nullptr;

TEST_F(ConnectionEnvTest, PasswordFileFromPgpassfileSuppliesThePassword) {
  env_.set(
      "PGPASSFILE",
      write_passfile("127.0.0.1:" + port() + ":*:postgres:" + std::string(kPassword) + "\n", 0600));
  Connection conn = Connection::connect(dsn());
  EXPECT_EQ(PQconnectionUsedPassword(conn.base().pgconn()), 1);
  EXPECT_EQ(conn.info().password(), "********");
}

TEST_F(ConnectionEnvTest, PasswordFileLinesForOtherPortsAreNotUsed) {
  env_.set("PGPASSFILE",
           write_passfile("127.0.0.1:1:*:postgres:" + std::string(kPassword) + "\n", 0600));
  EXPECT_THAT(connect_error(dsn()), HasSubstr("no password supplied"));
}

TEST_F(ConnectionEnvTest, PasswordFileReadableByOthersIsIgnored) {
  env_.set("PGPASSFILE", write_passfile("*:*:*:*:" + std::string(kPassword) + "\n", 0644));
  EXPECT_THAT(connect_error(dsn()), HasSubstr("no password supplied"));
}

TEST_F(ConnectionEnvTest, PgVariablesGiveTheConnectionParameters) {
  set_pg_variables("envdb");
  Connection conn = Connection::connect("");

  ConnInfoDict params = conn.info().get_parameters();
  EXPECT_EQ(params["host"], "127.0.0.1");
  EXPECT_EQ(params["port"], port());
  EXPECT_EQ(params["user"], "postgres");
  EXPECT_EQ(params["dbname"], "envdb");
  EXPECT_EQ(params["application_name"], "from-env");
  EXPECT_EQ(params.count("password"), 0u);
  // The server agrees.
  auto [db, app] = conn.execute("SELECT current_database(), current_setting('application_name')")
                       .fetchone(typed_row<std::string, std::string>)
                       .value();
  EXPECT_EQ(db, "envdb");
  EXPECT_EQ(app, "from-env");
}

TEST_F(ConnectionEnvTest, ConninfoAndOptionsOverridePgVariables) {
  set_pg_variables("no_such_database");
  Connection conn = Connection::connect("dbname=envdb", {.application_name = "from-options"});
  ConnInfoDict params = conn.info().get_parameters();
  EXPECT_EQ(params["dbname"], "envdb");
  EXPECT_EQ(params["application_name"], "from-options");
  EXPECT_EQ(conn.info().parameter_status("application_name"), "from-options");
}

TEST_F(ConnectionEnvTest, PgConnectTimeoutBoundsEachAttempt) {
  env_.set("PGCONNECT_TIMEOUT", "2");
  // Its thread starts after the last setenv and ends before the environment is restored.
  pgcpp::testing::FaultProxy proxy(server_->host(), server_->port());
  proxy.set_black_hole(true);
  EXPECT_THROW(Connection::connect(proxy.dsn(dsn())), ConnectionTimeout);
}

}  // namespace
}  // namespace pgcpp
