// Cursor: runs queries and reads their results.
//
//   pgcpp::Cursor cur = conn.cursor();
//   cur.execute("INSERT INTO users (id, name) VALUES (%s, %s)", 1, "Ann");
//   cur.execute("SELECT id, name FROM users WHERE id > %s", 0);
//
//   // Typed rows (owned values), by a row factory:
//   for (auto [id, name] : cur.rows<int64_t, std::string>()) ...
//   std::optional<std::tuple<int64_t, std::string>> one =
//       cur.fetchone(pgcpp::typed_row<int64_t, std::string>);
//   std::vector<pgcpp::DictRow> all = cur.fetchall(pgcpp::dict_row);
//   std::vector<User> users = cur.fetchall(pgcpp::class_row<User>);
//
//   // Zero-copy views, valid until the iteration moves on:
//   for (const pgcpp::Row& row : cur) total += row.get<int64_t>(0);
//
// psycopg's Cursor semantics: placeholders %s, %t, %b and %(name)s become $n
// and the values travel separately (server-side binding); with no parameters
// the query is sent as it is (several statements allowed, `%` needs no
// doubling). Not in autocommit, the first query opens a transaction. All the
// results of a multi-statement query are kept: nextset() moves to the next.
// A query with parameters is prepared server-side after the connection's
// prepare_threshold executions (ExecuteOptions::prepare decides per call), and a
// prepared statement's results come in binary when every column has a binary
// loader and no format was chosen (pgcpp/core/prepared_statements.h): the
// values are the same, and get<std::string> of a number, uuid, bytea, inet,
// array... column still gives the server's text (pgcpp/adapt/binary_text.h);
// date/time columns and std::string_view of non-text columns then raise
// DataError: read them as their own types, or ask for
// CursorOptions{.binary = false}.
// Errors: psycopg's, e.g. ProgrammingError("the query has 2 placeholders but
// 1 parameters were passed"), ProgrammingError("no result available"),
// InterfaceError("the cursor is closed").
//
// Thread safety: a cursor is used by one thread at a time; the connection's
// lock serialises it with other users of the connection.
#ifndef PGCPP_CORE_CURSOR_H_
#define PGCPP_CORE_CURSOR_H_

#include <concepts>
#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "pgcpp/adapt/adapters_map.h"
#include "pgcpp/adapt/params.h"
#include "pgcpp/adapt/row.h"
#include "pgcpp/adapt/value.h"
#include "pgcpp/core/base_connection.h"
#include "pgcpp/core/column.h"
#include "pgcpp/core/operation.h"
#include "pgcpp/core/pipeline.h"
#include "pgcpp/core/query.h"
#include "pgcpp/core/row_range.h"
#include "pgcpp/core/sql.h"

namespace pgcpp {

struct CursorOptions {
  // Results in binary (true) or text (false) format. Unset: text, except for
  // prepared statements whose columns all have binary loaders (see
  // pgcpp/core/prepared_statements.h, Connection::prepared_binary_results()).
  std::optional<bool> binary{};
};

struct ExecuteOptions {
  std::optional<bool> binary{};  // overrides CursorOptions::binary for one execute
  // true: prepare the statement now (unless the connection's prepare_threshold
  // is nullopt); false: run it unprepared; unset: after prepare_threshold runs.
  std::optional<bool> prepare{};
};

struct ExecuteManyOptions {
  // Keep every execution's results: the first is current, nextset() walks them.
  bool returning = false;
};

enum class ScrollMode { kRelative, kAbsolute };

class Stream;  // pgcpp/core/stream.h

// Named parameters for %(name)s placeholders.
using NamedParams = std::map<std::string, Value, std::less<>>;

class Copy;  // pgcpp/core/copy.h

class Cursor : public internal::FetchRows<Cursor> {
 public:
  explicit Cursor(std::shared_ptr<BaseConnection> conn, CursorOptions options = {});
  Cursor(Cursor&&) noexcept = default;
  Cursor& operator=(Cursor&&) noexcept = default;

  // --- Executing ------------------------------------------------------------
  // Parameters are any adaptable values (see //adapt), std::optional / std::nullopt
  // for NULL. With none, the query is sent verbatim.
  template <class... Params>
  Cursor& execute(std::string_view query, const Params&... params) {
    return execute(ExecuteOptions{}, query, params...);
  }
  template <class... Params>
  Cursor& execute(const sql::Composable& query, const Params&... params) {
    return execute(ExecuteOptions{}, query.as_string(adapters_), params...);
  }
  template <class... Params>
  Cursor& execute(const ExecuteOptions& options, std::string_view query, const Params&... params);

