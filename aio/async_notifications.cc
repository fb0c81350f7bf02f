#include "pgcpp/aio/async_notifications.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "pgcpp/adapt/errors.h"
#include "pgcpp/aio/async_lock.h"
#include "pgcpp/aio/event_loop.h"

namespace pgcpp {

namespace {

// An epoll set of the connection's socket and the wakeup pipe: one fd the
// loop can wait for (its own epoll keys on fd numbers, and a query of another
// task may be watching the socket meanwhile).
class SocketOrWake {
 public:
  SocketOrWake(int socket_fd, int wake_fd)
      : epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)), socket_fd_(socket_fd) {
    if (epoll_fd_ < 0) fail("epoll_create1");
    add(socket_fd);
    add(wake_fd);
  }
  ~SocketOrWake() { ::close(epoll_fd_); }
  SocketOrWake(const SocketOrWake&) = delete;
  SocketOrWake& operator=(const SocketOrWake&) = delete;

  int fd() const { return epoll_fd_; }
  // After fd() was readable: whether the socket has an event (data, hang-up,
  // error), and whether the pipe was written to.
  void events(bool& socket, bool& wake) const {
    epoll_event ready[2];
    int n = ::epoll_wait(epoll_fd_, ready, 2, 0);
    if (n < 0 && errno != EINTR) fail("epoll_wait");
    socket = wake = false;
    for (int i = 0; i < n; ++i) (ready[i].data.fd == socket_fd_ ? socket : wake) = true;
  }

 private:
  void add(int fd) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) fail("epoll_ctl(ADD)");
  }
  [[noreturn]] static void fail(const char* what) {
    throw OperationalError(std::string("notifies(): ") + what + " failed: " + std::strerror(errno));
  }

  int epoll_fd_;
  int socket_fd_;
};

Operation<Ready> wait_for(Wait wait) {
  Ready ready = co_yield wait;
  co_return ready;
}

}  // namespace

// --- AsyncNotifications ---

AsyncNotifications::AsyncNotifications(const AsyncConnection& conn, NotificationsOptions options)
    : session_(conn.session()),
      // No await possible here: installing the sink touches no I/O, and the
      // loop's single thread makes it atomic with respect to other tasks.
      base_(std::make_shared<BaseNotifications>(session_->conn.base_ptr(), options)) {}

AsyncNotifications::~AsyncNotifications() { base_->release(); }

AsyncNotifyStream AsyncNotifications::notifies(std::optional<Clock::duration> timeout,
                                               std::optional<std::size_t> stop_after) {
  return AsyncNotifyStream(session_, base_, NotifyRange(timeout, stop_after));
}

// --- AsyncNotifyStream ---

AsyncNotifyStream::AsyncNotifyStream(std::shared_ptr<aio_internal::AsyncSession> session,
                                     std::shared_ptr<BaseNotifications> base, NotifyRange range)
    : session_(std::move(session)), base_(std::move(base)), range_(range) {
  base_->start_stream();
}

AsyncNotifyStream::~AsyncNotifyStream() { base_->end_stream(); }

Task<std::optional<Notify>> AsyncNotifyStream::next() {
  std::optional<Notify> current;
  while (range_.next(*base_, current)) co_await wait_once();
  co_return current;
}

// NotifyStream::wait_once's steps, with the loop instead of poll() and the
// AsyncLock instead of the ConnectionLock.
Task<void> AsyncNotifyStream::wait_once() {
  aio_internal::AsyncSession& session = *session_;
  AsyncLock::Guard guard = co_await session.lock.lock();
  Operation<std::size_t> receive = receive_notifies(session.conn.base(), range_.wait_slice_end());
  receive.resume(Ready::kNone);
  while (!receive.done()) {
    const Wait request = receive.wait();
    SocketOrWake waiting(request.fd, base_->wake_fd());
    guard.release();
    const Wait either{waiting.fd(), WaitFor::kRead, request.deadline};
    Ready ready = co_await session.loop->drive(wait_for(either));
    guard = co_await session.lock.lock();
    bool socket = false;
    bool wake = false;
    if (readable(ready)) waiting.events(socket, wake);
    if (wake) break;  // another task's operation queued something: go and look
    // Any event on the socket goes to the operation, which reads it or reports
    // the closed connection.
    receive.resume(socket ? Ready::kRead : Ready::kNone);
  }
  if (receive.done()) receive.result();
  guard.release();
  base_->clear_wake();
}

}  // namespace pgcpp
