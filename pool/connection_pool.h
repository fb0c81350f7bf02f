// ConnectionPool: psycopg_pool's ConnectionPool for pgcpp::Connection.
//
//   using namespace std::chrono_literals;
//   pgcpp::ConnectionPool pool("host=db dbname=app", {.min_size = 4, .max_size = 16});
//   pool.wait();                          // optional: until min_size connections are ready
//   {
//     auto conn = pool.connection();      // waits up to .timeout (PoolTimeout after that)
//     conn->exec_command("INSERT INTO t VALUES (1)");
//   }                                     // COMMIT (ROLLBACK if an exception leaves the
//                                         // scope), then back to the pool: never closed
//   pool.connection([](pgcpp::Connection& conn) { conn.exec_command("..."); });
//
//   pgcpp::Connection conn = pool.getconn(2s);   // by hand: hand it back with putconn()
//   pool.putconn(std::move(conn));
//
// The constructor opens the pool (PoolOptions::open = false defers that to
// open()); the destructor closes it. Opening starts num_workers threads and a
// scheduler, which make min_size connections in the background.
//
// Behaviour (psycopg_pool 3.2/3.3, see SEMANTICS.md §15):
// - Clients are served FIFO; each waits on its own condition variable. When
//   none is idle and fewer than max_size exist, the pool grows by one
//   connection at a time while clients wait.
// - A returned connection is kept when idle, rolled back when in a
//   transaction (INTRANS/INERROR), closed and replaced when ACTIVE or broken,
//   and closed and replaced when older than max_lifetime (−5% jitter) or made
//   before the last drain(). Then it goes to the first waiting client, or idle.
// - Every max_idle, one idle connection above min_size is closed if none of
//   the pool's connections was needed during the whole period.
// - A failing connection attempt is retried with exponential backoff (1 s
//   ±10%, doubling) until reconnect_timeout, then reconnect_failed is called.
// - A connection that is never returned (its Connection destroyed by the
//   client) is noticed when clients wait, by check() and every max_idle, and
//   replaced.
//
// Connections the pool makes get connect_timeout = kDefaultPoolConnectTimeout
// unless the conninfo, the options or PGCONNECT_TIMEOUT set one, and a closing
// pool abandons its connection attempts at once.
//
// Differences from psycopg_pool: the options listed "beyond psycopg_pool" in
// pool_options.h; resize() adds only the connections the new min_size still
// needs; check_connection() starts no transaction instead of switching to
// autocommit; no close_returns (return connections with putconn() or the
// guard); the constructor opens the pool unless told not to (RAII, no
// deprecation warning); std::invalid_argument where psycopg raises ValueError.
//
// Thread safety: every method may be called from any thread, concurrently.
// The pool must outlive the connections and guards it handed out if they are
// to be returned to it.
#ifndef PGCPP_POOL_CONNECTION_POOL_H_
#define PGCPP_POOL_CONNECTION_POOL_H_

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "pgcpp/core/base_connection.h"
#include "pgcpp/core/connection.h"
#include "pgcpp/pool/backoff.h"
#include "pgcpp/pool/errors.h"
#include "pgcpp/pool/pool_options.h"
#include "pgcpp/pool/workers.h"

namespace pgcpp {

// psycopg's stats keys. Gauges, always present: pool_min, pool_max, pool_size (connections in
// the pool, lent out, or being made), pool_available (idle), requests_waiting. Counters, present
// only when non-zero: requests_num, requests_queued, requests_wait_ms, requests_errors,
// usage_ms, returns_bad, connections_num, connections_ms, connections_errors, connections_lost.
using PoolStats = std::map<std::string, std::int64_t>;

class ConnectionPool;

// What ConnectionPool::connection() returns: a borrowed connection that goes back to the pool
// when the guard's scope ends, after COMMIT, or ROLLBACK when an exception leaves the scope (as
// psycopg's `with pool.connection() as conn`). Not movable: it lives in the scope that took it.
// Its destructor throws when the COMMIT fails (the connection is returned first), so do not keep
// one in std::optional or std::unique_ptr.
class PooledConnection {
 public:
  PooledConnection(const PooledConnection&) = delete;
  PooledConnection& operator=(const PooledConnection&) = delete;
  ~PooledConnection() noexcept(false);

