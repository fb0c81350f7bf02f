// Options of ConnectionPool and NullConnectionPool: psycopg_pool's keyword
// arguments as an aggregate for designated initializers (name them in
// declaration order; every member has a default).
//
//   using namespace std::chrono_literals;
//   pgcpp::ConnectionPool pool("host=db dbname=app", {.min_size = 2,
//                                                     .max_size = 10,
//                                                     .timeout = 5s,
//                                                     .max_idle = 5min,
//                                                     .check =
//                                                     pgcpp::ConnectionPool::check_connection,
//                                                     .name = "app"});
//
// Durations are steady_clock durations, so 5s, 500ms and 1min all convert.
#ifndef PGCPP_POOL_POOL_OPTIONS_H_
#define PGCPP_POOL_POOL_OPTIONS_H_

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "pgcpp/core/connect_options.h"
#include "pgcpp/core/connection.h"
#include "pgcpp/core/operation.h"

namespace pgcpp {

class ConnectionPool;

using PoolDuration = Clock::duration;

enum class PoolLogLevel : int { kInfo = 20, kWarning = 30 };

// What the pool reports about itself (psycopg_pool logs these): kWarning for
// lost, discarded or rolled-back connections and failed connection attempts,
// kInfo for growing, shrinking and expiring. Called from client and worker
// threads, possibly at the same time and with the pool's lock held: it must be
// thread-safe and must not call the pool.
using PoolLogger = std::function<void(PoolLogLevel level, std::string_view message)>;

// A callback run on a pooled connection; see each option for what a throw means.
using ConnectionCallback = std::function<void(Connection& conn)>;

struct PoolOptions {
  // Connections the pool keeps open; nullopt: 4 (NullConnectionPool: 0, the only valid value).
  std::optional<int> min_size{};
  // The most connections open at once; nullopt means min_size (NullConnectionPool: nullopt
  // and 0 mean no limit).
  std::optional<int> max_size{};
  // The default wait for getconn()/connection().
  PoolDuration timeout = std::chrono::seconds(30);
  // Clients allowed to wait at once; more get TooManyRequests. 0: no limit.
  int max_waiting = 0;
  // Connections are closed and replaced when they come back this long (minus up to 5%
  // random jitter, so they do not all expire together) after they were made.
  PoolDuration max_lifetime = std::chrono::hours(1);
  // Every max_idle, one connection is closed if the pool has more than min_size and some
  // connection stayed idle through the whole period.
  PoolDuration max_idle = std::chrono::minutes(10);
  // How long a failing connection attempt is retried (backoff from 1 s, doubling) before the
  // pool gives up that connection and calls reconnect_failed.
  PoolDuration reconnect_timeout = std::chrono::minutes(5);
  std::function<void(ConnectionPool& pool)> reconnect_failed{};
  // Threads for the background tasks (connecting, and returning connections when `reset` is set).
  int num_workers = 3;
  // Runs on each new connection; it must leave it idle. A throw counts as a failed attempt.
  ConnectionCallback configure{};
  // Runs on each connection getconn() hands out (e.g. check_connection); a throw sends that
  // connection back (a broken one is replaced) and getconn() tries another.
  ConnectionCallback check{};
  // Runs, in a worker, on each returned connection; it must leave it idle, else (or on a throw)
  // the connection is closed and replaced.
  ConnectionCallback reset{};
  // Used in messages; empty: "pool-<n>".
  std::string name{};
  // psycopg's kwargs: connection options of every new connection. When the conninfo and these
  // leave connect_timeout unset (PGCONNECT_TIMEOUT unset too), the pool uses
  // kDefaultPoolConnectTimeout, so that no worker waits minutes on an unreachable server.
  ConnectOptions connect_options{};
  // When set, called for each new connection instead of using connect_options (credentials
  // rotation; see also drain()).
  std::function<ConnectOptions()> connect_options_fn{};
  // false: the constructor does not open the pool; call open().
  bool open = true;

  // --- Beyond psycopg_pool (its users asked for these in #584 and #1018). ---
  // Also enforce max_lifetime when handing a connection out: an expired one is closed and
  // replaced, and the client gets another.
  bool check_lifetime_on_getconn = false;
  // Check only connections that stayed idle at least this long before getconn() hands them out,
  // with `check`, or check_connection when `check` is unset. nullopt: `check` runs every time.
  std::optional<PoolDuration> check_after_idle{};
  // Runs in the client's thread when getconn() has chosen a connection; a throw returns the
  // connection to the pool and leaves getconn() with that exception.
  ConnectionCallback on_acquire{};
  // Runs in the client's thread at putconn(), before the connection is put back; a throw is
  // logged and the connection is closed and replaced.
  ConnectionCallback on_release{};
  PoolLogger log{};
};

// The connect_timeout of pool connections when nothing else sets one (see connect_options).
inline constexpr int kDefaultPoolConnectTimeout = 10;  // seconds

}  // namespace pgcpp

#endif  // PGCPP_POOL_POOL_OPTIONS_H_
