// AsyncTypedCursor<RowFactory>: an AsyncCursor whose fetch calls use a default
// row factory (psycopg's conn.cursor(row_factory=...)); a factory passed to a
// call still wins. The async twin of pgcpp/core/typed_cursor.h.
//
//   auto cur = conn.cursor(pgcpp::dict_row);
//   co_await cur.execute("SELECT 1 AS x");
//   std::optional<pgcpp::DictRow> row = cur.fetchone();          // dict_row
//
//   struct User { int64_t id; std::string name; };
//   auto users = conn.cursor(pgcpp::class_row<User>);
//   for (User u : (co_await users.execute("SELECT id, name FROM users")).rows()) ...
#ifndef PGCPP_AIO_ASYNC_TYPED_CURSOR_H_
#define PGCPP_AIO_ASYNC_TYPED_CURSOR_H_

#include <cstddef>
#include <string_view>
#include <utility>

#include "pgcpp/aio/async_cursor.h"
#include "pgcpp/aio/task.h"
#include "pgcpp/core/typed_cursor.h"

namespace pgcpp {

// The fetch calls and rows() without a factory argument use this cursor's row
// factory (pgcpp::internal::WithRowFactory, as TypedCursor's); with one, that factory.
template <class RowFactory>
class AsyncTypedCursor : public internal::WithRowFactory<AsyncCursor, RowFactory> {
 public:
  using internal::WithRowFactory<AsyncCursor, RowFactory>::WithRowFactory;

  // execute() returns this cursor, so that `.fetchone()` keeps the default factory.
  template <class... Params>
  Task<AsyncTypedCursor&> execute(std::string_view query, const Params&... params) {
    return typed(AsyncCursor::execute(query, params...));
  }
  template <class... Params>
  Task<AsyncTypedCursor&> execute(const ExecuteOptions& options, std::string_view query,
                                  const Params&... params) {
    return typed(AsyncCursor::execute(options, query, params...));
  }
  template <class... Params>
  Task<AsyncTypedCursor&> execute(const sql::Composable& query, const Params&... params) {
    return typed(AsyncCursor::execute(query, params...));
  }

 private:
  Task<AsyncTypedCursor&> typed(Task<AsyncCursor&> execution) {
    co_await std::move(execution);
    co_return *this;
  }
};

}  // namespace pgcpp

#endif  // PGCPP_AIO_ASYNC_TYPED_CURSOR_H_
