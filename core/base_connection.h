// BaseConnection: a connection's state and the protocol operations on it,
// shared by the sync Connection and //aio's AsyncConnection.
//
// Every method returning Operation<T> is one of psycopg's "gens": it assumes
// the caller holds lock() and drives it (pgcpp::wait() for sync code, an event
// loop for async code). The plain methods read state and never block.
//
// This is also the seam that //tpc and //notify build on without //core
// knowing them: raw command execution (exec_command), the transaction status,
// the notifications collected during any operation (set_notify_sink), and a
// guard that forbids commit()/rollback() while another protocol (two-phase
// commit) owns the transaction (set_transaction_owner), and one that forbids
// cancel() (set_cancel_refusal).
//
// Thread safety: one operation at a time per connection (hold lock()).
// cancel_handle() may be used from any thread.
#ifndef PGCPP_CORE_BASE_CONNECTION_H_
#define PGCPP_CORE_BASE_CONNECTION_H_

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pgcpp/adapt/adapters_map.h"
#include "pgcpp/adapt/errors.h"
#include "pgcpp/core/cancel.h"
#include "pgcpp/core/connect_options.h"
#include "pgcpp/core/connection_lock.h"
#include "pgcpp/core/operation.h"
#include "pgcpp/core/pipeline.h"
#include "pgcpp/core/pq.h"
#include "pgcpp/core/prepared_statements.h"
#include "pgcpp/core/protocol.h"

namespace pgcpp {

enum class TransactionStatus : int {
  kIdle = PQTRANS_IDLE,
  kActive = PQTRANS_ACTIVE,
  kInTrans = PQTRANS_INTRANS,
  kInError = PQTRANS_INERROR,
  kUnknown = PQTRANS_UNKNOWN,
};

enum class IsolationLevel : int {
  kReadUncommitted = 1,
  kReadCommitted = 2,
  kRepeatableRead = 3,
  kSerializable = 4,
};

// "IDLE", "ACTIVE", "INTRANS", "INERROR", "UNKNOWN": psycopg's names, used in messages.
const char* to_string(TransactionStatus status);
// "READ COMMITTED", ...: the SQL spelling.
const char* to_string(IsolationLevel level);

using NoticeHandler = std::function<void(const Diagnostic&)>;

class BaseConnection : public std::enable_shared_from_this<BaseConnection> {
 public:
  // Takes a connected PGconn (see connect_operation in pgcpp/core/connection.h).
  static std::shared_ptr<BaseConnection> adopt(PGconnPtr pgconn, bool autocommit);
  ~BaseConnection();
  BaseConnection(const BaseConnection&) = delete;
  BaseConnection& operator=(const BaseConnection&) = delete;

  ConnectionLock& lock() { return lock_; }

  // The libpq connection; nullptr once closed.
  PGconn* pgconn() const { return pgconn_.get(); }

  // Raises OperationalError("the connection is closed") when it is.
  PGconn* checked_pgconn() const;

  bool closed() const;
  // Closed by the server or the network rather than by close().
  bool broken() const { return closed() && !closed_by_user_; }
  // Idempotent; never commits (the server discards an open transaction).
  void close();

  TransactionStatus transaction_status() const;

  // Asks the server to cancel the running command, waiting up to `timeout`
  // for it to be processed (CancellationTimeout after that). Any thread; a
  // no-op once closed, also when the connection was lost (as seen by the
  // thread running operations: there is nothing to cancel, and maybe no
  // server to ask).
  void cancel(Clock::duration timeout = std::chrono::seconds(30));

  // cancel() as an operation, for drivers other than the sync one (//aio);
  // the caller need not hold lock(). Only the PQcancel fallback (no
  // cancel_key()) blocks.
  Operation<void> cancel_operation(Clock::duration timeout = std::chrono::seconds(30));

  // What a non-blocking cancel request needs (pgcpp/core/cancel.h); nullopt
  // when this libpq's cancel data cannot be read safely. Fixed at connect.
  const std::optional<CancelKey>& cancel_key() const { return cancel_key_; }

  // Characteristics (psycopg's connection attributes). The setters raise
  // ProgrammingError unless the connection is idle; see check_idle_for().
  bool autocommit() const { return autocommit_; }
  std::optional<IsolationLevel> isolation_level() const { return isolation_level_; }
  std::optional<bool> read_only() const { return read_only_; }
  std::optional<bool> deferrable() const { return deferrable_; }
  Operation<void> set_autocommit(bool value);
  Operation<void> set_isolation_level(std::optional<IsolationLevel> value);
  Operation<void> set_read_only(std::optional<bool> value);
  Operation<void> set_deferrable(std::optional<bool> value);

