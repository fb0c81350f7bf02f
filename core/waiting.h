// The synchronous driver of Operation<T>: runs it to the end, waiting with poll().
//
//   PGresultPtr res = pgcpp::wait(fetch(conn));
//
// A socket that reports only an error or hang-up (no readiness) raises
// OperationalError("connection socket closed"), as psycopg's wait_poll does;
// readiness together with a hang-up is passed on, so libpq itself reads the
// end of the stream and reports what the server said.
#ifndef PGCPP_CORE_WAITING_H_
#define PGCPP_CORE_WAITING_H_

#include "pgcpp/core/operation.h"

namespace pgcpp {

// Blocks until `wait.fd` is ready for what it asks, or its deadline passes (then kNone).
Ready poll_once(const Wait& wait);

template <class T>
T wait(Operation<T> op) {
  op.resume(Ready::kNone);
  while (!op.done()) op.resume(poll_once(op.wait()));
  return op.result();
}

}  // namespace pgcpp

#endif  // PGCPP_CORE_WAITING_H_
