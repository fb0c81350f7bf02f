// NullConnectionPool: psycopg_pool's NullConnectionPool, a pool that keeps no
// idle connection. Each getconn() opens a new connection and putconn() closes
// it, unless a client is waiting for one; max_size limits how many exist at
// once (0 or nullopt: no limit). For servers behind an external pooler such as
// PgBouncer, where the application should not hold connections, with the same
// interface (and configure/reset/check callbacks, stats) as ConnectionPool.
//
//   pgcpp::NullConnectionPool pool("host=pgbouncer dbname=app", {.max_size = 20});
//   pool.connection([](pgcpp::Connection& conn) { conn.exec_command("..."); });
//
// min_size must be 0 (nullopt is 0); there are no background connections nor
// shrinking; wait() makes one test connection; check() does nothing. A client
// queued because max_size connections exist gets the next one returned, or
// makes its own when one of them closes. A connection attempt that outlasts
// the client's timeout raises PoolTimeout.
#ifndef PGCPP_POOL_NULL_CONNECTION_POOL_H_
#define PGCPP_POOL_NULL_CONNECTION_POOL_H_

#include <functional>
#include <optional>
#include <string>

#include "pgcpp/pool/connection_pool.h"

namespace pgcpp {

class NullConnectionPool : public ConnectionPool {
 public:
  explicit NullConnectionPool(std::string conninfo, PoolOptions options = {});
  explicit NullConnectionPool(std::function<std::string()> conninfo, PoolOptions options = {});

  // Connects once (retrying with backoff) and closes that connection. After `timeout`, closes
  // the pool and throws PoolTimeout.
  void wait(PoolDuration timeout = std::chrono::seconds(30)) override;
  // Takes effect at once: clients waiting get to connect if max_size grew.
  void resize(int min_size, std::optional<int> max_size = std::nullopt) override;
  // Nothing to check: the pool holds no connections.
  void check() override {}
};

}  // namespace pgcpp

#endif  // PGCPP_POOL_NULL_CONNECTION_POOL_H_