  // For drivers other than the sync one (//aio): the operation execute() runs,
  // made now (the query is converted and the parameters dumped into this
  // cursor, so bad parameters raise here). The caller drives it under the
  // connection's lock and keeps the cursor alive, unmoved and unused until it ends.
  template <class... Params>
  Operation<void> execute_operation_for(const ExecuteOptions& options, std::string_view query,
                                        const Params&... params);
  Operation<void> execute_values_operation_for(std::string_view query,
                                               std::span<const Value> params,
                                               ExecuteOptions options = {});
  Operation<void> execute_named_operation_for(std::string_view query, const NamedParams& params,
                                              ExecuteOptions options = {});

  // Parameters known at run time (always parsed for placeholders, even when empty).
  Cursor& execute_values(std::string_view query, std::span<const Value> params,
                         ExecuteOptions options = {});
  // %(name)s placeholders.
  Cursor& execute_named(std::string_view query, const NamedParams& params,
                        ExecuteOptions options = {});

  // Runs `query` once per item of `param_rows`, a range of std::tuple (or
  // std::pair) of parameters, in pipeline mode (psycopg 3.1): it joins the
  // connection's pipeline or opens one of its own around the batch. The
  // statement is parsed once per parameter types. rowcount() is the total of
  // affected rows; with {.returning = true} each execution's result is kept
  // (the first is current, nextset() moves on), otherwise none is. In an open
  // pipeline, the results count when they arrive (see pgcpp/core/pipeline.h).
  //   cur.executemany("INSERT INTO t VALUES (%s, %s)", rows);
  //   cur.executemany("INSERT ... RETURNING id", rows, {.returning = true});
  template <class Range>
  Cursor& executemany(std::string_view query, const Range& param_rows,
                      ExecuteManyOptions options = {});

  // --- COPY (include pgcpp/core/copy.h): "COPY ... FROM STDIN" / "TO STDOUT" -------
  // The statement's %s parameters are merged client-side. The Copy borrows the cursor.
  template <class... Params>
  Copy copy(std::string_view statement, const Params&... params) &;
  template <class... Params>
  Copy copy(const sql::Composable& statement, const Params&... params) &;
  template <class... Params>
  Copy copy(std::string_view statement, const Params&... params) && = delete;
  // fn(Copy&) runs the COPY; its exception ends it with an error and propagates.
  template <class Fn>
  requires std::invocable<Fn&, Copy&>
  void copy(std::string_view statement, Fn&& fn);
  template <class Fn>
  requires std::invocable<Fn&, Copy&>
  void copy(const sql::Composable& statement, Fn&& fn);

  // --- Results ----------------------------------------------------------------
  // The columns of the current result; nullopt when it returns no rows.
  const std::optional<std::vector<ColumnDescription>>& description() const;
  // Rows of a SELECT, rows affected by INSERT/UPDATE/DELETE, -1 when unknown.
  int64_t rowcount() const {
    adopt_pending();
    return rowcount_;
  }
  // Index of the next row to fetch; nullopt without a row-returning result.
  std::optional<int64_t> rownumber() const;
  // The command tag, e.g. "INSERT 0 1"; nullopt without a result.
  std::optional<std::string> statusmessage() const;
  // Moves to the next result of a multi-statement query; false when none is left.
  bool nextset();
  // Moves the fetch position; std::out_of_range outside [0, number of rows].
  void scroll(int64_t value, ScrollMode mode = ScrollMode::kRelative);

  // --- Fetching owned rows, made by a row factory (default: tuple_row) ---------
  // fetchone(factory), fetchmany(size = arraysize, factory), fetchall(factory)
  // (internal::FetchRows, pgcpp/core/row_range.h).

  // rows<Ts...>() / rows(factory): the remaining rows as std::tuple<Ts...> (or
  // made by the factory), one at a time (an input range). On a temporary cursor
  // the range keeps the cursor alive, so
  // `for (auto [a, b] : conn.execute(...).rows<int, std::string>())` is safe.
  // (A row factory's maker must therefore not keep a reference to the
  // RowDescription it was made from; adapt's factories copy what they need.)

  // --- Zero-copy iteration: each Row views the result until the next step ------
  using RowIterator = internal::RowViewIterator<Cursor>;
  RowIterator begin();
  std::default_sentinel_t end() { return {}; }

