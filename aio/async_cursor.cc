#include "pgcpp/aio/async_cursor.h"

namespace pgcpp {

Task<AsyncCursor&> AsyncCursor::run(Operation<void> op) {
  co_await aio_internal::run_locked(session_, std::move(op));
  co_return *this;
}

}  // namespace pgcpp
