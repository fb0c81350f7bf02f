// AsyncNotifications: LISTEN/NOTIFY on an AsyncConnection, the async twin of
// pgcpp::Notifications (psycopg's AsyncConnection.notifies() and
// add_notify_handler()).
//
//   const pgcpp::ConnectOptions options{.autocommit = true};  // named: see task.h
//   pgcpp::AsyncConnection conn = co_await pgcpp::AsyncConnection::connect(dsn, options);
//   pgcpp::AsyncNotifications notifications(conn);
//   co_await notifications.listen("jobs");               // or conn.execute("LISTEN jobs")
//   notifications.add_notify_handler([](const pgcpp::Notify& n) { log(n.payload); });
//
//   // Pull: ends after 10 s or 100 notifications; the loop runs other tasks meanwhile.
//   pgcpp::AsyncNotifyStream stream = notifications.notifies(std::chrono::seconds(10), 100);
//   while (std::optional<pgcpp::Notify> n = co_await stream.next()) {
//     std::cout << n->channel << ": " << n->payload << "\n";
//   }
//
// Same rules as pgcpp/notify/notifications.h, because the state is its
// BaseNotifications and the waiting step its receive_notifies() operation:
// handlers run for every notification the connection receives (during any
// operation of any task: a query's results, a commit, notifies() itself), the
// backlog keeps what arrives between two notifies() ranges, a throwing
// handler is counted by handler_errors() and fails nothing, at most one
// range exists per connection, and a connection that breaks or is closed
// while a range waits raises OperationalError from next().
//
// next() waits on the loop (epoll, never blocking the thread) and does not
// hold the connection's lock while idle (psycopg #1310): other tasks may run
// LISTEN, UNLISTEN or any query on the connection meanwhile; the
// notifications their operations read are queued and wake the waiting range
// at once. The range ends (next() returns nullopt, no exception) at its
// timeout (none: no limit; 0: what is already there plus one non-blocking
// read) or after stop_after notifications.
//
// One AsyncNotifications per connection (a second raises ProgrammingError);
// destroying it stops receiving (later notifications stay queued in libpq).
// Use it, and its streams, from the connection's loop only; destroy a stream
// before the AsyncNotifications it came from.
#ifndef PGCPP_AIO_ASYNC_NOTIFICATIONS_H_
#define PGCPP_AIO_ASYNC_NOTIFICATIONS_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "pgcpp/aio/async_connection.h"
#include "pgcpp/aio/async_session.h"
#include "pgcpp/aio/task.h"
#include "pgcpp/core/operation.h"
#include "pgcpp/notify/notifications.h"
#include "pgcpp/notify/notify.h"

namespace pgcpp {

class AsyncNotifyStream;

class AsyncNotifications {
 public:
  explicit AsyncNotifications(const AsyncConnection& conn, NotificationsOptions options = {});
  // Stops receiving: later notifications stay queued in libpq.
  ~AsyncNotifications();
  AsyncNotifications(const AsyncNotifications&) = delete;
  AsyncNotifications& operator=(const AsyncNotifications&) = delete;

  // LISTEN / UNLISTEN / NOTIFY with the channel quoted as an identifier (as
  // pgcpp::Notifications), once this task holds the connection's lock. Views,
  // not strings: no temporary that owns memory in the co_await (see task.h).
  Task<void> listen(std::string_view channel) const {
    return run(base_->listen(std::string(channel)));
  }
  Task<void> unlisten(std::string_view channel) const {
    return run(base_->unlisten(std::string(channel)));
  }
  Task<void> unlisten_all() const { return run(base_->unlisten_all()); }
  // NOTIFY channel[, 'payload'] (the server refuses payloads of 8000 bytes or more).
  Task<void> notify(std::string_view channel, std::string_view payload = {}) const {
    return run(base_->notify(std::string(channel), std::string(payload)));
  }

  NotifyHandlerId add_notify_handler(NotifyHandler handler) {
    return base_->add_notify_handler(std::move(handler));
  }
  // ProgrammingError for an id that is not registered (any more).
  void remove_notify_handler(NotifyHandlerId id) { base_->remove_notify_handler(id); }

  // The queued notifications first, then the ones that arrive, until
  // `timeout` passes (counted from this call) or `stop_after` (at least 1)
  // were returned by the stream's next().
  AsyncNotifyStream notifies(std::optional<Clock::duration> timeout = std::nullopt,
                             std::optional<std::size_t> stop_after = std::nullopt);

  std::size_t dropped() const { return base_->dropped(); }
  std::size_t handler_errors() const { return base_->handler_errors(); }
  std::size_t backlog_size() const { return base_->backlog_size(); }

 private:
  Task<void> run(Operation<void> op) const {
    return aio_internal::run_locked(session_, std::move(op));
  }

  std::shared_ptr<aio_internal::AsyncSession> session_;
  std::shared_ptr<BaseNotifications> base_;
};

// What notifies() returns: `co_await next()` gives the next notification, or
// nullopt once the range ended (timeout or stop_after). One next() at a time.
class AsyncNotifyStream {
 public:
  ~AsyncNotifyStream();
  AsyncNotifyStream(const AsyncNotifyStream&) = delete;
  AsyncNotifyStream& operator=(const AsyncNotifyStream&) = delete;

  Task<std::optional<Notify>> next();

 private:
  friend class AsyncNotifications;
  AsyncNotifyStream(std::shared_ptr<aio_internal::AsyncSession> session,
                    std::shared_ptr<BaseNotifications> base, NotifyRange range);
  // One bounded wait, holding the connection's lock only while reading.
  Task<void> wait_once();

  std::shared_ptr<aio_internal::AsyncSession> session_;
  std::shared_ptr<BaseNotifications> base_;
  NotifyRange range_;
};

}  // namespace pgcpp

#endif  // PGCPP_AIO_ASYNC_NOTIFICATIONS_H_
