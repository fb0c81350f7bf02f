// AsyncConnection: a connection driven by an EventLoop; psycopg's AsyncConnection.
//
//   pgcpp::EventLoop loop;
//   loop.run([&]() -> pgcpp::Task<void> {
//     const pgcpp::ConnectOptions options{.autocommit = false};  // named: see task.h
//     pgcpp::AsyncConnection conn =
//         co_await pgcpp::AsyncConnection::connect("dbname=app", options);
//     pgcpp::AsyncCursor cur = co_await conn.execute("SELECT %s + 1", 41);
//     std::optional<std::tuple<int>> row = cur.fetchone(pgcpp::typed_row<int>);
//     co_await conn.transaction([&](pgcpp::AsyncTransaction& tx) -> pgcpp::Task<void> {
//       co_await conn.execute("INSERT INTO t VALUES (%s)", 1);
//     });                                         // COMMIT (ROLLBACK on an exception)
//     co_await conn.close();
//   }());
//
// The same semantics as pgcpp::Connection (pgcpp/core/connection.h) because
// every I/O step is one of core's operations (connect_operation, the cursor's
// execute, BaseConnection's commit/rollback/setters, TransactionBlock,
// cancel_operation), driven by the loop instead of poll(): the implicit BEGIN
// when not in autocommit, errors as the SQLSTATE's exception class, broken()
// after a lost connection, ... As in psycopg, the characteristics' setters are
// coroutines (`co_await conn.set_autocommit(true)`), and cursor() and the
// getters are synchronous.
//
// Concurrency: many connections progress at once on one loop. Operations on
// one connection from several tasks run one at a time, in arrival order: a
// second task waits for the first (an AsyncLock, psycopg's asyncio.Lock); it
// does not fail. cancel() does not wait for the lock: it interrupts the
// running command. close() waits for the running operation to end. A task
// destroyed while its operation is midway (an abandoned Task, e.g. with its
// loop) closes the connection: nothing could use it safely afterwards.
//
// Transactions: `co_await conn.transaction(body)` where body is a callable
// taking AsyncTransaction& and returning Task<void>. The block sends BEGIN (or
// a SAVEPOINT when nested), awaits body, then COMMITs (RELEASE) when it
// returns normally, or ROLLs BACK (ROLLBACK TO + RELEASE) when it throws,
// rethrowing the exception; `throw pgcpp::Rollback()` rolls the innermost
// block back and ends there quietly, `throw pgcpp::Rollback(tx)` rolls back
// every block up to `tx` and ends there. Exact commands and rules as
// pgcpp/core/transaction.h (they are its TransactionBlock). The body callable
// is moved into the transaction's frame, so a lambda temporary is fine.
//
// An AsyncConnection belongs to the loop it was connected on; use it from that
// loop's tasks only. The destructor closes it, as Connection's does, unless an
// operation is under way: the connection then closes when the last of the
// running operations and the cursors (which share it) is gone.
#ifndef PGCPP_AIO_ASYNC_CONNECTION_H_
#define PGCPP_AIO_ASYNC_CONNECTION_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "pgcpp/aio/async_cursor.h"
#include "pgcpp/aio/async_session.h"
#include "pgcpp/aio/async_typed_cursor.h"
#include "pgcpp/aio/event_loop.h"
#include "pgcpp/aio/task.h"
#include "pgcpp/core/base_connection.h"
#include "pgcpp/core/connect_options.h"
#include "pgcpp/core/connection_info.h"
#include "pgcpp/core/cursor.h"
#include "pgcpp/core/operation.h"
#include "pgcpp/core/pq.h"
#include "pgcpp/core/transaction.h"

namespace pgcpp {

// The block an AsyncConnection::transaction() body runs in.
class AsyncTransaction {
 public:
  using Status = TransactionBlock::Status;
  explicit AsyncTransaction(TransactionBlock& block) : block_(&block) {}

  const std::string& savepoint_name() const { return block_->savepoint_name(); }
  bool force_rollback() const { return block_->force_rollback(); }
  // Rolls back at the end even when the body returns normally.
  void set_force_rollback(bool value) { block_->set_force_rollback(value); }
  Status status() const { return block_->status(); }
  // So that `throw pgcpp::Rollback(tx)` names this block.
  operator const TransactionBlock&() const { return *block_; }  // NOLINT: implicit

 private:
  TransactionBlock* block_;
};

class AsyncConnection {
 public:
  // Connects without blocking the loop (core's connect_operation: every host
  // attempt, connect_timeout per attempt). The first form uses the loop running
  // the awaiting task (EventLoop::current()).
  static Task<AsyncConnection> connect(std::string_view conninfo,
                                       const ConnectOptions& options = {});
  static Task<AsyncConnection> connect(EventLoop& loop, std::string_view conninfo,
                                       const ConnectOptions& options = {});
  static Task<AsyncConnection> connect(const ConnectOptions& options) {
    return connect(std::string_view(), options);
  }

