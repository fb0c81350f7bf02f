// Helpers for //aio's tests (testonly).
#ifndef PGCPP_AIO_ASYNC_TEST_UTIL_H_
#define PGCPP_AIO_ASYNC_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "pgcpp/aio/task.h"

// ASSERT_TRUE for coroutines (gtest's ASSERT_* `return`, which a coroutine cannot).
#define CO_ASSERT_TRUE(condition)                  \
  if (!(condition)) {                              \
    ADD_FAILURE() << "expected true: " #condition; \
    co_return;                                     \
  }

namespace pgcpp::testing {

// pgcpp::testing::wait_for_active_query without blocking the loop: polls
// pg_stat_activity through its own AsyncConnection to `dsn` until a backend
// runs exactly `query` (state 'active'). False after `timeout`.
Task<bool> async_wait_for_active_query(
    std::string dsn, std::string query,
    std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace pgcpp::testing

#endif  // PGCPP_AIO_ASYNC_TEST_UTIL_H_
