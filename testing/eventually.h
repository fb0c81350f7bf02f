// eventually(): waits for a condition that another thread or process makes true,
// for tests that must not sleep-and-hope.
//
//   EXPECT_TRUE(pgcpp::testing::eventually([&] { return pool.stats().size == 4; }));
#ifndef PGCPP_TESTING_EVENTUALLY_H_
#define PGCPP_TESTING_EVENTUALLY_H_

#include <chrono>
#include <functional>

namespace pgcpp::testing {

// Polls `condition` every 5 ms until it holds (true) or `timeout` passes (false).
bool eventually(const std::function<bool()>& condition,
                std::chrono::steady_clock::duration timeout = std::chrono::seconds(10));

}  // namespace pgcpp::testing

#endif  // PGCPP_TESTING_EVENTUALLY_H_
