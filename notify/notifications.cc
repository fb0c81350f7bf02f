#include "pgcpp/notify/notifications.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <deque>
#include <mutex>
#include <utility>
#include <vector>

#include "pgcpp/core/errors.h"
#include "pgcpp/core/protocol.h"
#include "pgcpp/core/sql.h"
#include "pgcpp/core/waiting.h"

namespace pgcpp {

namespace {

// PostgreSQL truncates longer identifiers (NAMEDATALEN - 1), with only a NOTICE.
constexpr std::size_t kMaxChannelBytes = 63;

// notifies() re-checks the connection this often while it waits without the
// lock (another thread may close it; its socket then never becomes readable).
constexpr Clock::duration kWaitSlice = std::chrono::milliseconds(250);

std::string channel_identifier(const std::string& channel) {
  if (channel.size() > kMaxChannelBytes) {
    throw ProgrammingError("channel name too long: " + std::to_string(channel.size()) +
                           " bytes, PostgreSQL keeps only 63: '" + channel + "'");
  }
  return sql::Identifier(channel).as_string();  // refuses "" and NUL bytes
}

int poll_timeout_ms(const std::optional<Clock::time_point>& deadline) {
  if (!deadline) return -1;
  auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
  if (left.count() <= 0) return 0;
  return left.count() > INT_MAX ? INT_MAX : static_cast<int>(left.count());
}

}  // namespace

Operation<std::size_t> receive_notifies(BaseConnection& conn,
                                        std::optional<Clock::time_point> deadline) {
  std::size_t received = 0;
  auto drain = [&](PGconn* pgconn) {
    const protocol::NotifySink* sink = conn.notify_sink();
    if (sink == nullptr) {
      throw ProgrammingError("receive_notifies() needs a notify sink on the connection");
    }
    protocol::NotifySink counting = [&](PGnotifyPtr n) {
      ++received;
      (*sink)(std::move(n));
    };
    protocol::drain_notifies(pgconn, &counting);
  };
  drain(conn.checked_pgconn());
  while (received == 0) {
    Ready ready = co_yield Wait{PQsocket(conn.checked_pgconn()), WaitFor::kRead, deadline};
    PGconn* pgconn = conn.checked_pgconn();  // the driver may have let another thread in
    if (readable(ready)) {
      protocol::consume_input(pgconn);
      drain(pgconn);
    }
    if (deadline && Clock::now() >= *deadline) break;
  }
  co_return received;
}

// --- BaseNotifications ---

struct BaseNotifications::Shared {
  using Handlers = std::vector<std::pair<NotifyHandlerId, NotifyHandler>>;

  explicit Shared(std::size_t max_backlog) : max_backlog(max_backlog) {
    int fds[2];
    if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
      throw OperationalError(std::string("cannot create the notifies() wakeup pipe: ") +
                             std::strerror(errno));
    }
    wake_read = fds[0];
    wake_write = fds[1];
  }
  ~Shared() {
    ::close(wake_read);
    ::close(wake_write);
  }

  // The notify sink: runs inside whatever operation read the notification.
  void deliver(PGnotifyPtr pgnotify) {
    Notify notify = Notify::from_pq(*pgnotify);
    std::shared_ptr<const Handlers> to_call;
    {
      std::lock_guard<std::mutex> guard(mutex);
      if (!handlers->empty()) to_call = handlers;
      if (streaming || !to_call) {
        if (backlog.size() >= max_backlog) {
          backlog.pop_front();
          ++dropped;
        }
        // Copied only when handlers still need it after the mutex is released.
        if (!to_call) {
          backlog.push_back(std::move(notify));
        } else {
          backlog.push_back(notify);
        }
        if (streaming && !wake_pending) {
          wake_pending = true;
          char byte = 1;
          // Nonblocking; a full pipe is already a pending wakeup.
          [[maybe_unused]] ssize_t written = ::write(wake_write, &byte, 1);
        }
      }
    }
    if (!to_call) return;
    for (const auto& [id, handler] : *to_call) {
      try {
        handler(notify);
      } catch (...) {
        std::lock_guard<std::mutex> guard(mutex);
        ++handler_errors;
      }
    }
  }

  mutable std::mutex mutex;
  // Copied on write, so that delivery calls a snapshot without the mutex held.
  std::shared_ptr<const Handlers> handlers = std::make_shared<const Handlers>();
  NotifyHandlerId next_id = 1;
  std::deque<Notify> backlog;
  const std::size_t max_backlog;
  std::size_t dropped = 0;
  std::size_t handler_errors = 0;
  bool streaming = false;
  bool wake_pending = false;
  int wake_read = -1;
  int wake_write = -1;
};