  // "BEGIN [ISOLATION LEVEL ...] [READ ONLY|READ WRITE] [[NOT] DEFERRABLE]".
  const std::string& begin_statement();

  // Runs an internal command (BEGIN, COMMIT, SAVEPOINT ...) with the simple
  // protocol, raising the server's error as its SQLSTATE's exception. In a
  // pipeline it is only queued: its error comes when its result is processed.
  Operation<void> exec_command(std::string command) {
    return run_command(std::move(command), /*observed=*/true);
  }

  // exec_command() returning the (last) result, for components that read a
  // few text rows (e.g. //tpc's pg_prepared_xacts) without a cursor. In a
  // pipeline it syncs to get the result.
  Operation<PGresultPtr> exec_query(std::string command) {
    return run_query(std::move(command), /*observed=*/true);
  }

  // The implicit BEGIN: sent before a query when not in autocommit and idle.
  Operation<void> start_query();
  // Whether start_query() has a BEGIN to send (callers skip its frame otherwise).
  bool needs_begin() const {
    return !autocommit_ && transaction_status() == TransactionStatus::kIdle;
  }

  Operation<void> commit();
  Operation<void> rollback();

  // Collects every result of the command just sent, passing notifications to
  // the sink and the results to results_received(). Raises OperationalError
  // when the connection breaks meanwhile.
  Operation<std::vector<PGresultPtr>> execute_sent() { return fetch_sent(/*observed=*/true); }

  // Every result the connection receives passes here, whoever sent the
  // command and however its results are read (execute_sent(), a cursor's own
  // read, a pipeline's results and syncs, a stream's rows, COPY): the one
  // place that keeps the prepared-statement cache in step with the session.
  // It is cleared (PreparedStatements::observe) after a DROP, ALTER, DISCARD,
  // DEALLOCATE or ROLLBACK, e.g. a rollback(), a transaction block's ROLLBACK
  // TO, a COMMIT answered ROLLBACK, //tpc's ROLLBACK [PREPARED]; and when a
  // transaction block ended in an error (a COMMIT failing on a deferred
  // constraint), which the server rolled back. Only the results of the
  // cache's own DEALLOCATEs (send_prepared_maintenance) bypass it.
  void results_received(std::span<const PGresultPtr> results) {
    bool settle = false;
    for (const PGresultPtr& result : results) settle |= observe_result(result.get());
    if (settle) settle_transaction();
  }
  void result_received(const PGresult* result) {
    if (observe_result(result)) settle_transaction();
  }

  // Sends the DEALLOCATEs the prepared-statement cache queued (one round trip;
  // queued one by one in a pipeline). Left for later in a failed transaction:
  // the user's query gets its own error.
  Operation<void> send_prepared_maintenance();

  // The kind of cursor Connection::cursor() makes.
  CursorFactory cursor_factory() const { return cursor_factory_; }
  void set_cursor_factory(CursorFactory factory) { cursor_factory_ = factory; }

  // This connection's adapters: a copy of AdaptersMap::global() taken at
  // connect (copy-on-write); each cursor starts from a copy of it.
  AdaptersMap& adapters() { return adapters_; }
  const AdaptersMap& adapters() const { return adapters_; }

  // The prepared-statement cache and its settings (pgcpp/core/prepared_statements.h);
  // results_received() keeps it in step with the session.
  PreparedStatements& prepared() { return prepared_; }
  const PreparedStatements& prepared() const { return prepared_; }

  // --- Hooks for the components built on core. ---
  void set_notify_sink(protocol::NotifySink sink) { notify_sink_ = std::move(sink); }
  const protocol::NotifySink* notify_sink() const { return notify_sink_ ? &notify_sink_ : nullptr; }

  // While set, commit() and rollback() raise ProgrammingError("commit() " + reason),
  // e.g. reason "cannot be used during a two-phase transaction" (psycopg forbids
  // them during two-phase commit). An empty reason clears it.
  void set_transaction_owner(std::string reason) { transaction_owner_ = std::move(reason); }
  const std::string& transaction_owner() const { return transaction_owner_; }

  // While set, cancel() raises ProgrammingError("cancel() " + reason), e.g.
  // "cannot be used with a prepared two-phase transaction" (psycopg refuses to
  // cancel then); a closed connection still ignores cancel(). An empty reason
  // clears it. Any thread.
  void set_cancel_refusal(std::string reason);

  // Open transaction() blocks, innermost last (see pgcpp/core/transaction.h).
  std::vector<const void*>& transaction_blocks() { return transaction_blocks_; }