  Connection& operator*() { return conn_; }
  Connection* operator->() { return &conn_; }
  Connection& connection() { return conn_; }

 private:
  friend class ConnectionPool;
  PooledConnection(ConnectionPool& pool, Connection conn);

  ConnectionPool& pool_;
  Connection conn_;
  int uncaught_at_start_;
  Clock::time_point taken_at_;
};

class ConnectionPool {
 public:
  // `conninfo` as for Connection::connect(); the callable form is evaluated for every new
  // connection (credentials rotation). Throws std::invalid_argument for bad sizes
  // (min_size < 0, max_size < min_size, both 0, num_workers < 1) or negative durations.
  explicit ConnectionPool(std::string conninfo, PoolOptions options = {});
  explicit ConnectionPool(std::function<std::string()> conninfo, PoolOptions options = {});
  // close(), then waits for the background threads.
  virtual ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  const std::string& name() const { return name_; }
  int min_size() const;
  int max_size() const;
  PoolDuration timeout() const { return options_.timeout; }
  // True before open() and after close().
  bool closed() const;

  // Starts the workers and the initial connections; with `wait`, then wait(timeout). Does
  // nothing on an open pool; a closed pool cannot be reopened (PoolClosed).
  void open(bool wait = false, PoolDuration timeout = std::chrono::seconds(30));
  // Clients waiting get PoolClosed, idle connections are closed, connections lent out are
  // closed when they come back, connection attempts are abandoned; then waits up to
  // `timeout` for the workers to finish their current task (the destructor waits for the
  // rest). Idempotent.
  void close(PoolDuration timeout = std::chrono::seconds(5));
  // Blocks until min_size connections are idle. After `timeout`, closes the pool and throws
  // PoolTimeout("pool initialization incomplete after <t> sec").
  virtual void wait(PoolDuration timeout = std::chrono::seconds(30));

  // A connection for the caller, waiting up to `timeout` (default: options timeout): PoolTimeout,
  // TooManyRequests, PoolClosed. Return it with putconn().
  Connection getconn(std::optional<PoolDuration> timeout = std::nullopt);
  // Takes back a connection from getconn(). On std::invalid_argument (it comes from another
  // pool or from none) `conn` is left untouched.
  void putconn(Connection&& conn);

  // getconn() as a scope guard (see PooledConnection).
  PooledConnection connection(std::optional<PoolDuration> timeout = std::nullopt);
  // Runs `body(conn)` on a borrowed connection, committing after it, rolling back if it throws.
  template <class F>
  requires std::is_invocable_v<F, Connection&>
  decltype(auto) connection(F&& body, std::optional<PoolDuration> timeout = std::nullopt) {
    PooledConnection conn = connection(timeout);
    return std::forward<F>(body)(*conn);
  }

  // New sizes (checked as in the constructor). A larger min_size adds connections at once;
  // a smaller size shrinks lazily.
  virtual void resize(int min_size, std::optional<int> max_size = std::nullopt);
  // Checks every idle connection now: expired ones and broken ones (check_connection fails)
  // are closed and replaced.
  virtual void check();
  // Closes every idle connection and opens replacements; connections lent out are replaced
  // when they come back (e.g. after rotating credentials).
  virtual void drain();
  // Raises when `conn` does not work: sends an empty query (no transaction is started).
  // Usable as PoolOptions::check.
  static void check_connection(Connection& conn);

  PoolStats get_stats() const;
  // get_stats(), resetting the counters.
  PoolStats pop_stats();

 protected:
  enum class Kind { kPool, kNull };
  // Does not open the pool: the most derived class does (so that every override is in place).
  ConnectionPool(Kind kind, std::function<std::string()> conninfo, PoolOptions options);

  // The sizes after psycopg's checks (NullConnectionPool: min 0, max nullopt -> 0 = no limit).
  std::pair<int, int> check_size(std::optional<int> min_size, std::optional<int> max_size) const;
  // Raises PoolClosed unless the pool is open.
  void check_open_getconn() const;
  // A new connection (configured, registered with the pool), abandoned at `deadline`.
  Connection connect(std::optional<Clock::time_point> deadline = std::nullopt);
  // A new connection, not registered (NullConnectionPool::wait's probe).
  Connection connect_unregistered(std::optional<Clock::time_point> deadline);
  // Gives queued clients permission to connect while the null pool has room.
  void grant_slots_locked();
  void log(PoolLogLevel level, const std::string& message) const;

