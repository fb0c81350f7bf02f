#include "pgcpp/testing/server_activity.h"

#include <libpq-fe.h>

#include <thread>

namespace pgcpp::testing {

bool wait_for_active_query(const std::string& dsn, const std::string& query, bool blocked_on_lock,
                           std::chrono::milliseconds timeout) {
  PGconn* conn = PQconnectdb(dsn.c_str());
  std::string sql =
      "SELECT 1 FROM pg_stat_activity WHERE state = 'active' AND query = $1 "
      "AND pid <> pg_backend_pid()";
  if (blocked_on_lock) sql += " AND wait_event_type = 'Lock'";
  const char* params[] = {query.c_str()};
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool found = false;
  while (PQstatus(conn) == CONNECTION_OK && !found && std::chrono::steady_clock::now() < deadline) {
    PGresult* res = PQexecParams(conn, sql.c_str(), 1, nullptr, params, nullptr, nullptr, 0);
    found = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0;
    PQclear(res);
    if (!found) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  PQfinish(conn);
  return found;
}

}  // namespace pgcpp::testing
