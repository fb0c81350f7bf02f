// Helpers for //pool's tests (testonly).
//
// execute()/query_value() are short forms of the Cursor for assertions.
#ifndef PGCPP_POOL_POOL_TEST_UTIL_H_
#define PGCPP_POOL_POOL_TEST_UTIL_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "pgcpp/core/connection.h"
#include "pgcpp/pool/connection_pool.h"
#include "pgcpp/pool/pool_options.h"
#include "pgcpp/testing/eventually.h"

namespace pgcpp::pool_testing {

// conn.execute(sql), for its effect (or its exception).
void execute(Connection& conn, const std::string& sql);
// The first field of the first row of `sql` as text; "" for no row or NULL.
std::string query_value(Connection& conn, const std::string& sql);
// The first field of the first row of `sql` run in autocommit on a connection of its own.
std::string admin_value(const std::string& dsn, const std::string& sql);
// Runs `sql` in autocommit on a connection of its own.
void admin_execute(const std::string& dsn, const std::string& sql);

using ::pgcpp::testing::eventually;

// A stats value, 0 when absent (counters are absent when zero).
std::int64_t stat(const ConnectionPool& pool, const std::string& key);

// Collects what a pool logs.
class LogRecorder {
 public:
  PoolLogger logger();
  std::vector<std::string> messages() const;
  int count(std::string_view substring) const;

 private:
  mutable std::mutex mu_;
  std::vector<std::string> messages_;
};

}  // namespace pgcpp::pool_testing

#endif  // PGCPP_POOL_POOL_TEST_UTIL_H_
