#include "pgcpp/core/cancel.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "pgcpp/core/errors.h"

namespace pgcpp {

namespace {

// The leading fields of libpq's `struct pg_cancel` (libpq-int.h), unchanged
// from PostgreSQL 9 to 17. Only read after the pid check below.
struct PGcancelPrefix {
  struct {
    sockaddr_storage addr;
    socklen_t salen;
  } raddr;
  int be_pid;
  int be_key;
};

constexpr int32_t kCancelRequestCode = (1234 << 16) | 5678;

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

[[noreturn]] void fail(const char* what) {
  throw OperationalError(std::string("cancel request failed: ") + what + ": " +
                         std::strerror(errno));
}

}  // namespace

std::optional<CancelKey> CancelKey::read(PGconn* conn) {
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) return std::nullopt;
  struct Freer {
    void operator()(PGcancel* c) const { PQfreeCancel(c); }
  };
  std::unique_ptr<PGcancel, Freer> cancel(PQgetCancel(conn));
  if (!cancel) return std::nullopt;
  const auto* prefix = reinterpret_cast<const PGcancelPrefix*>(cancel.get());
  if (prefix->be_pid != PQbackendPID(conn) || prefix->raddr.salen == 0 ||
      prefix->raddr.salen > sizeof(sockaddr_storage)) {
    return std::nullopt;  // not the layout we know: don't trust it
  }
  CancelKey key{};
  std::memcpy(&key.address, &prefix->raddr.addr, prefix->raddr.salen);
  key.address_length = prefix->raddr.salen;
  key.backend_pid = prefix->be_pid;
  key.secret_key = prefix->be_key;
  return key;
}

namespace protocol {

Operation<void> cancel(CancelKey key, std::optional<Clock::time_point> deadline) {
  Socket sock(::socket(key.address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (sock.fd() < 0) fail("socket()");
  if (::connect(sock.fd(), reinterpret_cast<const sockaddr*>(&key.address), key.address_length) !=
      0) {
    if (errno != EINPROGRESS && errno != EAGAIN) fail("connect()");
    Ready ready = co_yield Wait{sock.fd(), WaitFor::kWrite, deadline};
    if (ready == Ready::kNone) throw CancellationTimeout("cancel request timed out");
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(sock.fd(), SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0) {
      errno = error;
      fail("connect()");
    }
  }
  int32_t packet[4] = {static_cast<int32_t>(htonl(16)),
                       static_cast<int32_t>(htonl(kCancelRequestCode)),
                       static_cast<int32_t>(htonl(static_cast<uint32_t>(key.backend_pid))),
                       static_cast<int32_t>(htonl(static_cast<uint32_t>(key.secret_key)))};
  // 16 bytes fit any fresh socket buffer: one send() writes them all.
  if (::send(sock.fd(), packet, sizeof packet, MSG_NOSIGNAL) != sizeof packet) fail("send()");
  // The server closes the connection once it has processed the request.
  for (;;) {
    Ready ready = co_yield Wait{sock.fd(), WaitFor::kRead, deadline};
    if (ready == Ready::kNone) throw CancellationTimeout("cancel request timed out");
    char buffer[64];
    ssize_t n = ::recv(sock.fd(), buffer, sizeof buffer, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) co_return;
  }
}

}  // namespace protocol
}  // namespace pgcpp