BaseNotifications::BaseNotifications(std::shared_ptr<BaseConnection> conn,
                                     NotificationsOptions options)
    : conn_(std::move(conn)) {
  if (options.max_backlog == 0) throw ProgrammingError("max_backlog must be at least 1, got 0");
  if (conn_->notify_sink() != nullptr) {
    throw ProgrammingError("this connection's notifications are already received elsewhere");
  }
  shared_ = std::make_shared<Shared>(options.max_backlog);
  conn_->set_notify_sink([shared = shared_](PGnotifyPtr n) { shared->deliver(std::move(n)); });
  // Received before the sink existed: libpq kept them.
  if (PGconn* pgconn = conn_->pgconn()) protocol::drain_notifies(pgconn, conn_->notify_sink());
}

BaseNotifications::~BaseNotifications() = default;

void BaseNotifications::release() { conn_->set_notify_sink({}); }

NotifyHandlerId BaseNotifications::add_notify_handler(NotifyHandler handler) {
  if (!handler) throw ProgrammingError("add_notify_handler(): the handler is empty");
  std::lock_guard<std::mutex> guard(shared_->mutex);
  auto handlers = std::make_shared<Shared::Handlers>(*shared_->handlers);
  NotifyHandlerId id = shared_->next_id++;
  handlers->emplace_back(id, std::move(handler));
  shared_->handlers = std::move(handlers);
  return id;
}

void BaseNotifications::remove_notify_handler(NotifyHandlerId id) {
  std::lock_guard<std::mutex> guard(shared_->mutex);
  auto handlers = std::make_shared<Shared::Handlers>(*shared_->handlers);
  auto it = std::find_if(handlers->begin(), handlers->end(),
                         [id](const auto& entry) { return entry.first == id; });
  if (it == handlers->end()) {
    throw ProgrammingError("remove_notify_handler(): no handler with id " + std::to_string(id));
  }
  handlers->erase(it);
  shared_->handlers = std::move(handlers);
}

std::size_t BaseNotifications::dropped() const {
  std::lock_guard<std::mutex> guard(shared_->mutex);
  return shared_->dropped;
}

std::size_t BaseNotifications::handler_errors() const {
  std::lock_guard<std::mutex> guard(shared_->mutex);
  return shared_->handler_errors;
}

std::size_t BaseNotifications::backlog_size() const {
  std::lock_guard<std::mutex> guard(shared_->mutex);
  return shared_->backlog.size();
}

void BaseNotifications::start_stream() {
  std::lock_guard<std::mutex> guard(shared_->mutex);
  if (shared_->streaming)
    throw ProgrammingError("notifies() is already running on this connection");
  shared_->streaming = true;
}

void BaseNotifications::end_stream() {
  std::lock_guard<std::mutex> guard(shared_->mutex);
  shared_->streaming = false;
}

std::optional<Notify> BaseNotifications::pop() {
  std::lock_guard<std::mutex> guard(shared_->mutex);
  if (shared_->backlog.empty()) return std::nullopt;
  Notify notify = std::move(shared_->backlog.front());
  shared_->backlog.pop_front();
  return notify;
}

int BaseNotifications::wake_fd() const { return shared_->wake_read; }

void BaseNotifications::clear_wake() {
  std::lock_guard<std::mutex> guard(shared_->mutex);
  char buffer[64];
  while (::read(shared_->wake_read, buffer, sizeof buffer) > 0) {
  }
  shared_->wake_pending = false;
}

Operation<void> BaseNotifications::listen(std::string channel) {
  co_await conn_->exec_command("LISTEN " + channel_identifier(channel));
}

Operation<void> BaseNotifications::unlisten(std::string channel) {
  co_await conn_->exec_command("UNLISTEN " + channel_identifier(channel));
}

Operation<void> BaseNotifications::unlisten_all() { co_await conn_->exec_command("UNLISTEN *"); }

Operation<void> BaseNotifications::notify(std::string channel, std::string payload) {
  std::string command = "NOTIFY " + channel_identifier(channel);
  if (!payload.empty()) command += ", " + sql::quote(payload);
  co_await conn_->exec_command(std::move(command));
}

// --- Notifications ---

namespace {
// The connection's shared state; a moved-from Connection raises here.
std::shared_ptr<BaseConnection> shared_base(Connection& conn) {
  conn.base();
  return conn.base_ptr();
}
}  // namespace

