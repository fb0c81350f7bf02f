// GoogleTest glue: each test suite gets a fresh database on a server shared by
// the whole test process.
//
//   class CursorTest : public pgcpp::testing::DatabaseTest {};
//
//   TEST_F(CursorTest, FetchesRows) {
//     PGconn* conn = PQconnectdb(dsn().c_str());   // this suite's own database
//     ...
//   }
//
// The server is $PGCPP_TEST_DSN when that is set (an existing server: its
// role needs CREATEDB, since the suite databases are created and dropped
// there too), else an EphemeralServer started on first use with
// max_prepared_transactions=10 and stopped when the process exits. Build such
// tests with pg_cc_test (testing/defs.bzl).
#ifndef PGCPP_TESTING_DATABASE_H_
#define PGCPP_TESTING_DATABASE_H_

#include <string>
#include <string_view>

#include "gtest/gtest.h"

namespace pgcpp::testing {

// The shared server's DSN (see above). Throws std::runtime_error when the
// ephemeral server cannot start.
const std::string& shared_server_dsn();

// `dsn` (key=value or URI form) with its database replaced by `dbname`.
std::string dsn_with_dbname(std::string_view dsn, std::string_view dbname);

// A fixture whose suite owns a fresh database: CREATE DATABASE before the
// suite's first test, DROP DATABASE ... WITH (FORCE) after its last one.
class DatabaseTest : public ::testing::Test {
 protected:
  // A subclass that defines its own SetUpTestSuite / TearDownTestSuite must
  // call these.
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  // The suite database's DSN ("" when SetUpTestSuite failed).
  static const std::string& dsn();
  // The suite database's name.
  static const std::string& database_name();
};

}  // namespace pgcpp::testing

#endif  // PGCPP_TESTING_DATABASE_H_