  enum Counter : int {
    kRequestsNum,
    kRequestsQueued,
    kRequestsWaitMs,
    kRequestsErrors,
    kUsageMs,
    kReturnsBad,
    kConnectionsNum,
    kConnectionsMs,
    kConnectionsErrors,
    kConnectionsLost,
    kCounterCount,
  };
  void count(Counter counter, std::int64_t n = 1) const {
    counters_[counter].fetch_add(n, std::memory_order_relaxed);
  }

  const Kind kind_;
  const std::function<std::string()> conninfo_;
  const PoolOptions options_;
  const std::string name_;

  mutable std::mutex mu_;
  int min_size_;         // guarded by mu_
  int max_size_;         // guarded by mu_
  int nconns_;           // connections idle, lent out or being made; guarded by mu_
  bool opened_ = false;  // guarded by mu_
  bool closed_ = true;   // guarded by mu_

 private:
  friend class PooledConnection;

  // A client waiting in getconn(); lives on that client's stack, signalled under mu_.
  struct Waiter {
    std::condition_variable cv;
    std::optional<Connection> conn;
    std::exception_ptr error;
    bool slot = false;  // NullConnectionPool: this client may connect
    bool done() const { return conn.has_value() || error || slot; }
  };
  struct Idle {
    Connection conn;
    Clock::time_point since;
  };
  // What the pool knows about each of its connections.
  struct Record {
    std::weak_ptr<BaseConnection> base;  // expired: the client dropped it
    Clock::time_point expire_at;
    std::uint64_t generation;  // drain() generation at connection time
  };
  struct Task {
    enum class Kind { kAddConnection, kReturnConnection, kShrinkPool } kind;
    std::optional<Connection> conn{};
    std::optional<pool_internal::AttemptWithBackoff> attempt{};
    bool growing = false;
    bool from_getconn = false;
  };
  struct Taken {
    Connection conn;
    std::optional<Clock::time_point> idle_since;  // set when it came straight from idle
  };

  void start_initial_tasks();
  void throw_if_not_open_locked() const;
  Taken getconn_unchecked(Clock::time_point deadline, PoolDuration timeout);
  Connection connect_for_client(Clock::time_point deadline, PoolDuration timeout);
  // Whether `taken` may be handed out; otherwise it has been disposed of.
  bool checkout_checks(Taken& taken, Clock::time_point deadline,
                       std::optional<pool_internal::AttemptWithBackoff>& attempt);
  void maybe_grow_pool_locked();
  void reclaim_lost_locked();
  void putconn_owned(Connection conn, bool from_getconn);
  bool maybe_close_connection(Connection& conn);
  void return_connection(Connection conn, bool from_getconn);
  void reset_connection(Connection& conn);
  void add_to_pool(Connection conn);
  // Closes `conn` and queues a replacement (while the pool is open).
  void replace(Connection conn);
  void forget_locked(const Connection& conn);
  void run_task(Task task) { workers_.run(std::move(task)); }
  void handle_task(Task task);
  void add_connection(std::optional<pool_internal::AttemptWithBackoff> attempt, bool growing);
  void shrink_pool();
  bool owns(const BaseConnection* base) const;
  PoolStats collect_stats(bool reset) const;
  std::string foreign_connection_message(const BaseConnection* base) const;
  void shutdown();

  std::deque<Idle> idle_;                                      // guarded by mu_
  std::deque<Waiter*> waiting_;                                // FIFO; guarded by mu_
  std::unordered_map<const BaseConnection*, Record> records_;  // guarded by mu_
  std::size_t nconns_min_ = 0;    // fewest idle connections since the last shrink; guarded by mu_
  bool growing_ = false;          // guarded by mu_
  std::uint64_t generation_ = 0;  // drain() count; guarded by mu_
  std::condition_variable full_cv_;  // wait(): signalled when min_size are idle
  std::atomic<bool> stop_{false};    // abandons connection attempts
  mutable std::array<std::atomic<std::int64_t>, kCounterCount> counters_{};
  // Last: destroyed (joined) first, while everything its tasks use still exists.
  pool_internal::Workers<Task> workers_;
};

}  // namespace pgcpp

#endif  // PGCPP_POOL_CONNECTION_POOL_H_
