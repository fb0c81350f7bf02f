#include "pgcpp/pool/null_connection_pool.h"

#include <thread>
#include <utility>

#include "pgcpp/pool/backoff.h"

namespace pgcpp {

NullConnectionPool::NullConnectionPool(std::string conninfo, PoolOptions options)
    : NullConnectionPool([conninfo = std::move(conninfo)] { return conninfo; },
                         std::move(options)) {}

NullConnectionPool::NullConnectionPool(std::function<std::string()> conninfo, PoolOptions options)
    : ConnectionPool(Kind::kNull, std::move(conninfo), std::move(options)) {
  if (options_.open) open();
}

void NullConnectionPool::wait(PoolDuration timeout) {
  check_open_getconn();
  const Clock::time_point deadline = Clock::now() + pool_internal::capped(timeout);
  pool_internal::AttemptWithBackoff attempt(Clock::now(), pool_internal::capped(timeout));
  for (;;) {
    try {
      connect_unregistered(deadline);  // closed right away: it only proves the server is there
      return;
    } catch (const PoolClosed&) {
      throw;
    } catch (const std::exception& e) {
      log(PoolLogLevel::kWarning, "error connecting in pool '" + name() + "': " + e.what());
    }
    const Clock::time_point now = Clock::now();
    if (attempt.time_to_give_up(now)) break;
    attempt.update_delay(now);
    std::this_thread::sleep_for(attempt.delay());
  }
  close();
  throw PoolTimeout("pool initialization incomplete after " + pool_internal::seconds_text(timeout) +
                    " sec");
}

void NullConnectionPool::resize(int min_size, std::optional<int> max_size) {
  const auto [min, max] = check_size(min_size, max_size);
  std::lock_guard<std::mutex> lock(mu_);
  min_size_ = min;
  max_size_ = max;
  grant_slots_locked();
}

}  // namespace pgcpp