  // --- Streaming: rows one at a time as the server sends them (pgcpp/core/stream.h) ---
  template <class... Params>
  Stream stream(std::string_view query, const Params&... params) &;
  template <class... Params>
  Stream stream(std::string_view query, const Params&... params) &&;
  template <class... Params>
  Stream stream(const ExecuteOptions& options, std::string_view query, const Params&... params) &;

  size_t arraysize = 1;  // fetchmany()'s default size

  void close();
  bool closed() const { return closed_; }
  // This cursor's adapters (a copy of the connection's). Register loaders
  // before fetching: a change applies from the next fetch on.
  AdaptersMap& adapters() {
    row_description_.reset();
    row_description_current_ = false;
    return adapters_;
  }
  const AdaptersMap& adapters() const { return adapters_; }
  BaseConnection& connection() const { return *conn_; }
  // The current result (for advanced use); nullptr when there is none.
  const PGresult* pgresult() const;

 protected:
  struct RawTag {};
  // A cursor whose queries use $1..$n as written (RawCursor).
  Cursor(RawTag, std::shared_ptr<BaseConnection> conn, CursorOptions options);
  struct ClientTag {};
  // A cursor binding parameters client-side (ClientCursor): every execute,
  // executemany and stream merges them into the query as literals.
  // NotSupportedError for options.binary.
  Cursor(ClientTag, std::shared_ptr<BaseConnection> conn, CursorOptions options);

  // Client-side binding: `query` with each parameter merged in as a literal
  // (psycopg's ClientCursor.mogrify()); without parameters, `query` verbatim.
  template <class... Params>
  std::string merge_literals(std::string_view query, const Params&... params) const;
  std::string merge_literal_values(std::string_view query, std::span<const Value> params) const;
  std::string merge_literal_named(std::string_view query, const NamedParams& params) const;

 private:
  // executemany()'s progress through one batch.
  struct ManyState {
    bool started = false;
    std::vector<Oid> types{};  // the parameter types `decision` is for
    PreparedStatements::Decision decision{};
    bool validate = false;  // the next execution is the first of a new statement
    int unflushed = 0;
  };
  template <class Range>
  void run_many(std::string_view query, const Range& param_rows, ExecuteManyOptions options);
  void start_many(const ExecuteManyOptions& options);
  // Sends one execution of `query` with params_ (in the connection's pipeline).
  void send_many(ManyState& state, const PgQuery& query);
  void finish_many(const ExecuteManyOptions& options);
  // In a pipeline, what the cache learns from a PREPARE's result and from
  // the first result of an execution.
  PipelineState::Observer prepare_observer(const std::string& key) const;
  PipelineState::Observer validate_observer(const std::string& key,
                                            const PreparedStatements::Decision& decision) const;
  // Results a pipeline delivered to pending_ become the cursor's (const:
  // accessors call it; only a cursor that executed has a slot).
  void adopt_pending() const {
    if (pending_ && pending_->arrived) adopt_arrived();
  }
  void adopt_arrived() const;
  // In a pipeline, fetches the pending results when the cursor has none yet.
  void fetch_pending();
  friend struct internal::RowRangeAccess;
  const Row& range_row() { return row_at(pos_); }
  void range_next() { ++pos_; }
  bool range_end() { return pos_ >= ntuples(); }
  const RowDescription& range_description() { return row_description(); }
  template <class Factory>
  auto fetch_one(Factory& factory);
  template <class Factory>
  auto fetch_many(size_t size, Factory& factory);
  template <class Factory>
  auto fetch_all(Factory& factory);
  // They read rows through this cursor's results (one page or one row at a time).
  friend class Stream;
  friend class ServerCursor;
  friend class ClientCursor;
  friend class Copy;

  // The server form of `query` and its parameter formats (none: all %s); raw
  // cursors send the query as written. Valid until the next call (the cursor
  // keeps the last one: a query run again costs a comparison).
  const std::shared_ptr<const PgQuery>& converted(std::string_view query, size_t param_count) const;

