#include "pgcpp/core/stream.h"

#include <chrono>

#include "pgcpp/core/errors.h"
#include "pgcpp/core/waiting.h"

namespace pgcpp {

namespace {

// The next result of the running command; a lost connection is recorded (for
// cancel() in other threads) before OperationalError propagates.
Operation<PGresultPtr> next_result(BaseConnection& conn) {
  PGconn* pg = conn.checked_pgconn();
  PGresultPtr res;
  try {
    res = co_await protocol::fetch(pg, conn.notify_sink());
  } catch (const OperationalError&) {
    conn.closed();
    throw;
  }
  if (res) conn.result_received(res.get());
  co_return res;
}

bool is_copy(ExecStatusType status) {
  return status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH;
}

// Reads the command's remaining results, ignoring them. Stops at a COPY (which
// only the caller could end) and when the connection is lost.
Operation<void> drain(BaseConnection& conn) {
  try {
    while (PGresultPtr res = co_await next_result(conn)) {
      if (is_copy(PQresultStatus(res.get()))) break;
    }
  } catch (const OperationalError&) {
    // The connection is gone: nothing is left to drain.
  }
}

}  // namespace

Operation<PGresultPtr> start_stream(BaseConnection& conn, const char* query,
                                    const DumpedParams* params, Format result_format) {
  conn.check_not_in_pipeline("stream()");
  co_await conn.start_query();
  PGconn* pg = conn.checked_pgconn();
  const int format = static_cast<int>(result_format);
  const int sent =
      params ? PQsendQueryParams(pg, query, params->size(), params->types(), params->values(),
                                 params->lengths(), params->formats(), format)
             : PQsendQueryParams(pg, query, 0, nullptr, nullptr, nullptr, nullptr, format);
  if (sent == 0) {
    throw OperationalError("sending query failed: " + connection_error_message(pg));
  }
  const bool single_row = PQsetSingleRowMode(pg) != 0;
  try {
    co_await protocol::send(pg);
  } catch (const OperationalError&) {
    conn.closed();
    throw;
  }
  if (!single_row) {
    co_await drain(conn);
    throw InternalError("stream(): libpq refused single-row mode");
  }
  co_return co_await fetch_stream_row(conn);
}

Operation<PGresultPtr> fetch_stream_row(BaseConnection& conn) {
  PGresultPtr res = co_await next_result(conn);
  if (!res) {
    conn.closed();
    throw OperationalError("the connection is closed");
  }
  const ExecStatusType status = PQresultStatus(res.get());
  if (status == PGRES_SINGLE_TUPLE) co_return res;
  if (is_copy(status)) {
    throw ProgrammingError("COPY cannot be used with this method; use copy() instead");
  }
  co_await drain(conn);
  switch (status) {
    case PGRES_TUPLES_OK:
      co_return res;
    case PGRES_FATAL_ERROR:
      conn.closed();  // records a lost connection before raising
      errors::raise_from_result(res.get(), conn.pgconn());
    case PGRES_COMMAND_OK:
    case PGRES_EMPTY_QUERY:
      throw ProgrammingError("the operation in stream() didn't produce a result");
    default:
      throw InternalError(std::string("unexpected result status from stream(): ") +
                          PQresStatus(status));
  }
}

Operation<void> abandon_stream(BaseConnection& conn) {
  if (conn.closed()) co_return;
  if (conn.transaction_status() == TransactionStatus::kActive) {
    try {
      if (conn.cancel_key()) {
        co_await protocol::cancel(*conn.cancel_key(), Clock::now() + std::chrono::seconds(30));
      } else {
        conn.cancel();
      }
    } catch (const Error&) {
      // Not cancelled (refused, timed out, unreachable): the drain below
      // reads the rest of the rows instead.
    }
  }
  co_await drain(conn);
}

// ---- Stream ------------------------------------------------------------------------

Stream::Stream(Cursor* borrowed, Lock lock) : borrowed_(borrowed), lock_(std::move(lock)) {
  if (PQresultStatus(cursor().pgresult()) != PGRES_SINGLE_TUPLE) finish();
}

Stream::Stream(Cursor&& owned, Lock lock) : owned_(std::move(owned)), lock_(std::move(lock)) {
  if (PQresultStatus(cursor().pgresult()) != PGRES_SINGLE_TUPLE) finish();
}

Stream::Stream(Stream&& other) noexcept
    : owned_(std::move(other.owned_)),
      borrowed_(other.borrowed_),
      lock_(std::move(other.lock_)),
      done_(std::exchange(other.done_, true)),
      count_(other.count_) {}

Stream::~Stream() {
  try {
    close();
  } catch (...) {
    // A destructor must not throw; close() only fails when the connection is
    // already unusable, which the next operation on it reports.
  }
}

void Stream::finish() {
  done_ = true;
  if (lock_.owns_lock()) lock_.unlock();
}

void Stream::close() {
  if (done_) return;
  Cursor& cur = cursor();
  cur.results_.clear();
  cur.select_result(0);
  Lock lock = std::move(lock_);  // released when abandoned, also by an error
  done_ = true;
  wait(abandon_stream(*cur.conn_));
}

Stream::Lock Stream::start(Cursor& cursor, const char* query, const DumpedParams* params,
                           const ExecuteOptions& options) {
  const Format format = options.binary.value_or(cursor.options_.binary.value_or(false))
                            ? Format::kBinary
                            : Format::kText;
  cursor.results_.clear();
  cursor.select_result(0);
  BaseConnection& conn = *cursor.conn_;
  Lock lock(conn.lock());
  PGresultPtr first = wait(start_stream(conn, query, params, format));
  cursor.results_.push_back(std::move(first));
  cursor.select_result(0);
  return lock;
}

Stream::iterator Stream::begin() {
  if (!done_) cursor().row_description();
  return iterator(this);
}

void Stream::advance() {
  if (done_) return;
  Cursor& cur = cursor();
  ++count_;
  PGresultPtr next;
  try {
    next = wait(fetch_stream_row(*cur.conn_));  // under lock_, held since stream()
  } catch (...) {
    finish();  // the command was drained, or the connection is gone
    cur.results_.clear();
    cur.select_result(0);
    throw;
  }
  cur.results_.clear();
  cur.results_.push_back(std::move(next));
  cur.select_result(0);
  if (PQresultStatus(cur.pgresult()) != PGRES_SINGLE_TUPLE) {
    finish();
    cur.rowcount_ = count_;
  }
}

}  // namespace pgcpp
