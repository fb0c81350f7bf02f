// What an AsyncConnection and its AsyncCursors share (internal to //aio).
#ifndef PGCPP_AIO_ASYNC_SESSION_H_
#define PGCPP_AIO_ASYNC_SESSION_H_

#include <exception>
#include <memory>
#include <type_traits>
#include <utility>

#include "pgcpp/aio/async_lock.h"
#include "pgcpp/aio/event_loop.h"
#include "pgcpp/aio/task.h"
#include "pgcpp/core/connection.h"
#include "pgcpp/core/operation.h"

namespace pgcpp::aio_internal {

// The connection's state (a sync Connection whose blocking methods are never
// called: it holds the BaseConnection and makes cursors and info views), the
// loop driving its operations, and the lock serialising them between tasks.
struct AsyncSession {
  AsyncSession(EventLoop& loop, Connection connection) : loop(&loop), conn(std::move(connection)) {}

  EventLoop* loop;
  Connection conn;
  AsyncLock lock;
};

// Closes the connection when the task running an operation on it is destroyed
// before the operation ended (an abandoned Task): the protocol is then midway,
// and nothing else could use the connection safely. An exception leaving the
// operation is no abandonment.
class AbandonWatch {
 public:
  explicit AbandonWatch(AsyncSession& session)
      : session_(session), exceptions_(std::uncaught_exceptions()) {}
  AbandonWatch(const AbandonWatch&) = delete;
  AbandonWatch& operator=(const AbandonWatch&) = delete;
  ~AbandonWatch() {
    if (!ended_ && std::uncaught_exceptions() == exceptions_) session_.conn.close();
  }
  void ended() { ended_ = true; }

 private:
  AsyncSession& session_;
  int exceptions_;
  bool ended_ = false;
};

// Runs `op` on the session's connection once this task holds its lock (psycopg's
// AsyncConnection.wait() under `async with self.lock`).
template <class T>
Task<T> run_locked(std::shared_ptr<AsyncSession> session, Operation<T> op) {
  AsyncLock::Guard guard = co_await session->lock.lock();
  AbandonWatch watch(*session);
  if constexpr (std::is_void_v<T>) {
    co_await session->loop->drive(std::move(op));
    watch.ended();
  } else {
    T result = co_await session->loop->drive(std::move(op));
    watch.ended();
    co_return result;
  }
}

}  // namespace pgcpp::aio_internal

#endif  // PGCPP_AIO_ASYNC_SESSION_H_
