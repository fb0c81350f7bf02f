#include "pgcpp/pool/empty_query.h"

#include <vector>

#include "pgcpp/core/errors.h"
#include "pgcpp/core/pq.h"

namespace pgcpp::pool_internal {

Operation<void> empty_query(BaseConnection& base) {
  PGconn* pgconn = base.checked_pgconn();
  if (PQsendQuery(pgconn, "") == 0) {
    throw OperationalError("sending query failed: " + connection_error_message(pgconn));
  }
  std::vector<PGresultPtr> results = co_await base.execute_sent();
  if (results.empty()) throw OperationalError("the connection is closed");
  for (const PGresultPtr& result : results) {
    if (PQresultStatus(result.get()) == PGRES_FATAL_ERROR) {
      errors::raise_from_result(result.get(), pgconn);
    }
  }
}

}  // namespace pgcpp::pool_internal
