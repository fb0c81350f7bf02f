// Plain-libpq helpers for the harness's own tests (internal to //testing).
//
//   Connection conn = connect(server.dsn());
//   ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
//   EXPECT_EQ(query_value(conn.get(), "SELECT 1"), "1");
#ifndef PGCPP_TESTING_TEST_UTIL_H_
#define PGCPP_TESTING_TEST_UTIL_H_

#include <libpq-fe.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "pgcpp/testing/eventually.h"

namespace pgcpp::testing_internal {

using Connection = std::unique_ptr<PGconn, decltype(&PQfinish)>;

// PQconnectdb: check PQstatus, the connection may have failed.
Connection connect(const std::string& dsn);

// The first field of the first row of `sql`, or "ERROR: <message>" when the
// query fails (so a test's expectation shows the server's message).
std::string query_value(PGconn* conn, const std::string& sql);

// Connects, runs `sql`, and returns the first field; on a failed connection
// "CONNECT FAILED: <libpq's message>".
std::string query_value(const std::string& dsn, const std::string& sql);

using ::pgcpp::testing::eventually;

// Whether a process with this pid exists (kill(pid, 0) does not fail with ESRCH).
bool process_exists(int pid);

}  // namespace pgcpp::testing_internal

#endif  // PGCPP_TESTING_TEST_UTIL_H_
