#include "pgcpp/pool/pool_checks.h"

#include <chrono>
#include <cstdio>
#include <exception>
#include <stdexcept>

#include "pgcpp/pool/backoff.h"

namespace pgcpp::pool_internal {

std::int64_t to_ms(PoolDuration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

std::string seconds_2f(PoolDuration d) {
  char text[64];
  std::snprintf(text, sizeof text, "%.2f", std::chrono::duration<double>(d).count());
  return text;
}

std::string current_exception_message() {
  try {
    throw;
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "an exception that is not a std::exception";
  }
}

void check_not_negative(PoolDuration value, const char* what) {
  if (value < PoolDuration::zero()) {
    throw std::invalid_argument(std::string(what) + " cannot be negative, got " +
                                seconds_text(value) + " sec");
  }
}

void check_positive(PoolDuration value, const char* what) {
  if (value <= PoolDuration::zero()) {
    throw std::invalid_argument(std::string(what) + " must be positive, got " +
                                seconds_text(value) + " sec");
  }
}

std::string shrinking_message(const std::string& quoted_name, int nconns, std::size_t unused_min,
                              PoolDuration max_idle) {
  return "shrinking pool " + quoted_name + " to " + std::to_string(nconns) + " because " +
         std::to_string(unused_min) + " unused connections in the last " + seconds_text(max_idle) +
         " sec";
}

std::pair<int, int> checked_sizes(std::optional<int> min_size, std::optional<int> max_size) {
  const int min = min_size.value_or(4);
  const int max = max_size.value_or(min);
  if (min < 0) {
    throw std::invalid_argument("min_size cannot be negative, got " + std::to_string(min));
  }
  if (max < min) {
    throw std::invalid_argument("max_size must be greater or equal than min_size, got max_size " +
                                std::to_string(max) + " < min_size " + std::to_string(min));
  }
  if (max == 0) throw std::invalid_argument("if min_size is 0 max_size must be greater than 0");
  return {min, max};
}

}  // namespace pgcpp::pool_internal
