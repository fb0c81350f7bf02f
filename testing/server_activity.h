// Waiting for what the server is doing, for tests that must act while a
// query runs (cancel it, cut its connection, ...).
#ifndef PGCPP_TESTING_SERVER_ACTIVITY_H_
#define PGCPP_TESTING_SERVER_ACTIVITY_H_

#include <chrono>
#include <string>

namespace pgcpp::testing {

// Polls pg_stat_activity through its own connection to `dsn` until a backend
// is running `query` (exact text, state 'active'), and with `blocked_on_lock`
// waiting for a lock. Returns false after `timeout`.
bool wait_for_active_query(const std::string& dsn, const std::string& query,
                           bool blocked_on_lock = false,
                           std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace pgcpp::testing

#endif  // PGCPP_TESTING_SERVER_ACTIVITY_H_
