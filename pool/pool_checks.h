// Checks of PoolOptions values, the texts of psycopg_pool's messages and its
// sizing rules, shared by ConnectionPool and //aio's AsyncConnectionPool so
// both refuse, report and resize alike.
#ifndef PGCPP_POOL_POOL_CHECKS_H_
#define PGCPP_POOL_POOL_CHECKS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "pgcpp/pool/pool_options.h"

namespace pgcpp::pool_internal {

std::int64_t to_ms(PoolDuration d);
// Seconds as psycopg's "{timeout:.2f}".
std::string seconds_2f(PoolDuration d);
// The message of the exception being handled (call inside a catch block).
std::string current_exception_message();
// std::invalid_argument("<what> cannot be negative, got <value> sec") for a negative value.
void check_not_negative(PoolDuration value, const char* what);
// std::invalid_argument("<what> must be positive, got <value> sec") unless value > 0.
void check_positive(PoolDuration value, const char* what);
// {min_size, max_size} of a pool that keeps connections (defaults: 4, min_size), or
// std::invalid_argument with psycopg_pool's message.
std::pair<int, int> checked_sizes(std::optional<int> min_size, std::optional<int> max_size);

// The max_idle rule: close one idle connection when the pool has more than min_size and
// `unused_min` (the fewest idle connections during the last period) shows one was never needed.
inline bool should_shrink(int nconns, int min_size, std::size_t unused_min, std::size_t idle) {
  return nconns > min_size && unused_min > 0 && idle > 0;
}
std::string shrinking_message(const std::string& quoted_name, int nconns, std::size_t unused_min,
                              PoolDuration max_idle);
// resize(): the connections to add to reach a new min_size (psycopg adds new_min - old_min,
// which can take a full pool past max_size).
inline int connections_to_reach(int min_size, int nconns) {
  return min_size > nconns ? min_size - nconns : 0;
}

}  // namespace pgcpp::pool_internal

#endif  // PGCPP_POOL_POOL_CHECKS_H_
