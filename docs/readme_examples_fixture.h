// The fixture of README.md's C++ examples, which docs/readme_examples.py turns
// into tests (//docs:readme_examples_test).
//
// The examples connect the way a reader would ("host=localhost dbname=app
// user=app", "dbname=app", sslmode=require), so the suite starts a server of
// its own with TLS, a role "app" and a database "app", and points libpq's
// environment at it (PGHOST=localhost, PGPORT, PGUSER=app). Every test starts
// from an empty database "app", and what it prints to stdout and stderr is
// captured (and echoed to the log at its end). Helpers for the hidden setup
// and check comments of the README:
//
//   <!-- example setup
//   ReadmeExamples::run_sql("CREATE TABLE users (id int8 PRIMARY KEY, name text)");
//   -->
//   <!-- example check
//   EXPECT_EQ(ReadmeExamples::query_value("SELECT count(*) FROM users"), "1");
//   EXPECT_EQ(printed_stdout(), "1 Alice\n");
//   EXPECT_EQ(ReadmeExamples::server_statements(conn.info().backend_pid(), {"BEGIN", "COMMIT"}),
//             (std::vector<std::string>{"BEGIN", "COMMIT"}));
//   -->
#ifndef PGCPP_DOCS_README_EXAMPLES_FIXTURE_H_
#define PGCPP_DOCS_README_EXAMPLES_FIXTURE_H_

#include <chrono>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

class ReadmeExamples : public ::testing::Test {
 public:
  // Runs `sql` (one or more statements) as the role "app" in database "app".
  static void run_sql(std::string_view sql);
  // The first column of the first row of `sql`, run as the superuser in
  // database "app" ("<NULL>" for NULL, "<no row>" when there is none).
  static std::string query_value(std::string_view sql);
  // The statements the server received from backend `pid` (from its log: the
  // suite's server logs every statement), as "BEGIN" or, for the extended
  // protocol, "execute <unnamed>: SELECT $1"; only those starting with one of
  // `prefixes` when given.
  static std::vector<std::string> server_statements(int pid,
                                                    std::vector<std::string_view> prefixes = {});

 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;  // a fresh, empty database "app"; starts capturing the output
  void TearDown() override;

  // What the example printed so far; ends the capture of both streams.
  const std::string& printed_stdout();
  const std::string& printed_stderr();

 private:
  void end_capture();

  bool capturing_ = false;
  std::string stdout_;
  std::string stderr_;
};

#endif  // PGCPP_DOCS_README_EXAMPLES_FIXTURE_H_
