// Streaming: a query's rows read one at a time as the server sends them, in
// constant memory (libpq's single-row mode), however many rows there are.
//
//   pgcpp::Cursor cur = conn.cursor();
//   // Zero-copy views, valid until the loop moves on:
//   for (const pgcpp::Row& row : cur.stream("SELECT id, name FROM big WHERE id > %s", 10)) {
//     total += row.get<int64_t>(0);
//   }
//   // Typed rows, or any row factory of pgcpp/adapt/row.h:
//   for (auto [id, name] : cur.stream("SELECT id, name FROM big").rows<int64_t, std::string>()) ...
//   for (pgcpp::DictRow& d : cur.stream("SELECT * FROM big").rows(pgcpp::dict_row)) ...
//
// psycopg's Cursor.stream(): the query always travels over the extended
// protocol (one statement), parameters are bound server-side, and a statement
// that returns no rows raises ProgrammingError("the operation in stream()
// didn't produce a result"). stream() sends the query and reads its first row
// (so a bad query raises right there); each step of the loop reads the next.
//
// Leaving the loop early (break, return, an exception) abandons the stream
// when the Stream is destroyed: the query is cancelled and its remaining
// results drained, so the connection is usable again. As in psycopg, a cancel
// that reaches a running query inside a transaction block leaves the
// transaction failed (INERROR): roll it back. Streaming is refused inside a
// pipeline (NotSupportedError).
//
// A Stream borrows its cursor, which must outlive it; streamed from a
// temporary cursor (`conn.cursor().stream(...)`) it owns the cursor instead.
//
// Concurrency (as psycopg's stream(), which holds conn.lock for the whole
// iteration): a Stream holds the connection's lock from stream() until it is
// done (its last row read, an error, close() or destruction). Another
// thread's operation on the connection waits until then; the same thread
// using the connection meanwhile gets ProgrammingError (ConnectionLock's
// re-entry check) instead of a deadlock: finish or close() the stream first.
// So a Stream is used, and ended, by the thread that started it.
//
// The protocol steps are Operations (start_stream, fetch_stream_row,
// abandon_stream) so //aio drives the same code.
#ifndef PGCPP_CORE_STREAM_H_
#define PGCPP_CORE_STREAM_H_

#include <cstdint>
#include <iterator>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "pgcpp/adapt/params.h"
#include "pgcpp/adapt/row.h"
#include "pgcpp/core/base_connection.h"
#include "pgcpp/core/connection_lock.h"
#include "pgcpp/core/cursor.h"
#include "pgcpp/core/operation.h"
#include "pgcpp/core/row_range.h"

namespace pgcpp {

// ---- the protocol steps (callers hold the connection's lock) ------------------

// Sends `query` (NUL-terminated; `params` nullptr: none) in single-row mode,
// after the implicit BEGIN when one is due, and returns its first result: a row
// (PGRES_SINGLE_TUPLE) or, for no rows, the end (PGRES_TUPLES_OK).
Operation<PGresultPtr> start_stream(BaseConnection& conn, const char* query,
                                    const DumpedParams* params, Format result_format);

// The next result of a stream: a row (PGRES_SINGLE_TUPLE) or the end
// (PGRES_TUPLES_OK, after which the command is fully read). A server error is
// raised after the command's results were drained.
Operation<PGresultPtr> fetch_stream_row(BaseConnection& conn);

// Ends a stream left midway: cancels the query while it still runs, then
// drains its results (errors ignored: the query was abandoned).
Operation<void> abandon_stream(BaseConnection& conn);

// ---- Stream -----------------------------------------------------------------------

class Stream : public internal::TypedRows<Stream> {
 public:
  Stream(Stream&& other) noexcept;
  Stream& operator=(Stream&&) = delete;
  ~Stream();  // abandons an unfinished stream (see the header comment)

  using iterator = internal::RowViewIterator<Stream>;
  iterator begin();
  std::default_sentinel_t end() { return {}; }

  // rows(factory) / rows<Ts...>() (internal::TypedRows): the rows made by a row
  // factory (typed_row<Ts...> for rows<Ts...>()), as an input range; from a
  // temporary Stream the range owns it.

  // Whether every row was read (or the stream was closed).
  bool done() const { return done_; }
  // Rows read so far.
  int64_t rownumber() const { return count_; }
  // Abandons the stream now, as the destructor would.
  void close();

 private:
  friend class Cursor;
  friend struct internal::RowRangeAccess;
  const Row& range_row() { return row(); }
  void range_next() { advance(); }
  bool range_end() const { return done_; }
  const RowDescription& range_description() { return cursor().row_description(); }

  using Lock = std::unique_lock<ConnectionLock>;
  // The stream whose first result `cursor` holds, with the connection's lock
  // (released at once when there are no rows).
  Stream(Cursor* borrowed, Lock lock);
  Stream(Cursor&& owned, Lock lock);
  // Takes the connection's lock, sends the query and reads its first result
  // into `cursor`; returns the lock (for the Stream).
  static Lock start(Cursor& cursor, const char* query, const DumpedParams* params,
                    const ExecuteOptions& options);
  // Marks the stream done and releases the connection.
  void finish();
  Cursor& cursor() { return owned_ ? *owned_ : *borrowed_; }
  const Row& row() { return cursor().row_at(0); }
  void advance();
  void take(PGresultPtr result);

  std::optional<Cursor> owned_;
  Cursor* borrowed_ = nullptr;
  Lock lock_;  // held while !done_
  bool done_ = false;
  int64_t count_ = 0;
};

// ---- template definitions ------------------------------------------------------------

template <class... Params>
Stream Cursor::stream(std::string_view query, const Params&... params) & {
  return stream(ExecuteOptions{}, query, params...);
}

template <class... Params>
Stream Cursor::stream(std::string_view query, const Params&... params) && {
  Stream borrowed = stream(ExecuteOptions{}, query, params...);
  borrowed.done_ = true;  // handed over, not abandoned
  return Stream(std::move(*this), std::move(borrowed.lock_));
}

template <class... Params>
Stream Cursor::stream(const ExecuteOptions& options, std::string_view query,
                      const Params&... params) & {
  check_open();
  if (binding_ == Binding::kClient) {
    check_client_format(options);
    const std::string merged = merge_literals(query, params...);
    return Stream(this, Stream::start(*this, merged.c_str(), nullptr, options));
  }
  if constexpr (sizeof...(Params) == 0) {
    std::string text(query);
    return Stream(this, Stream::start(*this, text.c_str(), nullptr, options));
  } else {
    std::shared_ptr<const PgQuery> q = converted(query, sizeof...(Params));
    dump_params_into(params_, adapters_, q->formats, params...);
    return Stream(this, Stream::start(*this, q->query.c_str(), &params_, options));
  }
}

}  // namespace pgcpp

#endif  // PGCPP_CORE_STREAM_H_
