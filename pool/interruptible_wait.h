// pgcpp::wait() for operations a pool may have to abandon: connection attempts
// made by a pool that is closing, or for a client whose deadline passes before
// connect_timeout does. Internal to //pool.
//
//   std::atomic<bool> stop{false};
//   PGconnPtr conn = wait_interruptibly(connect_operation(conninfo, options), stop,
//                                       Clock::now() + std::chrono::seconds(2));
//
// It polls like pgcpp::wait() but in slices of at most kStopCheckInterval,
// looking at `stop` between slices; the abandoned operation is destroyed (a
// half-made connection is closed). Blocking in one poll() keeps the common case
// (the socket becomes ready) free of extra system calls.
#ifndef PGCPP_POOL_INTERRUPTIBLE_WAIT_H_
#define PGCPP_POOL_INTERRUPTIBLE_WAIT_H_

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

#include "pgcpp/core/errors.h"
#include "pgcpp/core/operation.h"
#include "pgcpp/core/waiting.h"
#include "pgcpp/pool/errors.h"

namespace pgcpp::pool_internal {

inline constexpr Clock::duration kStopCheckInterval = std::chrono::milliseconds(50);

// Runs `op` to the end. Throws PoolClosed(`stop_message`) once `stop` is true, and
// ConnectionTimeout("connection timeout expired") at `deadline`.
template <class T>
T wait_interruptibly(Operation<T> op, const std::atomic<bool>& stop,
                     std::optional<Clock::time_point> deadline,
                     const std::string& stop_message = "the pool is closed") {
  op.resume(Ready::kNone);
  while (!op.done()) {
    const Wait& asked = op.wait();
    Ready ready = Ready::kNone;
    for (;;) {
      if (stop.load(std::memory_order_acquire)) throw PoolClosed(stop_message);
      const Clock::time_point now = Clock::now();
      if (deadline && now >= *deadline) throw ConnectionTimeout("connection timeout expired");
      Wait slice = asked;
      Clock::time_point slice_end = now + kStopCheckInterval;
      if (deadline && *deadline < slice_end) slice_end = *deadline;
      // The operation's own deadline (connect_timeout) ends the wait with kNone as usual.
      const bool own_deadline = asked.deadline && *asked.deadline <= slice_end;
      if (!own_deadline) slice.deadline = slice_end;
      ready = poll_once(slice);
      if (ready != Ready::kNone || own_deadline) break;
    }
    op.resume(ready);
  }
  return op.result();
}

}  // namespace pgcpp::pool_internal

#endif  // PGCPP_POOL_INTERRUPTIBLE_WAIT_H_
