#include "pgcpp/aio/async_connection.h"

#include <exception>

#include "pgcpp/adapt/errors.h"
#include "pgcpp/core/connection.h"

namespace pgcpp {

Task<AsyncConnection> AsyncConnection::connect(std::string_view conninfo,
                                               const ConnectOptions& options) {
  return connect_on(nullptr, std::string(conninfo), options);
}

Task<AsyncConnection> AsyncConnection::connect(EventLoop& loop, std::string_view conninfo,
                                               const ConnectOptions& options) {
  return connect_on(&loop, std::string(conninfo), options);
}

Task<AsyncConnection> AsyncConnection::connect_on(EventLoop* loop, std::string conninfo,
                                                  ConnectOptions options) {
  if (loop == nullptr) loop = &aio_internal::running_loop("AsyncConnection::connect()");
  PGconnPtr pgconn = co_await loop->drive(connect_operation(std::move(conninfo), options));
  co_return adopt(*loop, std::move(pgconn), options);
}

AsyncConnection AsyncConnection::adopt(EventLoop& loop, PGconnPtr pgconn,
                                       const ConnectOptions& options) {
  return AsyncConnection(std::make_shared<aio_internal::AsyncSession>(
      loop, Connection::adopt(std::move(pgconn), options)));
}

AsyncConnection& AsyncConnection::operator=(AsyncConnection&& other) noexcept {
  if (this != &other) {
    release();
    session_ = std::move(other.session_);
  }
  return *this;
}

void AsyncConnection::release() noexcept {
  if (!session_) return;
  if (!session_->lock.locked()) session_->conn.close();
  session_.reset();
}

const std::shared_ptr<aio_internal::AsyncSession>& AsyncConnection::session() const {
  if (!session_) throw OperationalError("the connection is closed");
  return session_;
}

BaseConnection& AsyncConnection::base() const { return session()->conn.base(); }

EventLoop& AsyncConnection::loop() const { return *session()->loop; }

Task<void> AsyncConnection::close() {
  if (!session_) co_return;
  std::shared_ptr<aio_internal::AsyncSession> session = session_;
  AsyncLock::Guard guard = co_await session->lock.lock();
  session->conn.close();
}

Task<void> AsyncConnection::cancel() {
  if (!session_ || session_->conn.closed()) co_return;
  std::shared_ptr<aio_internal::AsyncSession> session = session_;
  co_await session->loop->drive(session->conn.base().cancel_operation());
}

Task<void> AsyncConnection::commit() { return run(base().commit()); }

Task<void> AsyncConnection::rollback() { return run(base().rollback()); }

Task<void> AsyncConnection::set_autocommit(bool value) { return run(base().set_autocommit(value)); }

Task<void> AsyncConnection::set_isolation_level(std::optional<IsolationLevel> value) {
  return run(base().set_isolation_level(value));
}

Task<void> AsyncConnection::set_read_only(std::optional<bool> value) {
  return run(base().set_read_only(value));
}

Task<void> AsyncConnection::set_deferrable(std::optional<bool> value) {
  return run(base().set_deferrable(value));
}

Task<void> AsyncConnection::exec_command(std::string command) {
  return run(base().exec_command(std::move(command)));
}

Task<AsyncCursor> AsyncConnection::execute_into(AsyncCursor cursor, Operation<void> op) {
  co_await aio_internal::run_locked(cursor.session_, std::move(op));
  co_return std::move(cursor);
}

Task<void> AsyncConnection::run_transaction(std::shared_ptr<aio_internal::AsyncSession> session,
                                            TransactionOptions options,
                                            std::function<Task<void>(AsyncTransaction&)> body) {
  TransactionBlock block(session->conn.base_ptr(), std::move(options));
  co_await aio_internal::run_locked(session, block.enter());
  AsyncTransaction tx(block);
  std::exception_ptr error;
  bool rollback_requested = false;
  try {
    co_await body(tx);
  } catch (const Rollback& rollback) {
    rollback_requested = true;
    if (!rollback.targets(block)) error = std::current_exception();  // on to the block it names
  } catch (...) {
    error = std::current_exception();
  }
  if (!error) {
    co_await aio_internal::run_locked(session, block.exit(rollback_requested, rollback_requested));
    co_return;
  }
  try {
    co_await aio_internal::run_locked(session, block.exit(/*failed=*/true, rollback_requested));
  } catch (...) {
    // A failing rollback must not replace the exception leaving the block (as
    // pgcpp::Transaction and psycopg do).
  }
  std::rethrow_exception(error);
}

}  // namespace pgcpp
