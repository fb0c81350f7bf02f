// RAII ownership of libpq objects, and the few helpers every layer needs.
#ifndef PGCPP_CORE_PQ_H_
#define PGCPP_CORE_PQ_H_

#include <libpq-fe.h>

#include <memory>
#include <string>

namespace pgcpp {

struct PGconnDeleter {
  void operator()(PGconn* conn) const noexcept { PQfinish(conn); }
};
struct PGresultDeleter {
  void operator()(PGresult* res) const noexcept { PQclear(res); }
};
struct PQfreememDeleter {
  void operator()(void* p) const noexcept { PQfreemem(p); }
};

using PGconnPtr = std::unique_ptr<PGconn, PGconnDeleter>;
using PGresultPtr = std::unique_ptr<PGresult, PGresultDeleter>;
using PGnotifyPtr = std::unique_ptr<PGnotify, PQfreememDeleter>;

// PQerrorMessage without the trailing newline (libpq's messages end with one).
std::string connection_error_message(const PGconn* conn);

}  // namespace pgcpp

#endif  // PGCPP_CORE_PQ_H_
