// LISTEN/NOTIFY: receiving a connection's notifications, psycopg's
// add_notify_handler() and notifies().
//
//   pgcpp::Connection conn = pgcpp::Connection::connect(dsn, {.autocommit = true});
//   pgcpp::Notifications notifications(conn);
//   notifications.listen("jobs");                       // LISTEN "jobs"
//
//   // Pull: a blocking range that ends after 10 s or 100 notifications.
//   for (const pgcpp::Notify& n : notifications.notifies(std::chrono::seconds(10), 100)) {
//     std::cout << n.channel << ": " << n.payload << " from " << n.pid << "\n";
//   }
//
//   // Push: handlers run whenever notifications arrive during any operation on
//   // the connection (a query, a commit, notifies() itself).
//   pgcpp::NotifyHandlerId id = notifications.add_notify_handler(
//       [](const pgcpp::Notify& n) { wake_worker(n.payload); });
//   notifications.remove_notify_handler(id);
//
// One Notifications object per connection receives its notifications (it
// installs core's notify sink; a second one raises ProgrammingError). The
// server only sends notifications for channels the session LISTENs to, and
// only after the LISTEN commits: on a connection not in autocommit, listen()
// inside a transaction takes effect at commit() (PostgreSQL's rule). libpq
// reads a notification only while some operation reads from the connection:
// an idle connection that nobody iterates over receives nothing until it is used.
// And the server sends a notification only between transactions: one sent
// while the listening session runs a query arrives after that query, during
// the next operation or notifies().
//
// The backlog (psycopg #962, #1091). A notification that arrives:
// - goes to every handler, in the order they were added;
// - is also queued for notifies() when a notifies() range exists, or when no
//   handler is registered. Queued notifications are what notifies() yields
//   first: nothing received between two notifies() loops (e.g. while running
//   LISTEN or any other query) is lost. With handlers and no range, the
//   handlers consumed it and nothing piles up.
// - The queue holds at most NotificationsOptions::max_backlog notifications
//   (10,000 by default): when full, the oldest is dropped and counted by
//   dropped(). A single read from the server may exceed the limit too.
//
// Handlers run on the thread running the operation, with the connection's
// lock held: they must not run operations on this connection (they may add
// and remove handlers). A handler that throws does not stop the others, nor
// fail the operation that happened to read the notification (a COMMIT that
// succeeded must not look failed, and the protocol exchange must not be cut
// short); such exceptions are counted by handler_errors(). This differs from
// psycopg, where the exception escapes from whatever operation was running.
//
// notifies() does not hold the connection's lock while it waits (psycopg
// #1310): other threads may run LISTEN, UNLISTEN or any query on the
// connection meanwhile, and notifications those operations read are queued
// and wake the waiting range at once. The range ends at its timeout (none: no
// limit; 0: what is already there plus one non-blocking read) or after
// stop_after notifications; a connection that breaks or is closed while it
// waits raises OperationalError. At most one range exists per connection.
//
// Thread safety: the methods may be called from any thread.
//
// On an AsyncConnection: pgcpp::AsyncNotifications (pgcpp/aio/async_notifications.h).
#ifndef PGCPP_NOTIFY_NOTIFICATIONS_H_
#define PGCPP_NOTIFY_NOTIFICATIONS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "pgcpp/core/base_connection.h"
#include "pgcpp/core/connection.h"
#include "pgcpp/core/operation.h"
#include "pgcpp/notify/notify.h"

namespace pgcpp {

using NotifyHandler = std::function<void(const Notify&)>;
using NotifyHandlerId = std::uint64_t;

struct NotificationsOptions {
  // Notifications kept for notifies() (see "The backlog" above); at least 1.
  std::size_t max_backlog = 10000;
};

// The waiting step of notifies(), for any driver: passes to `conn`'s notify
// sink what libpq already holds, else waits until the socket is readable or
// `deadline` (none: no limit) passes, reads (PQconsumeInput) and passes on
// what arrived. Returns how many notifications reached the sink; 0 means the
// deadline passed. Raises OperationalError when the connection breaks or is
// closed, ProgrammingError when it has no notify sink. It re-reads the PGconn
// after every wait, so a driver may release the connection's lock while it waits.
Operation<std::size_t> receive_notifies(BaseConnection& conn,
                                        std::optional<Clock::time_point> deadline);

// The state shared by the sync Notifications and //aio: handlers, backlog and
// the wakeup of a waiting notifies(). The handler, backlog and stream methods
// are thread-safe; the constructor, release() and the Operations need the
// connection's lock().
class BaseNotifications {
 public:
  // Installs the connection's notify sink and queues what libpq already holds.
  BaseNotifications(std::shared_ptr<BaseConnection> conn, NotificationsOptions options);
  ~BaseNotifications();
  BaseNotifications(const BaseNotifications&) = delete;
  BaseNotifications& operator=(const BaseNotifications&) = delete;

  // Uninstalls the sink: from now on notifications stay in libpq's queue.
  void release();

  NotifyHandlerId add_notify_handler(NotifyHandler handler);
  // ProgrammingError for an id that is not registered (any more).
  void remove_notify_handler(NotifyHandlerId id);

