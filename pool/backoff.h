// The pool's randomised delays: jitter, and the exponential backoff between
// reconnection attempts (psycopg_pool's AttemptWithBackoff). Internal to //pool.
//
//   AttemptWithBackoff attempt(Clock::now(), std::chrono::minutes(5));
//   while (!connected) {
//     if (attempt.time_to_give_up(Clock::now())) break;
//     attempt.update_delay(Clock::now());          // ~1 s, ~2 s, ~4 s, ...
//     sleep_for(attempt.delay());
//   }
#ifndef PGCPP_POOL_BACKOFF_H_
#define PGCPP_POOL_BACKOFF_H_

#include <chrono>
#include <string>

#include "pgcpp/core/operation.h"

namespace pgcpp::pool_internal {

// `value` scaled by a factor drawn uniformly from [1 + min_fraction, 1 + max_fraction]
// (jitter(d, -0.05, 0.0): up to 5% less than d). Thread-safe.
Clock::duration jitter(Clock::duration value, double min_fraction, double max_fraction);

// Delays between attempts: the first update gives 1 s ±10%, each later one doubles it, and
// none goes past the give-up time (now + timeout at construction). A fresh attempt has
// delay 0: a first retry right away.
class AttemptWithBackoff {
 public:
  static constexpr Clock::duration kInitialDelay = std::chrono::seconds(1);
  static constexpr double kDelayJitter = 0.1;
  static constexpr double kDelayBackoff = 2.0;

  AttemptWithBackoff(Clock::time_point now, Clock::duration timeout) : give_up_at_(now + timeout) {}

  void update_delay(Clock::time_point now);
  bool time_to_give_up(Clock::time_point now) const { return now >= give_up_at_; }
  Clock::duration delay() const { return delay_; }

 private:
  Clock::time_point give_up_at_;
  Clock::duration delay_{};
};

// Durations longer than this (e.g. hours::max() for "no limit") are treated as this long, so that
// adding them to now() cannot overflow.
inline constexpr Clock::duration kForever = std::chrono::hours(24 * 365 * 100);
inline Clock::duration capped(Clock::duration d) { return d < kForever ? d : kForever; }

// Seconds as psycopg_pool's messages print them (Python's str of a float: "30.0", "0.25").
std::string seconds_text(Clock::duration d);

}  // namespace pgcpp::pool_internal

#endif  // PGCPP_POOL_BACKOFF_H_
