// Cancelling a running command without blocking.
//
// A cancel request is a separate, 16-byte connection to the server naming the
// backend (pid) and proving the right to cancel it (the secret key the server
// sent at connection start). libpq 15 only offers the blocking PQcancel and
// does not expose the key, so pgcpp reads the address, pid and key from
// libpq's PGcancel and checks what it read against PQbackendPID before
// trusting it (CancelKey::read returns nullopt when the layout differs, e.g.
// a future libpq); callers then fall back to PQcancel.
//
//   std::optional<CancelKey> key = CancelKey::read(pgconn);
//   wait(protocol::cancel(*key, Clock::now() + std::chrono::seconds(30)));
#ifndef PGCPP_CORE_CANCEL_H_
#define PGCPP_CORE_CANCEL_H_

#include <sys/socket.h>

#include <cstdint>
#include <optional>

#include "pgcpp/core/operation.h"
#include "pgcpp/core/pq.h"

namespace pgcpp {

struct CancelKey {
  sockaddr_storage address;  // the server the connection is attached to
  socklen_t address_length;
  int32_t backend_pid;
  int32_t secret_key;

  static std::optional<CancelKey> read(PGconn* conn);
};

namespace protocol {

// Sends the cancel request and waits until the server has processed it (it
// closes the connection). Raises CancellationTimeout at the deadline and
// OperationalError when the server cannot be reached.
Operation<void> cancel(CancelKey key, std::optional<Clock::time_point> deadline);

}  // namespace protocol
}  // namespace pgcpp

#endif  // PGCPP_CORE_CANCEL_H_
