#include "pgcpp/aio/async_test_util.h"

#include "pgcpp/adapt/row.h"
#include "pgcpp/aio/async_connection.h"
#include "pgcpp/aio/event_loop.h"

namespace pgcpp::testing {

Task<bool> async_wait_for_active_query(std::string dsn, std::string query,
                                       std::chrono::milliseconds timeout) {
  AsyncConnection watcher = co_await AsyncConnection::connect(dsn, {.autocommit = true});
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    AsyncCursor cur = co_await watcher.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = %s", query);
    if (std::get<0>(*cur.fetchone(typed_row<int64_t>)) > 0) co_return true;
    co_await watcher.loop().sleep(std::chrono::milliseconds(10));
  }
  co_return false;
}

}  // namespace pgcpp::testing
