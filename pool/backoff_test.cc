#include "pgcpp/pool/backoff.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>

namespace pgcpp::pool_internal {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(JitterTest, StaysWithinItsBoundsAndVaries) {
  std::set<Clock::duration::rep> seen;
  for (int i = 0; i < 1000; ++i) {
    Clock::duration d = jitter(seconds(100), -0.05, 0.0);
    ASSERT_GE(d, seconds(95));
    ASSERT_LE(d, seconds(100));
    seen.insert(d.count());
  }
  EXPECT_GT(seen.size(), 900u);
}

TEST(AttemptWithBackoffTest, FirstRetryAtOnceThenOneSecondDoubling) {
  const Clock::time_point t0 = Clock::now();
  AttemptWithBackoff attempt(t0, seconds(300));
  EXPECT_EQ(attempt.delay(), Clock::duration::zero());
  attempt.update_delay(t0);
  const Clock::duration first = attempt.delay();
  EXPECT_GE(first, milliseconds(900));
  EXPECT_LE(first, milliseconds(1100));
  attempt.update_delay(t0);
  EXPECT_EQ(attempt.delay(), 2 * first);
  attempt.update_delay(t0);
  EXPECT_EQ(attempt.delay(), 4 * first);
  EXPECT_FALSE(attempt.time_to_give_up(t0 + seconds(299)));
  EXPECT_TRUE(attempt.time_to_give_up(t0 + seconds(300)));
}

TEST(AttemptWithBackoffTest, NeverWaitsPastTheGiveUpTime) {
  const Clock::time_point t0 = Clock::now();
  AttemptWithBackoff attempt(t0, seconds(5));
  attempt.update_delay(t0 + seconds(4) + milliseconds(500));
  EXPECT_EQ(attempt.delay(), milliseconds(500));
  attempt.update_delay(t0 + seconds(6));
  EXPECT_EQ(attempt.delay(), Clock::duration::zero());
}

TEST(SecondsTextTest, PrintsLikePythonFloats) {
  EXPECT_EQ(seconds_text(seconds(30)), "30.0");
  EXPECT_EQ(seconds_text(milliseconds(500)), "0.5");
  EXPECT_EQ(seconds_text(milliseconds(250)), "0.25");
  EXPECT_EQ(seconds_text(Clock::duration::zero()), "0.0");
}

}  // namespace
}  // namespace pgcpp::pool_internal
