#include "pgcpp/testing/test_util.h"

#include <signal.h>

#include <cerrno>

namespace pgcpp::testing_internal {

Connection connect(const std::string& dsn) {
  return Connection(PQconnectdb(dsn.c_str()), &PQfinish);
}

std::string query_value(PGconn* conn, const std::string& sql) {
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(conn, sql.c_str()), &PQclear);
  if (PQresultStatus(result.get()) != PGRES_TUPLES_OK) {
    return std::string("ERROR: ") + PQerrorMessage(conn);
  }
  if (PQntuples(result.get()) == 0 || PQnfields(result.get()) == 0) return "(no rows)";
  return PQgetvalue(result.get(), 0, 0);
}

std::string query_value(const std::string& dsn, const std::string& sql) {
  Connection conn = connect(dsn);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return std::string("CONNECT FAILED: ") + PQerrorMessage(conn.get());
  }
  return query_value(conn.get(), sql);
}

bool process_exists(int pid) { return kill(pid, 0) == 0 || errno != ESRCH; }

}  // namespace pgcpp::testing_internal