  // Sees every internal command (BEGIN, SAVEPOINT, COMMIT, ...) before it is
  // sent: for logging, tracing and tests of the exact command sequences.
  using CommandObserver = std::function<void(std::string_view command)>;
  void set_command_observer(CommandObserver observer) { command_observer_ = std::move(observer); }

  // Notices are passed to these handlers, never printed; a throwing handler is ignored.
  void add_notice_handler(NoticeHandler handler);
  void clear_notice_handlers() { notice_handlers_.clear(); }

  // Raises ProgrammingError("can't change '<what>' now: ...") unless idle.
  void check_idle_for(const char* what) const;

  // --- Pipeline mode (pgcpp/core/pipeline.h) ---
  // The pipeline shared by the open blocks; nullptr outside pipeline mode.
  PipelineState* pipeline() { return pipeline_.level() > 0 ? &pipeline_ : nullptr; }
  PipelineState& pipeline_state() { return pipeline_; }
  // Raises NotSupportedError("<what> cannot be used in pipeline mode") inside
  // one: for COPY, stream(), server-side cursors.
  void check_not_in_pipeline(const char* what) const;
  // A sync point: syncs the pipeline when there is one (psycopg syncs before
  // commit/rollback and the characteristics' setters).
  Operation<void> sync_pipeline();

 private:
  BaseConnection(PGconnPtr pgconn, bool autocommit);
  // cancel()'s checks, with cancel_lock_ held; sends the request by PQcancel
  // when there is no key. True when the request by key is left to send.
  bool cancel_request_needed();
  static void receive_notice(void* self, const PGresult* result);
  // Queues `command` in the pipeline; its result goes to `*out` when given,
  // and to results_received() when `observed`.
  void send_pipeline_command(const std::string& command, PGresultPtr* out, bool observed);
  // Returns whether `result` may have changed the transaction status: rows
  // cannot (the common case costs one check), a command or an error can.
  bool observe_result(const PGresult* result) {
    if (result == nullptr) return false;
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_TUPLES_OK || status == PGRES_SINGLE_TUPLE) return false;
    if (status == PGRES_FATAL_ERROR) failed_ = true;
    prepared_.observe(result);
    return true;
  }
  // Once the transaction status is known again (not mid-command): clears the
  // prepared statements when an error took a transaction block to idle.
  void settle_transaction();
  // exec_command() / exec_query() / execute_sent(), whose results go to
  // results_received() only when `observed` (not the cache's own DEALLOCATEs).
  Operation<void> run_command(std::string command, bool observed);
  Operation<PGresultPtr> run_query(std::string command, bool observed);
  Operation<std::vector<PGresultPtr>> fetch_sent(bool observed);

  struct PGcancelDeleter {
    void operator()(PGcancel* cancel) const noexcept { PQfreeCancel(cancel); }
  };

  ConnectionLock lock_;
  PGconnPtr pgconn_;
  const std::optional<CancelKey> cancel_key_;
  std::mutex cancel_lock_;  // cancel() runs outside lock_, concurrently with operations
  std::unique_ptr<PGcancel, PGcancelDeleter> cancel_;  // the PQcancel fallback
  bool cancel_closed_ = false;                         // guarded by cancel_lock_
  std::string cancel_refusal_;                         // guarded by cancel_lock_
  bool closed_by_user_ = false;
  // Set once closed() or a failed operation has seen libpq's CONNECTION_BAD;
  // cancel() reads it instead of the PGconn, which another thread may be using.
  mutable std::atomic<bool> lost_{false};
  bool autocommit_ = false;
  std::optional<IsolationLevel> isolation_level_;
  std::optional<bool> read_only_;
  std::optional<bool> deferrable_;
  std::string begin_statement_;  // cached; empty when a characteristic changed
  protocol::NotifySink notify_sink_;
  std::string transaction_owner_;
  std::vector<const void*> transaction_blocks_;
  std::vector<NoticeHandler> notice_handlers_;
  CommandObserver command_observer_;
  AdaptersMap adapters_ = AdaptersMap::global();
  CursorFactory cursor_factory_ = CursorFactory::kCursor;
  PreparedStatements prepared_;
  // The transaction status when the results last left it known, and whether
  // an error came since (settle_transaction()).
  TransactionStatus settled_status_ = TransactionStatus::kIdle;
  bool failed_ = false;
  PipelineState pipeline_{*this};
};

}  // namespace pgcpp

#endif  // PGCPP_CORE_BASE_CONNECTION_H_
