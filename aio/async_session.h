// What an AsyncConnection and its AsyncCursors share (internal to //aio).
#ifndef PGCPP_AIO_ASYNC_SESSION_H_
#define PGCPP_AIO_ASYNC_SESSION_H_

#include <memory>
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

// Runs `op` on the session's connection once this task holds its lock (psycopg's
// AsyncConnection.wait() under `async with self.lock`).
template <class T>
Task<T> run_locked(std::shared_ptr<AsyncSession> session, Operation<T> op) {
  AsyncLock::Guard guard = co_await session->lock.lock();
  co_return co_await session->loop->drive(std::move(op));
}

}  // namespace pgcpp::aio_internal

#endif  // PGCPP_AIO_ASYNC_SESSION_H_
