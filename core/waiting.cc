#include "pgcpp/core/waiting.h"

#include <poll.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <string>

#include "pgcpp/adapt/errors.h"

namespace pgcpp {

namespace {

int timeout_ms(const Wait& wait) {
  if (!wait.deadline) return -1;
  auto left = std::chrono::ceil<std::chrono::milliseconds>(*wait.deadline - Clock::now());
  if (left.count() <= 0) return 0;
  return left.count() > INT_MAX ? INT_MAX : static_cast<int>(left.count());
}

}  // namespace

Ready poll_once(const Wait& wait) {
  if (wait.fd < 0) throw OperationalError("connection socket closed");
  pollfd pfd{};
  pfd.fd = wait.fd;
  pfd.events = static_cast<short>((static_cast<int>(wait.events) & 1 ? POLLIN : 0) |
                                  (static_cast<int>(wait.events) & 2 ? POLLOUT : 0));
  for (;;) {
    int n = ::poll(&pfd, 1, timeout_ms(wait));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw OperationalError(std::string("poll() failed: ") + std::strerror(errno));
    }
    if (n == 0) return Ready::kNone;
    int ready = (pfd.revents & POLLIN ? 1 : 0) | (pfd.revents & POLLOUT ? 2 : 0);
    if (ready == 0) {
      if (pfd.revents & POLLHUP) {
        // A peer that hung up is readable: let libpq read the end of stream.
        ready = static_cast<int>(wait.events) & 1;
      }
      if (ready == 0) throw OperationalError("connection socket closed");
    }
    return static_cast<Ready>(ready);
  }
}

}  // namespace pgcpp
