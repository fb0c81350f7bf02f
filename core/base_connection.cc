#include "pgcpp/core/base_connection.h"

#include <string_view>

#include "pgcpp/core/errors.h"
#include "pgcpp/core/waiting.h"

namespace pgcpp {

const char* to_string(TransactionStatus status) {
  switch (status) {
    case TransactionStatus::kIdle:
      return "IDLE";
    case TransactionStatus::kActive:
      return "ACTIVE";
    case TransactionStatus::kInTrans:
      return "INTRANS";
    case TransactionStatus::kInError:
      return "INERROR";
    case TransactionStatus::kUnknown:
      break;
  }
  return "UNKNOWN";
}

const char* to_string(IsolationLevel level) {
  switch (level) {
    case IsolationLevel::kReadUncommitted:
      return "READ UNCOMMITTED";
    case IsolationLevel::kReadCommitted:
      return "READ COMMITTED";
    case IsolationLevel::kRepeatableRead:
      return "REPEATABLE READ";
    case IsolationLevel::kSerializable:
      break;
  }
  return "SERIALIZABLE";
}

std::shared_ptr<BaseConnection> BaseConnection::adopt(PGconnPtr pgconn, bool autocommit) {
  return std::shared_ptr<BaseConnection>(new BaseConnection(std::move(pgconn), autocommit));
}

BaseConnection::BaseConnection(PGconnPtr pgconn, bool autocommit)
    : pgconn_(std::move(pgconn)),
      cancel_key_(CancelKey::read(pgconn_.get())),
      cancel_(cancel_key_ ? nullptr : PQgetCancel(pgconn_.get())),
      autocommit_(autocommit) {
  // Notices go to handlers, never to stderr (libpq's default receiver prints them).
  PQsetNoticeReceiver(pgconn_.get(), &BaseConnection::receive_notice, this);
}

BaseConnection::~BaseConnection() = default;

void BaseConnection::receive_notice(void* self, const PGresult* result) {
  auto* conn = static_cast<BaseConnection*>(self);
  if (conn->notice_handlers_.empty()) return;
  Diagnostic diag = errors::diagnostic_from_result(result);
  for (const NoticeHandler& handler : conn->notice_handlers_) {
    try {
      handler(diag);
    } catch (...) {
      // psycopg logs and swallows a failing notice handler: a notice must not
      // turn a successful command into a failed one.
    }
  }
}

void BaseConnection::add_notice_handler(NoticeHandler handler) {
  notice_handlers_.push_back(std::move(handler));
}

bool BaseConnection::closed() const {
  if (!pgconn_) return true;
  if (PQstatus(pgconn_.get()) != CONNECTION_BAD) return false;
  lost_ = true;
  return true;
}

void BaseConnection::close() {
  if (!pgconn_) return;
  closed_by_user_ = true;
  {
    std::lock_guard<std::mutex> guard(cancel_lock_);
    cancel_closed_ = true;
    cancel_.reset();
  }
  pgconn_.reset();
}

void BaseConnection::cancel(Clock::duration timeout) {
  std::lock_guard<std::mutex> guard(cancel_lock_);
  if (cancel_request_needed()) wait(protocol::cancel(*cancel_key_, Clock::now() + timeout));
}

Operation<void> BaseConnection::cancel_operation(Clock::duration timeout) {
  {
    std::lock_guard<std::mutex> guard(cancel_lock_);
    if (!cancel_request_needed()) co_return;
  }
  co_await protocol::cancel(*cancel_key_, Clock::now() + timeout);
}

bool BaseConnection::cancel_request_needed() {
  if (cancel_closed_ || lost_) return false;
  if (!cancel_refusal_.empty()) throw ProgrammingError("cancel() " + cancel_refusal_);
  if (cancel_key_) return true;
  if (!cancel_) return false;
  char error[256];
  // PQcancel is libpq's thread-safe way to reach a busy connection: it opens
  // its own short connection to the server, never touching the PGconn.
  if (PQcancel(cancel_.get(), error, sizeof error) == 0) {
    throw OperationalError(std::string("cancel failed: ") + error);
  }
  return false;
}

void BaseConnection::set_cancel_refusal(std::string reason) {
  std::lock_guard<std::mutex> guard(cancel_lock_);
  cancel_refusal_ = std::move(reason);
}

PGconn* BaseConnection::checked_pgconn() const {
  if (closed()) throw OperationalError("the connection is closed");
  return pgconn_.get();
}

TransactionStatus BaseConnection::transaction_status() const {
  if (!pgconn_) return TransactionStatus::kUnknown;
  return static_cast<TransactionStatus>(PQtransactionStatus(pgconn_.get()));
}

void BaseConnection::check_idle_for(const char* what) const {
  TransactionStatus status = transaction_status();
  if (status == TransactionStatus::kIdle) return;
  std::string message = std::string("can't change '") + what + "' now: ";
  if (!transaction_blocks_.empty()) {
    message += "connection.transaction() context in progress";
  } else {
    message += std::string("connection in transaction status ") + to_string(status);
  }
  throw ProgrammingError(message);
}

void BaseConnection::check_not_in_pipeline(const char* what) const {
  if (pipeline_.level() > 0) {
    throw NotSupportedError(std::string(what) + " cannot be used in pipeline mode");
  }
}

Operation<void> BaseConnection::sync_pipeline() {
  if (PipelineState* p = pipeline()) co_await p->sync();
}

Operation<void> BaseConnection::set_autocommit(bool value) {
  co_await sync_pipeline();
  check_idle_for("autocommit");
  autocommit_ = value;
}

Operation<void> BaseConnection::set_isolation_level(std::optional<IsolationLevel> value) {
  co_await sync_pipeline();
  check_idle_for("isolation_level");
  isolation_level_ = value;
  begin_statement_.clear();
}

Operation<void> BaseConnection::set_read_only(std::optional<bool> value) {
  co_await sync_pipeline();
  check_idle_for("read_only");
  read_only_ = value;
  begin_statement_.clear();
}

Operation<void> BaseConnection::set_deferrable(std::optional<bool> value) {
  co_await sync_pipeline();
  check_idle_for("deferrable");
  deferrable_ = value;
  begin_statement_.clear();
}

const std::string& BaseConnection::begin_statement() {
  if (begin_statement_.empty()) {
    std::string sql = "BEGIN";
    if (isolation_level_) sql += std::string(" ISOLATION LEVEL ") + to_string(*isolation_level_);
    if (read_only_) sql += *read_only_ ? " READ ONLY" : " READ WRITE";
    if (deferrable_) sql += *deferrable_ ? " DEFERRABLE" : " NOT DEFERRABLE";
    begin_statement_ = std::move(sql);
  }
  return begin_statement_;
}

Operation<std::vector<PGresultPtr>> BaseConnection::fetch_sent(bool observed) {
  PGconn* conn = checked_pgconn();
  std::vector<PGresultPtr> results;
  try {
    results = co_await protocol::execute(conn, notify_sink());
  } catch (const OperationalError&) {
    closed();  // a lost connection is recorded now, for cancel() in other threads
    throw;
  }
  if (observed) results_received(results);
  co_return results;
}

void BaseConnection::settle_transaction() {
  const TransactionStatus now = transaction_status();
  // Mid-command (a pipeline's pending statements, a stream's rows) or lost:
  // known later.
  if (now == TransactionStatus::kActive || now == TransactionStatus::kUnknown) return;
  if (failed_ && now == TransactionStatus::kIdle &&
      (settled_status_ == TransactionStatus::kInTrans ||
       settled_status_ == TransactionStatus::kInError)) {
    prepared_.clear();  // e.g. a failed COMMIT: the rollback may undo a schema change
  }
  settled_status_ = now;
  failed_ = false;
}

Operation<void> BaseConnection::run_command(std::string command, bool observed) {
  if (pipeline()) {
    send_pipeline_command(command, nullptr, observed);
    co_return;  // its error is raised when its result is processed
  }
  co_await run_query(std::move(command), observed);
}

Operation<void> BaseConnection::send_prepared_maintenance() {
  if (!prepared_.has_maintenance() || transaction_status() == TransactionStatus::kInError) {
    co_return;
  }
  if (pipeline()) {
    // Queued one by one: the extended protocol takes one statement at a time.
    for (std::string& command : prepared_.take_maintenance()) {
      co_await run_command(std::move(command), /*observed=*/false);
    }
    co_return;
  }
  std::string commands;
  for (const std::string& command : prepared_.take_maintenance()) {
    if (!commands.empty()) commands += "; ";
    commands += command;
  }
  co_await run_command(std::move(commands), /*observed=*/false);
}

void BaseConnection::send_pipeline_command(const std::string& command, PGresultPtr* out,
                                           bool observed) {
  PGconn* conn = checked_pgconn();
  if (command_observer_) command_observer_(command);
  // Extended protocol, as every statement in a pipeline (psycopg #350).
  if (PQsendQueryParams(conn, command.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 0) {
    throw OperationalError("sending query failed: " + connection_error_message(conn));
  }
  pipeline_.expect_command(out, {}, observed);
}

Operation<PGresultPtr> BaseConnection::run_query(std::string command, bool observed) {
  if (PipelineState* p = pipeline()) {
    PGresultPtr result;
    send_pipeline_command(command, &result, observed);
    co_await p->sync();
    co_return result;
  }
  PGconn* conn = checked_pgconn();
  if (command_observer_) command_observer_(command);
  if (PQsendQuery(conn, command.c_str()) == 0) {
    throw OperationalError("sending query failed: " + connection_error_message(conn));
  }
  std::vector<PGresultPtr> results = co_await fetch_sent(observed);
  if (results.empty()) throw OperationalError("the connection is closed");
  PGresultPtr last = std::move(results.back());
  ExecStatusType status = PQresultStatus(last.get());
  if (status == PGRES_FATAL_ERROR) errors::raise_from_result(last.get(), conn);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw InterfaceError(std::string("unexpected result ") + PQresStatus(status) +
                         " from command " + command);
  }
  co_return last;
}

Operation<void> BaseConnection::start_query() {
  if (!needs_begin()) co_return;
  co_await exec_command(begin_statement());
  co_await sync_pipeline();  // psycopg syncs right after the BEGIN
}

Operation<void> BaseConnection::commit() {
  if (!transaction_blocks_.empty()) {
    throw ProgrammingError(
        "Explicit commit() forbidden within a Transaction context. (Transaction will be "
        "automatically committed on successful exit from context.)");
  }
  if (!transaction_owner_.empty()) throw ProgrammingError("commit() " + transaction_owner_);
  checked_pgconn();
  if (transaction_status() == TransactionStatus::kIdle) co_return;
  co_await exec_command("COMMIT");
  co_await sync_pipeline();
}

Operation<void> BaseConnection::rollback() {
  if (!transaction_blocks_.empty()) {
    throw ProgrammingError(
        "Explicit rollback() forbidden within a Transaction context. (Either raise Rollback() "
        "or allow an exception to propagate out of the context.)");
  }
  if (!transaction_owner_.empty()) throw ProgrammingError("rollback() " + transaction_owner_);
  checked_pgconn();
  co_await sync_pipeline();  // settles what is pending, so the status is not ACTIVE
  if (transaction_status() == TransactionStatus::kIdle) co_return;
  co_await exec_command("ROLLBACK");  // its result clears the prepared statements
  co_await sync_pipeline();
}

}  // namespace pgcpp
