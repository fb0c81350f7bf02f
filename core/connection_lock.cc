#include "pgcpp/core/connection_lock.h"

#include "pgcpp/adapt/errors.h"

namespace pgcpp {

void ConnectionLock::check_not_held() const {
  if (held_by_this_thread()) {
    throw ProgrammingError(
        "this thread is already using the connection (an open COPY, or an operation in "
        "progress): another operation on it from the same thread would wait forever");
  }
}

}  // namespace pgcpp
