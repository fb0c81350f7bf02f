#include "pgcpp/pool/backoff.h"

#include <algorithm>
#include <cstdio>
#include <random>

namespace pgcpp::pool_internal {

Clock::duration jitter(Clock::duration value, double min_fraction, double max_fraction) {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  std::uniform_real_distribution<double> fraction(min_fraction, max_fraction);
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double, Clock::period>(
      static_cast<double>(value.count()) * (1.0 + fraction(generator))));
}

void AttemptWithBackoff::update_delay(Clock::time_point now) {
  if (delay_ == Clock::duration::zero()) {
    delay_ = jitter(kInitialDelay, -kDelayJitter, kDelayJitter);
  } else {
    delay_ = std::chrono::duration_cast<Clock::duration>(delay_ * kDelayBackoff);
  }
  // Never sleep past the give-up time: the last attempt happens right then.
  delay_ = std::max(Clock::duration::zero(), std::min(delay_, give_up_at_ - now));
}

std::string seconds_text(Clock::duration d) {
  char text[64];
  std::snprintf(text, sizeof text, "%.15g", std::chrono::duration<double>(d).count());
  std::string result = text;
  if (result.find_first_of(".en") == std::string::npos) result += ".0";
  return result;
}

}  // namespace pgcpp::pool_internal
