// AsyncConnectionPool: psycopg_pool's AsyncConnectionPool for AsyncConnection,
// on one EventLoop (no threads).
//
//   using namespace std::chrono_literals;
//   pgcpp::AsyncConnectionPool pool("dbname=app", {.min_size = 2, .max_size = 8});
//   loop.run([&]() -> pgcpp::Task<void> {
//     co_await pool.open();
//     co_await pool.wait(10s);                  // optional: until min_size are ready
//     co_await pool.connection([&](pgcpp::AsyncConnection& conn) -> pgcpp::Task<void> {
//       co_await conn.execute("INSERT INTO t VALUES (%s)", 1);
//     });                                       // COMMIT (ROLLBACK on an exception), returned
//     pgcpp::AsyncConnection conn = co_await pool.getconn(2s);   // by hand
//     co_await pool.putconn(std::move(conn));
//     co_await pool.close();
//   }());
//
// open() binds the pool to the running loop and spawns tasks on it that make
// min_size connections in the background (the constructor never opens: no
// loop need run then, so PoolOptions::open is not used). The semantics are the
// thread-based ConnectionPool's (pgcpp/pool/connection_pool.h, SEMANTICS.md
// §15), with tasks for threads:
// - Clients are served FIFO. When none is idle and fewer than max_size
//   connections exist, the pool grows by one connection at a time while
//   clients wait. getconn() raises PoolTimeout("couldn't get a connection after
//   <t> sec") after its timeout, TooManyRequests beyond max_waiting, PoolClosed
//   when the pool is not open or closes while it waits.
// - A returned connection is kept when idle, rolled back when INTRANS/INERROR,
//   closed and replaced when ACTIVE, closed, broken or older than max_lifetime
//   (−5% jitter); then it goes to the first waiting client, or idle.
// - Every max_idle, one idle connection above min_size is closed if none of
//   the pool's connections was needed during the whole period.
// - A failing connection attempt is retried with the sync pool's exponential
//   backoff (1 s ±10%, doubling) until reconnect_timeout; the pool then gives
//   that connection up (a later growth may make it again).
// - A connection the client destroys without putconn() is noticed when
//   clients wait on a full pool, by check() and every max_idle, counted in
//   connections_lost and replaced.
// - Pool connections get connect_timeout = kDefaultPoolConnectTimeout unless
//   the conninfo or the options set one.
//
// Not supported (std::invalid_argument when set, since they take a sync
// Connection& or ConnectionPool&): configure, check, reset, on_acquire,
// on_release, reconnect_failed. num_workers is ignored (no threads). close()
// abandons the connection attempts under way at once (their sockets close)
// and ends the pool's background tasks.
//
// Thread safety: none; use the pool from the tasks of the loop it was opened
// on. The pool must outlive the getconn()/connection() calls awaited on it;
// its background tasks share its state, so they may outlive it.
#ifndef PGCPP_AIO_ASYNC_CONNECTION_POOL_H_
#define PGCPP_AIO_ASYNC_CONNECTION_POOL_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "pgcpp/aio/async_connection.h"
#include "pgcpp/aio/event_loop.h"
#include "pgcpp/aio/task.h"
#include "pgcpp/pool/errors.h"
#include "pgcpp/pool/pool_options.h"

namespace pgcpp {

namespace aio_internal {
struct PoolState;
}  // namespace aio_internal

// psycopg's get_stats() keys, as pgcpp::PoolStats (pgcpp/pool/connection_pool.h).
using AsyncPoolStats = std::map<std::string, std::int64_t>;

class AsyncConnectionPool {
 public:
  // Throws std::invalid_argument for bad sizes (min_size < 0, max_size < min_size, both 0),
  // negative durations, or an unsupported option (see the overview).
  explicit AsyncConnectionPool(std::string conninfo, PoolOptions options = {});
  // Closes the pool (idle connections at once; lent-out ones when they come back).
  ~AsyncConnectionPool();
  AsyncConnectionPool(const AsyncConnectionPool&) = delete;
  AsyncConnectionPool& operator=(const AsyncConnectionPool&) = delete;

  const std::string& name() const;
  int min_size() const;
  int max_size() const;
  // True before open() and after close().
  bool closed() const;

  // Binds the pool to the running loop and starts making min_size connections; with `wait`,
  // then wait(timeout). Does nothing on an open pool; a closed pool cannot be reopened
  // (PoolClosed).
  Task<void> open(bool wait = false, PoolDuration timeout = std::chrono::seconds(30));
  // Waiting clients get PoolClosed, idle connections are closed, lent-out ones are closed when
  // they come back. Idempotent.
  Task<void> close();
  // Until min_size connections are idle. After `timeout`, closes the pool and raises
  // PoolTimeout("pool initialization incomplete after <t> sec").
  Task<void> wait(PoolDuration timeout = std::chrono::seconds(30));

  // A connection for the caller, waiting up to `timeout` (default: PoolOptions::timeout).
  Task<AsyncConnection> getconn(std::optional<PoolDuration> timeout = std::nullopt);
  // Takes back a connection from getconn() (std::invalid_argument if it is not this pool's).
  Task<void> putconn(AsyncConnection conn);

  // Runs `co_await body(conn)` on a borrowed connection: COMMIT after it returns, ROLLBACK when
  // it throws (the exception propagates), then the connection goes back to the pool.
  template <class F>
  requires std::is_invocable_r_v<Task<void>, F, AsyncConnection&> Task<void> connection(
      F body, std::optional<PoolDuration> timeout = std::nullopt) {
    return run_connection(std::function<Task<void>(AsyncConnection&)>(std::move(body)), timeout);
  }

  // As ConnectionPool::get_stats(): pool_min, pool_max, pool_size (idle, lent out or being
  // made), pool_available (idle), requests_waiting, and the non-zero counters.
  AsyncPoolStats get_stats() const;
  // get_stats(), resetting the counters.
  AsyncPoolStats pop_stats();

  // New sizes (checked as in the constructor). A larger min_size adds connections at once; a
  // smaller size shrinks lazily (max_idle).
  Task<void> resize(int min_size, std::optional<int> max_size = std::nullopt);
  // Checks every idle connection now (an empty query): expired and broken ones are closed and
  // replaced, broken ones counted in connections_lost. PoolClosed unless open.
  Task<void> check();
  // Closes every idle connection and opens replacements; connections lent out are replaced
  // when they come back (e.g. after rotating credentials).
  Task<void> drain();

 private:
  Task<void> run_connection(std::function<Task<void>(AsyncConnection&)> body,
                            std::optional<PoolDuration> timeout);

  std::shared_ptr<aio_internal::PoolState> state_;
};

}  // namespace pgcpp

#endif  // PGCPP_AIO_ASYNC_CONNECTION_POOL_H_