  // run_client() as an operation owning its query.
  Operation<void> client_operation(const ExecuteOptions& options, std::string query);
  // execute_values() / execute_named() up to sending: the query converted, the
  // parameters dumped into params_.
  std::shared_ptr<const PgQuery> dump_values(std::string_view query, std::span<const Value> params);
  std::shared_ptr<const PgQuery> dump_named(std::string_view query, const NamedParams& params);
  // execute_operation() owning its query (`query`, or `text` when null).
  Operation<void> owned_execute_operation(std::shared_ptr<const PgQuery> query, std::string text,
                                          ExecuteOptions options);
  std::optional<Format> format_for(const ExecuteOptions& options) const;
  // `query` (NUL-terminated) and `params` (nullptr: none, simple protocol)
  // must outlive the operation.
  Cursor& run_execute(const char* query, const DumpedParams* params, const ExecuteOptions& options);
  // `format`: the user's choice, if any. Prepares the query when the
  // connection's PreparedStatements says so.
  Operation<void> execute_operation(const char* query, const DumpedParams* params,
                                    std::optional<Format> format, std::optional<bool> prepare);
  // execute_operation's synchronous steps (run_execute drives them directly
  // in the common case). decide() sets decision_ and returns whether the
  // query takes the extended protocol; learn_from_results() tells the
  // prepared statements cache and returns whether a COPY must be ended.
  void clear_results();
  bool decide(const char* query, const DumpedParams* params, std::optional<Format> format,
              std::optional<bool> prepare);
  void send_prepare(PGconn* pg, const char* query, const DumpedParams* params);
  void send_execution(PGconn* pg, const char* query, const DumpedParams* params,
                      std::optional<Format> format, bool extended);
  bool learn_from_results(bool extended);
  Operation<void> end_unexpected_copy();
  void check_results() const;
  void select_result(size_t index);
  void check_open() const;
  // The current result, checked to hold rows (psycopg's fetch errors otherwise).
  const PGresult* tuples_result();
  // Also the check of the current result (tuples_result()), done once per result:
  // every change of result, cursor state or adapters makes it run again.
  const RowDescription& row_description();
  // A view of row `index` of the current result (the fields live in the cursor).
  const Row& row_at(int64_t index);
  int64_t ntuples() const;

  // How parameters reach the server: bound by it (%s converted to $n), bound
  // by it as written ($n, RawCursor), or merged client-side (ClientCursor).
  enum class Binding : uint8_t { kServer, kRaw, kClient };

  // Client-side binding: runs the merged query (the simple protocol, never
  // prepared); NotSupportedError for binary results.
  Cursor& run_client(const ExecuteOptions& options, const std::string& query);
  // execute() with client-side binding, kept out of the server-side path.
  template <class... Params>
  [[gnu::cold, gnu::noinline]] Cursor& execute_client(const ExecuteOptions& options,
                                                      std::string_view query,
                                                      const Params&... params) {
    return run_client(options, merge_literals(query, params...));
  }
  static void check_client_format(const ExecuteOptions& options);
  template <class Range>
  void run_many_client(std::string_view query, const Range& param_rows,
                       const ExecuteManyOptions& options);
  // executemany()'s end: the kept results (returning) or none; rowcount the total.
  void end_many_client(std::vector<PGresultPtr> kept, int64_t total, bool any);

