// Checks of PoolOptions values and the texts of psycopg_pool's messages, shared by
// ConnectionPool and //aio's AsyncConnectionPool so both refuse and report alike.
#ifndef PGCPP_POOL_POOL_CHECKS_H_
#define PGCPP_POOL_POOL_CHECKS_H_

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
// {min_size, max_size} of a pool that keeps connections (defaults: 4, min_size), or
// std::invalid_argument with psycopg_pool's message.
std::pair<int, int> checked_sizes(std::optional<int> min_size, std::optional<int> max_size);

}  // namespace pgcpp::pool_internal

#endif  // PGCPP_POOL_POOL_CHECKS_H_