  // Counters and the queue's current length (see "The backlog").
  std::size_t dropped() const;
  std::size_t handler_errors() const;
  std::size_t backlog_size() const;

  // For notifies() implementations: a range exists between start_stream() and
  // end_stream() (ProgrammingError if one already does); pop() takes the
  // oldest queued notification; wake_fd() becomes readable when a
  // notification is queued while a range exists, until clear_wake().
  void start_stream();
  void end_stream();
  std::optional<Notify> pop();
  int wake_fd() const;
  void clear_wake();

  // LISTEN / UNLISTEN / NOTIFY with the channel quoted as an identifier (and
  // the payload as a literal). Never opens a transaction: on an idle
  // connection they take effect at once, inside a transaction at its commit.
  // A channel name longer than 63 bytes (which PostgreSQL would truncate) or
  // empty raises ProgrammingError.
  Operation<void> listen(std::string channel);
  Operation<void> unlisten(std::string channel);
  Operation<void> unlisten_all();
  Operation<void> notify(std::string channel, std::string payload);

  BaseConnection& connection() const { return *conn_; }

 private:
  struct Shared;
  std::shared_ptr<BaseConnection> conn_;
  std::shared_ptr<Shared> shared_;
};

// The end rules of a notifies() range, for any driver (NotifyStream, //aio's
// AsyncNotifyStream): the queued notifications first, then waits, until
// `stop_after` were yielded or `timeout` (counted from construction) passed
// after at least one wait. ProgrammingError for stop_after 0.
class NotifyRange {
 public:
  NotifyRange(std::optional<Clock::duration> timeout, std::optional<std::size_t> stop_after);

  // Sets `current` to the next notification, or clears it at the end of the
  // range. Returns true when the caller must first wait (one wait_slice_end()
  // slice, the connection's lock released meanwhile) and call again.
  bool next(BaseNotifications& base, std::optional<Notify>& current);
  // When the next wait should give up: the deadline, or a short slice after
  // which the driver re-checks the connection (another task may close it).
  Clock::time_point wait_slice_end() const;

 private:
  std::optional<Clock::time_point> deadline_;
  std::optional<std::size_t> stop_after_;
  std::size_t yielded_ = 0;
  bool polled_ = false;
};

class NotifyStream;

// The synchronous API (see the top of this file).
class Notifications {
 public:
  explicit Notifications(Connection& conn, NotificationsOptions options = {});
  // Stops receiving: later notifications stay queued in libpq.
  ~Notifications();
  Notifications(const Notifications&) = delete;
  Notifications& operator=(const Notifications&) = delete;

  void listen(std::string_view channel);
  void unlisten(std::string_view channel);
  void unlisten_all();
  // NOTIFY channel[, 'payload'] (the server refuses payloads of 8000 bytes or more).
  void notify(std::string_view channel, std::string_view payload = {});

  NotifyHandlerId add_notify_handler(NotifyHandler handler);
  void remove_notify_handler(NotifyHandlerId id);

  // The queued notifications first, then the ones that arrive, until
  // `timeout` passes (counted from this call) or `stop_after` (at least 1)
  // were yielded.
  NotifyStream notifies(std::optional<Clock::duration> timeout = std::nullopt,
                        std::optional<std::size_t> stop_after = std::nullopt);

  std::size_t dropped() const { return base_->dropped(); }
  std::size_t handler_errors() const { return base_->handler_errors(); }
  std::size_t backlog_size() const { return base_->backlog_size(); }

 private:
  std::shared_ptr<BaseConnection> conn_;
  std::shared_ptr<BaseNotifications> base_;
};

// What notifies() returns: a single-pass range for range-for. begin() and ++
// block until the next notification, the timeout, or stop_after. Destroy it
// (leave the loop) before the Notifications it came from.
class NotifyStream {
 public:
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Notify;
    using difference_type = std::ptrdiff_t;
    using pointer = const Notify*;
    using reference = const Notify&;

    iterator() = default;
    const Notify& operator*() const { return *stream_->current_; }
    const Notify* operator->() const { return &*stream_->current_; }
    iterator& operator++() {
      stream_->advance();
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& it, std::default_sentinel_t) { return it.at_end(); }

   private:
    bool at_end() const { return stream_ == nullptr || !stream_->current_; }

    friend class NotifyStream;
    explicit iterator(NotifyStream* stream) : stream_(stream) {}
    NotifyStream* stream_ = nullptr;
  };

  ~NotifyStream();
  NotifyStream(const NotifyStream&) = delete;
  NotifyStream& operator=(const NotifyStream&) = delete;

  // Waits for the first notification; call once.
  iterator begin();
  std::default_sentinel_t end() const { return {}; }

 private:
  friend class Notifications;
  NotifyStream(std::shared_ptr<BaseConnection> conn, std::shared_ptr<BaseNotifications> base,
               NotifyRange range);
  void advance();
  // One bounded wait without the connection's lock; returns when something
  // may have been queued, at the deadline, or after a short slice.
  void wait_once();

  std::shared_ptr<BaseConnection> conn_;
  std::shared_ptr<BaseNotifications> base_;
  NotifyRange range_;
  bool started_ = false;
  std::optional<Notify> current_;
};

}  // namespace pgcpp

#endif  // PGCPP_NOTIFY_NOTIFICATIONS_H_
