// AsyncCursor: runs queries on an AsyncConnection; psycopg's AsyncCursor.
//
//   pgcpp::AsyncCursor cur = conn.cursor();
//   co_await cur.execute("INSERT INTO users (id, name) VALUES (%s, %s)", 1, "Ann");
//   co_await cur.execute("SELECT id, name FROM users WHERE id > %s", 0);
//   for (auto [id, name] : cur.rows<int64_t, std::string>()) ...
//   std::optional<std::tuple<int64_t, std::string>> one = cur.fetchone();
//   std::vector<pgcpp::DictRow> all = cur.fetchall(pgcpp::dict_row);
//
// execute() is the only I/O: it is core's Cursor::execute operation (the same
// placeholders, parameter adaptation, implicit BEGIN, prepared statements and
// errors by SQLSTATE as pgcpp::Cursor, see pgcpp/core/cursor.h) driven by the
// connection's EventLoop once the task holds the connection's lock. The
// results are then in memory, so fetchone() / fetchmany() / fetchall() /
// rows() / iteration are plain synchronous calls on them, as psycopg's fetches
// on a client-side cursor do no I/O.
//
// execute() converts the query and adapts the parameters when it is called
// (a bad parameter raises there, not at co_await) and copies what it needs, so
// its arguments may be temporaries. Keep the cursor alive until the execute()
// task has finished, and do not use it meanwhile.
#ifndef PGCPP_AIO_ASYNC_CURSOR_H_
#define PGCPP_AIO_ASYNC_CURSOR_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pgcpp/adapt/row.h"
#include "pgcpp/adapt/value.h"
#include "pgcpp/aio/async_session.h"
#include "pgcpp/aio/task.h"
#include "pgcpp/core/cursor.h"
#include "pgcpp/core/operation.h"
#include "pgcpp/core/sql.h"

namespace pgcpp {

class AsyncConnection;

class AsyncCursor {
 public:
  AsyncCursor(std::shared_ptr<aio_internal::AsyncSession> session, Cursor cursor)
      : session_(std::move(session)), cursor_(std::make_unique<Cursor>(std::move(cursor))) {}
  AsyncCursor(AsyncCursor&&) noexcept = default;
  AsyncCursor& operator=(AsyncCursor&&) noexcept = default;

  // --- Executing (co_await it; it returns this cursor) ----------------------
  template <class... Params>
  Task<AsyncCursor&> execute(std::string_view query, const Params&... params) {
    return execute(ExecuteOptions{}, query, params...);
  }
  template <class... Params>
  Task<AsyncCursor&> execute(const ExecuteOptions& options, std::string_view query,
                             const Params&... params) {
    return run(operation_for(options, query, params...));
  }
  template <class... Params>
  Task<AsyncCursor&> execute(const sql::Composable& query, const Params&... params) {
    return execute(ExecuteOptions{}, query.as_string(cursor_->adapters()), params...);
  }

  // Parameters known at run time, and %(name)s placeholders (as Cursor's).
  Task<AsyncCursor&> execute_values(std::string_view query, std::span<const Value> params,
                                    ExecuteOptions options = {}) {
    return run(cursor_->execute_values_operation_for(query, params, options));
  }
  Task<AsyncCursor&> execute_named(std::string_view query, const NamedParams& params,
                                   ExecuteOptions options = {}) {
    return run(cursor_->execute_named_operation_for(query, params, options));
  }

  // --- Results (no I/O) --------------------------------------------------------
  const std::optional<std::vector<ColumnDescription>>& description() const {
    return cursor_->description();
  }
  int64_t rowcount() const { return cursor_->rowcount(); }
  std::optional<int64_t> rownumber() const { return cursor_->rownumber(); }
  std::optional<std::string> statusmessage() const { return cursor_->statusmessage(); }
  bool nextset() { return cursor_->nextset(); }
  void scroll(int64_t value, ScrollMode mode = ScrollMode::kRelative) {
    cursor_->scroll(value, mode);
  }

  template <class Factory = TupleRowFactory>
  auto fetchone(Factory factory = {}) {
    return cursor_->fetchone(factory);
  }
  template <class Factory = TupleRowFactory>
  auto fetchmany(size_t size = 0, Factory factory = {}) {
    return cursor_->fetchmany(size, factory);
  }
  template <class Factory = TupleRowFactory>
  auto fetchall(Factory factory = {}) {
    return cursor_->fetchall(factory);
  }
  // The remaining rows as std::tuple<Ts...> (see Cursor::rows); on a temporary
  // cursor the range owns the results.
  template <class... Ts>
  auto rows() & {
    return cursor_->rows<Ts...>();
  }
  template <class... Ts>
  auto rows() && {
    return std::move(*cursor_).rows<Ts...>();
  }
  template <class Factory>
  auto rows(Factory factory) & {
    return cursor_->rows(std::move(factory));
  }
  // Zero-copy views of the remaining rows: `for (const pgcpp::Row& row : cur)`.
  Cursor::RowIterator begin() { return cursor_->begin(); }
  std::default_sentinel_t end() { return {}; }

  void close() { cursor_->close(); }
  bool closed() const { return cursor_->closed(); }
  // The sync cursor holding the results (arraysize, adapters(), pgresult() ...).
  // Its execute() would block: use this class's.
  Cursor& cursor() { return *cursor_; }
  const Cursor& cursor() const { return *cursor_; }

 private:
  friend class AsyncConnection;
  template <class... Params>
  Operation<void> operation_for(const ExecuteOptions& options, std::string_view query,
                                const Params&... params) {
    return cursor_->execute_operation_for(options, query, params...);
  }
  Task<AsyncCursor&> run(Operation<void> op);

  std::shared_ptr<aio_internal::AsyncSession> session_;
  std::unique_ptr<Cursor> cursor_;  // a stable address for the operations in flight
};

}  // namespace pgcpp

#endif  // PGCPP_AIO_ASYNC_CURSOR_H_
