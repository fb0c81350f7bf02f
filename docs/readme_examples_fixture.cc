#include "docs/readme_examples_fixture.h"

#include <libpq-fe.h>
#include <stdlib.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "pgcpp/testing/ephemeral_server.h"

namespace {

pgcpp::testing::EphemeralServer* server = nullptr;

}  // namespace

void ReadmeExamples::SetUpTestSuite() {
  // sslmode=require in an example needs TLS; prepared transactions need max_prepared_transactions.
  // Statements are logged with their backend's pid, for server_statements().
  server = new pgcpp::testing::EphemeralServer({.settings = {{"max_prepared_transactions", "10"},
                                                             {"log_statement", "all"},
                                                             {"log_line_prefix", "[%p] "}},
                                                .tls = true});
  server->execute("CREATE ROLE app LOGIN");
  // What the examples assume of libpq's environment, and nothing else from the caller's.
  for (const char* name : {"PGDATABASE", "PGSSLMODE", "PGPASSWORD", "PGSERVICE", "PGOPTIONS",
                           "PGHOSTADDR", "PGAPPNAME", "PGCONNECT_TIMEOUT"}) {
    unsetenv(name);
  }
  setenv("PGHOST", "localhost", 1);
  setenv("PGPORT", std::to_string(server->port()).c_str(), 1);
  setenv("PGUSER", "app", 1);
}

void ReadmeExamples::TearDownTestSuite() {
  delete server;
  server = nullptr;
}

void ReadmeExamples::SetUp() {
  ASSERT_NE(server, nullptr) << "the suite's server did not start";
  server->execute("DROP DATABASE IF EXISTS app WITH (FORCE)");
  server->execute("CREATE DATABASE app OWNER app");
  // Prepared transactions outlive databases' connections: a failed example may leave some.
  server->execute(
      "DO $$ DECLARE g text; BEGIN FOR g IN SELECT gid FROM pg_prepared_xacts LOOP "
      "EXECUTE format('ROLLBACK PREPARED %L', g); END LOOP; END $$");
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  capturing_ = true;
}

void ReadmeExamples::TearDown() {
  end_capture();
  std::cout << stdout_;
  std::cerr << stderr_;
}

void ReadmeExamples::end_capture() {
  if (!capturing_) return;
  capturing_ = false;
  std::cout.flush();
  std::clog.flush();
  std::fflush(stdout);
  stdout_ = ::testing::internal::GetCapturedStdout();
  stderr_ = ::testing::internal::GetCapturedStderr();
}

const std::string& ReadmeExamples::printed_stdout() {
  end_capture();
  return stdout_;
}

const std::string& ReadmeExamples::printed_stderr() {
  end_capture();
  return stderr_;
}

void ReadmeExamples::run_sql(std::string_view sql) {
  server->execute("SET ROLE app; " + std::string(sql), "app");  // the examples' tables are app's
}

std::string ReadmeExamples::query_value(std::string_view sql) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(server->dsn("app").c_str()),
                                                    &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    throw std::runtime_error(std::string("query_value: ") + PQerrorMessage(conn.get()));
  }
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(conn.get(), std::string(sql).c_str()),
                                                       &PQclear);
  if (PQresultStatus(result.get()) != PGRES_TUPLES_OK) {
    throw std::runtime_error(std::string(sql) + ": " + PQresultErrorMessage(result.get()));
  }
  if (PQntuples(result.get()) == 0) return "<no row>";
  if (PQgetisnull(result.get(), 0, 0)) return "<NULL>";
  return PQgetvalue(result.get(), 0, 0);
}

std::vector<std::string> ReadmeExamples::server_statements(int pid,
                                                           std::vector<std::string_view> prefixes) {
  // The harness sends the server's stderr to server.log, next to the data folder.
  const std::string path = server->data_dir() + "/../server.log";
  std::ifstream log(path);
  if (!log) throw std::runtime_error("server_statements: cannot read " + path);
  const std::string prefix = "[" + std::to_string(pid) + "] LOG:  ";
  std::vector<std::string> statements;
  for (std::string line; std::getline(log, line);) {
    if (!line.starts_with(prefix)) continue;
    std::string_view text = std::string_view(line).substr(prefix.size());
    if (text.starts_with("statement: ")) {
      text.remove_prefix(std::string_view("statement: ").size());
    } else if (!text.starts_with("execute ")) {
      continue;  // not a statement (e.g. a duration)
    }
    bool wanted = prefixes.empty();
    for (std::string_view p : prefixes) wanted = wanted || text.starts_with(p);
    if (wanted) statements.emplace_back(text);
  }
  return statements;
}
