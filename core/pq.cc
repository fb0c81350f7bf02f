#include "pgcpp/core/pq.h"

namespace pgcpp {

std::string connection_error_message(const PGconn* conn) {
  std::string message = conn ? PQerrorMessage(conn) : "out of memory";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

}  // namespace pgcpp