Notifications::Notifications(Connection& conn, NotificationsOptions options)
    : conn_(shared_base(conn)) {
  std::lock_guard<ConnectionLock> guard(conn_->lock());
  base_ = std::make_shared<BaseNotifications>(conn_, options);
}

Notifications::~Notifications() {
  std::lock_guard<ConnectionLock> guard(conn_->lock());
  base_->release();
}

void Notifications::listen(std::string_view channel) {
  std::lock_guard<ConnectionLock> guard(conn_->lock());
  wait(base_->listen(std::string(channel)));
}

void Notifications::unlisten(std::string_view channel) {
  std::lock_guard<ConnectionLock> guard(conn_->lock());
  wait(base_->unlisten(std::string(channel)));
}

void Notifications::unlisten_all() {
  std::lock_guard<ConnectionLock> guard(conn_->lock());
  wait(base_->unlisten_all());
}

void Notifications::notify(std::string_view channel, std::string_view payload) {
  std::lock_guard<ConnectionLock> guard(conn_->lock());
  wait(base_->notify(std::string(channel), std::string(payload)));
}

NotifyHandlerId Notifications::add_notify_handler(NotifyHandler handler) {
  return base_->add_notify_handler(std::move(handler));
}

void Notifications::remove_notify_handler(NotifyHandlerId id) { base_->remove_notify_handler(id); }

NotifyStream Notifications::notifies(std::optional<Clock::duration> timeout,
                                     std::optional<std::size_t> stop_after) {
  return NotifyStream(conn_, base_, NotifyRange(timeout, stop_after));
}

// --- NotifyRange ---

NotifyRange::NotifyRange(std::optional<Clock::duration> timeout,
                         std::optional<std::size_t> stop_after)
    : stop_after_(stop_after) {
  if (stop_after && *stop_after == 0) {
    throw ProgrammingError("notifies(): stop_after must be at least 1, got 0");
  }
  if (timeout) deadline_ = Clock::now() + *timeout;
}

bool NotifyRange::next(BaseNotifications& base, std::optional<Notify>& current) {
  current.reset();
  if (stop_after_ && yielded_ >= *stop_after_) return false;
  if ((current = base.pop())) {
    ++yielded_;
    return false;
  }
  if (polled_ && deadline_ && Clock::now() >= *deadline_) return false;
  polled_ = true;
  return true;
}

Clock::time_point NotifyRange::wait_slice_end() const {
  Clock::time_point until = Clock::now() + kWaitSlice;
  return deadline_ ? std::min(until, *deadline_) : until;
}

// --- NotifyStream ---

NotifyStream::NotifyStream(std::shared_ptr<BaseConnection> conn,
                           std::shared_ptr<BaseNotifications> base, NotifyRange range)
    : conn_(std::move(conn)), base_(std::move(base)), range_(range) {
  base_->start_stream();
}

NotifyStream::~NotifyStream() { base_->end_stream(); }

NotifyStream::iterator NotifyStream::begin() {
  if (started_) throw ProgrammingError("notifies(): begin() called twice on the same range");
  started_ = true;
  advance();
  return iterator(this);
}

void NotifyStream::advance() {
  while (range_.next(*base_, current_)) wait_once();
}

void NotifyStream::wait_once() {
  Clock::time_point until = range_.wait_slice_end();
  std::unique_lock<ConnectionLock> lock(conn_->lock());
  Operation<std::size_t> receive = receive_notifies(*conn_, until);
  receive.resume(Ready::kNone);
  while (!receive.done()) {
    const Wait& request = receive.wait();
    pollfd fds[2] = {};
    fds[0].fd = request.fd;
    fds[0].events = POLLIN;
    fds[1].fd = base_->wake_fd();
    fds[1].events = POLLIN;
    lock.unlock();
    int n;
    do {
      n = ::poll(fds, 2, poll_timeout_ms(request.deadline));
    } while (n < 0 && errno == EINTR);
    if (n < 0) throw OperationalError(std::string("poll() failed: ") + std::strerror(errno));
    lock.lock();
    if (fds[1].revents != 0) break;  // another operation queued something: go and look
    // Any event on the socket (data, hang-up, error, or a socket closed meanwhile) goes to
    // the operation, which reads it or reports the closed connection.
    receive.resume(fds[0].revents != 0 ? Ready::kRead : Ready::kNone);
  }
  if (receive.done()) receive.result();
  lock.unlock();
  base_->clear_wake();
}

}  // namespace pgcpp