  std::shared_ptr<BaseConnection> conn_;
  Binding binding_ = Binding::kServer;
  AdaptersMap adapters_;
  CursorOptions options_;
  bool closed_ = false;
  std::vector<PGresultPtr> results_;
  size_t current_ = 0;
  int64_t pos_ = 0;
  int64_t rowcount_ = -1;
  DumpedParams params_;       // reused: no allocation per execute once grown
  std::string prepared_key_;  // reused: the PreparedStatements key of the query
  // The connection's decision for prepared_key_ (or one with no slot).
  PreparedStatements::Decision decision_{};
  mutable std::string last_query_text_;                // what last_query_ was converted from
  mutable std::shared_ptr<const PgQuery> last_query_;  // converted()'s last result
  mutable std::optional<std::vector<ColumnDescription>> description_;  // made on demand
  mutable bool described_ = false;
  std::optional<RowDescription> row_description_;  // kept while results keep their columns
  bool row_description_current_ = false;           // checked against the current result
  std::vector<FieldData> fields_;
  std::optional<Row> row_;
  std::shared_ptr<PipelineSlot> pending_;  // where a pipeline delivers this cursor's results
};

// RawCursor: queries use PostgreSQL's own $1..$n placeholders, as written (no
// %-processing at all); parameters are positional. psycopg's RawCursor.
//
//   pgcpp::RawCursor cur = conn.raw_cursor();
//   cur.execute("SELECT $1::int + $1::int, $2", 20, "x");
class RawCursor : public Cursor {
 public:
  explicit RawCursor(std::shared_ptr<BaseConnection> conn, CursorOptions options = {})
      : Cursor(RawTag{}, std::move(conn), options) {}
};

// ---- template definitions ----------------------------------------------------

template <class... Params>
Cursor& Cursor::execute(const ExecuteOptions& options, std::string_view query,
                        const Params&... params) {
  check_open();
  if (binding_ == Binding::kClient) [[unlikely]] {
    return execute_client(options, query, params...);
  }
  if constexpr (sizeof...(Params) == 0) {
    std::string text(query);
    return run_execute(text.c_str(), nullptr, options);
  } else {
    const std::shared_ptr<const PgQuery>& q = converted(query, sizeof...(Params));
    dump_params_into(params_, adapters_, q->formats, params...);
    return run_execute(q->query.c_str(), &params_, options);
  }
}

template <class... Params>
Operation<void> Cursor::execute_operation_for(const ExecuteOptions& options, std::string_view query,
                                              const Params&... params) {
  check_open();
  if (binding_ == Binding::kClient) {
    return client_operation(options, merge_literals(query, params...));
  }
  if constexpr (sizeof...(Params) == 0) {
    return owned_execute_operation(nullptr, std::string(query), options);
  } else {
    std::shared_ptr<const PgQuery> q = converted(query, sizeof...(Params));
    dump_params_into(params_, adapters_, q->formats, params...);
    return owned_execute_operation(std::move(q), {}, options);
  }
}

template <class Range>
Cursor& Cursor::executemany(std::string_view query, const Range& param_rows,
                            ExecuteManyOptions options) {
  check_open();
  if (binding_ == Binding::kClient) {
    run_many_client(query, param_rows, options);  // one query per item, as psycopg's ClientCursor
  } else if (conn_->pipeline() == nullptr) {
    Pipeline own(conn_);  // its exit syncs and fetches every result
    run_many(query, param_rows, options);
  } else {
    run_many(query, param_rows, options);
  }
  return *this;
}

template <class Range>
void Cursor::run_many(std::string_view query, const Range& param_rows, ExecuteManyOptions options) {
  using Item = std::remove_cvref_t<decltype(*std::begin(param_rows))>;
  std::shared_ptr<const PgQuery> q = converted(query, std::tuple_size_v<Item>);
  start_many(options);
  ManyState state;
  for (const auto& item : param_rows) {
    std::apply(
        [&](const auto&... params) { dump_params_into(params_, adapters_, q->formats, params...); },
        item);
    send_many(state, *q);
  }
  finish_many(options);
}

template <class... Params>
std::string Cursor::merge_literals(std::string_view query, const Params&... params) const {
  if constexpr (sizeof...(Params) == 0) {
    return std::string(query);
  } else {
    std::shared_ptr<const ClientQuery> q = convert_client_query(query);
    q->check_sequence_params(sizeof...(Params));
    const std::string literals[] = {as_literal(params, adapters_)...};
    return q->merge(literals);
  }
}

template <class Range>
void Cursor::run_many_client(std::string_view query, const Range& param_rows,
                             const ExecuteManyOptions& options) {
  std::vector<PGresultPtr> kept;
  int64_t total = 0;
  bool any = false;
  for (const auto& item : param_rows) {
    std::apply([&](const auto&... params) { execute(query, params...); }, item);
    if (rowcount_ > 0) total += rowcount_;
    any = true;
    if (options.returning) {
      for (PGresultPtr& res : results_) kept.push_back(std::move(res));
    }
  }
  end_many_client(std::move(kept), total, any);
}

template <class Factory>
auto Cursor::fetch_one(Factory& factory) {
  auto maker = factory(row_description());
  using Made = std::invoke_result_t<decltype(maker)&, const Row&>;
  if (pos_ >= ntuples()) return std::optional<Made>();
  std::optional<Made> made(maker(row_at(pos_)));
  ++pos_;
  return made;
}

template <class Factory>
auto Cursor::fetch_many(size_t size, Factory& factory) {
  auto maker = factory(row_description());
  using Made = std::invoke_result_t<decltype(maker)&, const Row&>;
  std::vector<Made> out;
  const int64_t end = std::min(ntuples(), pos_ + static_cast<int64_t>(size));
  out.reserve(static_cast<size_t>(std::max<int64_t>(0, end - pos_)));
  for (; pos_ < end; ++pos_) out.push_back(maker(row_at(pos_)));
  return out;
}

template <class Factory>
auto Cursor::fetch_all(Factory& factory) {
  row_description();  // checks the result, once per result
  return fetch_many(static_cast<size_t>(std::max<int64_t>(1, ntuples() - pos_)), factory);
}

}  // namespace pgcpp

#include "pgcpp/core/stream.h"  // Cursor::stream()

#endif  // PGCPP_CORE_CURSOR_H_
