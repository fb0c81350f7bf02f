#include "pgcpp/core/pipeline.h"

#include <exception>
#include <string>
#include <utility>

#include "pgcpp/core/base_connection.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/core/waiting.h"

namespace pgcpp {

namespace internal {

void check_results(const std::vector<PGresultPtr>& results, const PGconn* conn) {
  for (const PGresultPtr& res : results) {
    switch (PQresultStatus(res.get())) {
      case PGRES_TUPLES_OK:
      case PGRES_COMMAND_OK:
      case PGRES_EMPTY_QUERY:
      case PGRES_COPY_BOTH:
        break;
      case PGRES_FATAL_ERROR:
        errors::raise_from_result(res.get(), conn);
      case PGRES_PIPELINE_ABORTED:
        throw PipelineAborted("pipeline aborted");
      case PGRES_COPY_IN:
      case PGRES_COPY_OUT:
        throw ProgrammingError("COPY cannot be used with this method; use copy() instead");
      default:
        throw InternalError(std::string("unexpected result status from query: ") +
                            PQresStatus(PQresultStatus(res.get())));
    }
  }
}

}  // namespace internal

namespace {

bool is_copy(ExecStatusType status) {
  return status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH;
}

int64_t affected_rows(const PGresult* res) {
  const char* tuples = PQcmdTuples(const_cast<PGresult*>(res));
  return tuples && *tuples ? std::stoll(tuples) : 0;
}

}  // namespace

void PipelineState::consume(PGconn* pg) {
  try {
    protocol::consume_input(pg);
  } catch (const OperationalError&) {
    conn_.closed();  // records the loss for cancel() in other threads
    throw;
  }
  protocol::drain_notifies(pg, conn_.notify_sink());
}

Operation<void> PipelineState::enter() {
  PGconn* pg = conn_.checked_pgconn();
  if (level_ == 0) {
    if (PQenterPipelineMode(pg) == 0) {
      throw OperationalError("cannot enter pipeline mode: " + connection_error_message(pg));
    }
  } else {
    // The connection may be ACTIVE in an implicit transaction (autocommit);
    // an inner block (e.g. a transaction()) expects it settled.
    co_await sync_if_busy();
  }
  ++level_;
}

Operation<void> PipelineState::exit() {
  std::exception_ptr error;
  try {
    send_sync();
    co_await communicate();
  } catch (...) {
    error = std::current_exception();
  }
  try {
    co_await fetch(/*flush=*/false);
  } catch (...) {
    if (!error) error = std::current_exception();
  }
  try {
    leave();
  } catch (...) {
    if (!error) error = std::current_exception();
  }
  if (error) std::rethrow_exception(error);
}

void PipelineState::leave() {
  if (level_ == 0) return;
  if (--level_ > 0) return;
  for (Expected& e : expected_) {
    if (e.slot) e.slot->outstanding = 0;  // their results will never come
  }
  expected_.clear();
  group_.clear();
  if (conn_.closed()) return;
  PGconn* pg = conn_.pgconn();
  if (PQpipelineStatus(pg) != PQ_PIPELINE_OFF && PQexitPipelineMode(pg) == 0) {
    throw OperationalError("cannot exit pipeline mode: " + connection_error_message(pg));
  }
}

void PipelineState::send_sync() {
  PGconn* pg = conn_.checked_pgconn();
  if (PQpipelineSync(pg) == 0) {
    conn_.closed();
    throw OperationalError("sending sync failed: " + connection_error_message(pg));
  }
  expected_.push_back(Expected{.kind = Expected::Kind::kSync});
}

Operation<void> PipelineState::sync() {
  send_sync();
  co_await communicate();
  co_await fetch(/*flush=*/false);
}

Operation<void> PipelineState::sync_if_busy() {
  if (!expected_.empty() || conn_.transaction_status() == TransactionStatus::kActive) {
    co_await sync();
  }
}

Operation<void> PipelineState::communicate() {
  PGconn* pg = conn_.checked_pgconn();
  std::exception_ptr first;
  for (;;) {
    int flushed = PQflush(pg);
    if (flushed < 0) {
      conn_.closed();
      throw OperationalError("sending query failed: " + connection_error_message(pg));
    }
    if (flushed == 0) break;
    // The server may be blocked writing results to us: read while writing.
    Ready ready = co_yield Wait{PQsocket(pg), WaitFor::kReadWrite};
    if (readable(ready)) {
      consume(pg);
      process_ready(&first);
    }
  }
  // Like psycopg, results are processed here only when the socket had some:
  // in an aborted pipeline libpq makes PIPELINE_ABORTED results out of
  // nothing, and those are for the next fetch to raise.
  if (first) std::rethrow_exception(first);
}

PipelineState::Read PipelineState::read_group() {
  PGconn* pg = conn_.pgconn();
  while (!PQisBusy(pg)) {
    PGresultPtr res(PQgetResult(pg));
    if (!res) {
      // The end of a statement's results, or nothing more before a flush.
      return group_.empty() ? Read::kNothing : Read::kGroup;
    }
    ExecStatusType status = PQresultStatus(res.get());
    if (is_copy(status)) throw NotSupportedError("COPY cannot be used in pipeline mode");
    group_.push_back(std::move(res));
    if (status == PGRES_PIPELINE_SYNC) return Read::kGroup;  // no NULL follows a sync
  }
  return Read::kBusy;
}

void PipelineState::process_ready(std::exception_ptr* first) {
  while (!expected_.empty() && read_group() == Read::kGroup) process(first);
}

Operation<void> PipelineState::fetch(bool flush) {
  if (expected_.empty()) co_return;
  PGconn* pg = conn_.checked_pgconn();
  std::exception_ptr first;
  try {
    if (flush) {
      if (PQsendFlushRequest(pg) == 0) {
        throw OperationalError("sending flush request failed: " + connection_error_message(pg));
      }
      co_await protocol::send(pg);
    }
    while (!expected_.empty()) {
      Read read = read_group();
      if (read == Read::kGroup) {
        process(&first);
      } else if (read == Read::kNothing) {
        break;  // nothing more will come before a flush or a sync
      } else {
        Ready ready = co_yield Wait{PQsocket(pg), WaitFor::kRead};
        if (ready != Ready::kNone) consume(pg);
      }
    }
  } catch (const OperationalError&) {
    conn_.closed();  // records a loss for cancel() in other threads (PipelineAborted: a no-op)
    throw;
  }
  if (first) std::rethrow_exception(first);
}

void PipelineState::process(std::exception_ptr* first) {
  if (expected_.empty()) throw InternalError("pipeline: a result nobody waits for");
  Expected& e = expected_.front();
  try {
    deliver(e);
  } catch (const Error&) {
    if (!*first) *first = std::current_exception();
  }
  if (--e.count == 0) expected_.pop_front();
  group_.clear();
}

void PipelineState::deliver(Expected& e) {
  if (e.observer) e.observer(group_);
  if (e.observed) conn_.results_received(group_);  // also a sync's: the status is known there
  switch (e.kind) {
    case Expected::Kind::kSync:
      return;
    case Expected::Kind::kCommand:
      internal::check_results(group_, conn_.pgconn());
      if (e.out && !group_.empty()) *e.out = std::move(group_.back());
      return;
    case Expected::Kind::kCursor:
      break;
  }
  PipelineSlot& slot = *e.slot;
  --slot.outstanding;
  internal::check_results(group_, conn_.pgconn());
  slot.arrived = true;
  switch (slot.mode) {
    case PipelineSlot::Mode::kExecute:
      slot.results = std::move(group_);  // a cursor keeps its last execute()'s results
      break;
    case PipelineSlot::Mode::kManyReturning:
      for (PGresultPtr& res : group_) slot.results.push_back(std::move(res));
      break;
    case PipelineSlot::Mode::kMany:
      for (const PGresultPtr& res : group_) slot.rowcount += affected_rows(res.get());
      break;
  }
}

void PipelineState::expect_command(PGresultPtr* out, Observer observer, bool observed) {
  expected_.push_back(Expected{.kind = Expected::Kind::kCommand,
                               .out = out,
                               .observer = std::move(observer),
                               .observed = observed});
}

void PipelineState::expect(const std::shared_ptr<PipelineSlot>& slot, Observer observer) {
  ++slot->outstanding;
  if (!observer && !expected_.empty()) {
    Expected& last = expected_.back();
    if (last.kind == Expected::Kind::kCursor && last.slot == slot && !last.observer) {
      ++last.count;  // one entry for a run of rows: no allocation or refcount per row
      return;
    }
  }
  expected_.push_back(
      Expected{.kind = Expected::Kind::kCursor, .slot = slot, .observer = std::move(observer)});
}

Pipeline::Pipeline(std::shared_ptr<BaseConnection> conn)
    : conn_(std::move(conn)), uncaught_at_start_(std::uncaught_exceptions()) {
  std::lock_guard<ConnectionLock> guard(conn_->lock());
  wait(conn_->pipeline_state().enter());
}

Pipeline::~Pipeline() noexcept(false) {
  bool unwinding = std::uncaught_exceptions() > uncaught_at_start_;
  try {
    std::lock_guard<ConnectionLock> guard(conn_->lock());
    wait(conn_->pipeline_state().exit());
  } catch (...) {
    // An exception leaving the block wins over the pipeline's (psycopg logs that one).
    if (!unwinding) throw;
  }
}

void Pipeline::sync() {
  std::lock_guard<ConnectionLock> guard(conn_->lock());
  wait(conn_->pipeline_state().sync());
}

int Pipeline::level() const { return conn_->pipeline_state().level(); }

}  // namespace pgcpp
