#include "pgcpp/testing/database.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "pgcpp/testing/conninfo.h"
#include "pgcpp/testing/ephemeral_server.h"

namespace pgcpp::testing {
namespace {

std::string suite_database;
std::string suite_dsn;

// Runs `sql` on the shared server, over a connection of its own.
void admin_execute(const std::string& sql) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(shared_server_dsn().c_str()),
                                                    &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    throw std::runtime_error("cannot connect to the test server (" + shared_server_dsn() +
                             "): " + PQerrorMessage(conn.get()));
  }
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(conn.get(), sql.c_str()), &PQclear);
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    throw std::runtime_error(sql + ": " + PQresultErrorMessage(result.get()));
  }
}

// "pgcpp_<suite>_<pid>_<n>": unique on a server shared by concurrent test
// processes, recognisable in pg_database, within the 63-byte identifier limit.
std::string unique_database_name() {
  static std::atomic<int> counter{0};
  std::string suite = "suite";
  if (const auto* info = ::testing::UnitTest::GetInstance()->current_test_suite()) {
    suite.clear();
    for (const char* c = info->name(); *c != '\0'; ++c) {
      const unsigned char u = static_cast<unsigned char>(*c);
      suite += std::isalnum(u) ? static_cast<char>(std::tolower(u)) : '_';
    }
  }
  const std::string suffix = "_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
  return "pgcpp_" + suite.substr(0, 63 - 6 - suffix.size()) + suffix;
}

}  // namespace

const std::string& shared_server_dsn() {
  static const std::string dsn = [] {
    if (const char* env = std::getenv("PGCPP_TEST_DSN"); env != nullptr && *env != '\0') {
      return std::string(env);
    }
    static EphemeralServer server(ServerOptions{.settings = {{"max_prepared_transactions", "10"}}});
    return server.dsn();
  }();
  return dsn;
}

std::string dsn_with_dbname(std::string_view dsn, std::string_view dbname) {
  return testing_internal::conninfo_with(dsn, {{"dbname", std::string(dbname)}});
}

void DatabaseTest::SetUpTestSuite() {
  suite_database.clear();
  suite_dsn.clear();
  try {
    const std::string name = unique_database_name();
    admin_execute("CREATE DATABASE \"" + name + "\"");
    suite_database = name;
    suite_dsn = dsn_with_dbname(shared_server_dsn(), name);
  } catch (const std::exception& e) {
    FAIL() << "DatabaseTest: cannot create the suite's database: " << e.what();
  }
}

void DatabaseTest::TearDownTestSuite() {
  if (suite_database.empty()) return;
  try {
    admin_execute("DROP DATABASE IF EXISTS \"" + suite_database + "\" WITH (FORCE)");
  } catch (const std::exception& e) {
    ADD_FAILURE() << "DatabaseTest: cannot drop database " << suite_database << ": " << e.what();
  }
  suite_database.clear();
  suite_dsn.clear();
}

const std::string& DatabaseTest::dsn() { return suite_dsn; }

const std::string& DatabaseTest::database_name() { return suite_database; }

}  // namespace pgcpp::testing