  AsyncConnection(AsyncConnection&&) noexcept = default;
  AsyncConnection& operator=(AsyncConnection&& other) noexcept;
  ~AsyncConnection() { release(); }

  // Wraps a connection made by connect_operation() (pgcpp/core/connection.h) and driven by
  // the caller, e.g. one it may abandon; `options` are the ones the attempt was made with.
  static AsyncConnection adopt(EventLoop& loop, PGconnPtr pgconn, const ConnectOptions& options);

  bool closed() const { return !session_ || session_->conn.closed(); }
  bool broken() const { return session_ && session_->conn.broken(); }
  // Waits for the running operation, then closes (never commits).
  Task<void> close();
  // Asks the server to cancel the running command (it then fails with
  // QueryCanceled), without waiting for the connection's lock. Does nothing
  // on a closed connection.
  Task<void> cancel();

  Task<void> commit();
  Task<void> rollback();

  bool autocommit() const { return base().autocommit(); }
  Task<void> set_autocommit(bool value);
  std::optional<IsolationLevel> isolation_level() const { return base().isolation_level(); }
  Task<void> set_isolation_level(std::optional<IsolationLevel> value);
  std::optional<bool> read_only() const { return base().read_only(); }
  Task<void> set_read_only(std::optional<bool> value);
  std::optional<bool> deferrable() const { return base().deferrable(); }
  Task<void> set_deferrable(std::optional<bool> value);

  // A transaction block around `co_await body(tx)` (see the overview).
  template <class F>
  Task<void> transaction(F body, TransactionOptions options = {}) {
    return run_transaction(session(), std::move(options),
                           std::function<Task<void>(AsyncTransaction&)>(std::move(body)));
  }

  TransactionStatus transaction_status() const { return base().transaction_status(); }
  // What libpq and the server say about this connection (a view: read on each call).
  ConnectionInfo info() const { return ConnectionInfo(base()); }

  // A new cursor (no I/O), of the kind ConnectOptions::cursor_factory says.
  AsyncCursor cursor(CursorOptions options = {}) const {
    return AsyncCursor(session(), session_->conn.cursor(options));
  }
  // A cursor whose fetches use `row_factory` by default (pgcpp/aio/async_typed_cursor.h).
  template <class RowFactory>
  requires(!std::is_same_v<std::remove_cvref_t<RowFactory>, CursorOptions>)
      AsyncTypedCursor<RowFactory> cursor(RowFactory row_factory, CursorOptions options = {})
  const { return AsyncTypedCursor<RowFactory>(cursor(options), std::move(row_factory)); }
  // cursor().execute(...): the cursor holding the results.
  //   AsyncCursor cur = co_await conn.execute("SELECT * FROM t WHERE id = %s", id);
  template <class... Params>
  Task<AsyncCursor> execute(std::string_view query, const Params&... params) const {
    AsyncCursor cur = cursor();
    Operation<void> op = cur.operation_for(ExecuteOptions{}, query, params...);
    return execute_into(std::move(cur), std::move(op));
  }
  template <class... Params>
  Task<AsyncCursor> execute(const sql::Composable& query, const Params&... params) const {
    AsyncCursor cur = cursor();
    Operation<void> op =
        cur.operation_for(ExecuteOptions{}, query.as_string(cur.cursor().adapters()), params...);
    return execute_into(std::move(cur), std::move(op));
  }

  // Runs internal commands (simple protocol), raising the server's error by SQLSTATE.
  Task<void> exec_command(std::string command);

  void add_notice_handler(NoticeHandler handler) { base().add_notice_handler(std::move(handler)); }

  // The state and operations shared with core; OperationalError once moved from.
  BaseConnection& base() const;
  EventLoop& loop() const;
  // Runs a core operation on this connection once this task holds its lock.
  template <class T>
  Task<T> run(Operation<T> operation) const {
    return aio_internal::run_locked(session(), std::move(operation));
  }

 private:
  friend class AsyncNotifications;  // shares the session (lock, loop, notify sink)
  explicit AsyncConnection(std::shared_ptr<aio_internal::AsyncSession> session)
      : session_(std::move(session)) {}
  const std::shared_ptr<aio_internal::AsyncSession>& session() const;
  // Closes the connection unless an operation is under way; drops the session.
  void release() noexcept;
  static Task<AsyncConnection> connect_on(EventLoop* loop, std::string conninfo,
                                          ConnectOptions options);
  static Task<AsyncCursor> execute_into(AsyncCursor cursor, Operation<void> op);
  static Task<void> run_transaction(std::shared_ptr<aio_internal::AsyncSession> session,
                                    TransactionOptions options,
                                    std::function<Task<void>(AsyncTransaction&)> body);

  std::shared_ptr<aio_internal::AsyncSession> session_;
};

}  // namespace pgcpp

#endif  // PGCPP_AIO_ASYNC_CONNECTION_H_
