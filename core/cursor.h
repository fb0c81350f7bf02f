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
// values are the same, but a non-text column then reads only as its own C++
// types (get<std::string> of an int4 column needs text: ask for
// CursorOptions{.binary = false}).
// Errors: psycopg's, e.g. ProgrammingError("the query has 2 placeholders but
// 1 parameters were passed"), ProgrammingError("no result available"),
// InterfaceError("the cursor is closed").
//
// Thread safety: a cursor is used by one thread at a time; the connection's
// lock serialises it with other users of the connection.
#ifndef PGCPP_CORE_CURSOR_H_
#define PGCPP_CORE_CURSOR_H_

#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "pgcpp/adapt/adapters_map.h"
#include "pgcpp/adapt/params.h"
#include "pgcpp/adapt/row.h"
#include "pgcpp/adapt/value.h"
#include "pgcpp/core/base_connection.h"
#include "pgcpp/core/column.h"
#include "pgcpp/core/operation.h"
#include "pgcpp/core/query.h"
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

enum class ScrollMode { kRelative, kAbsolute };

// Named parameters for %(name)s placeholders.
using NamedParams = std::map<std::string, Value, std::less<>>;

class Cursor {
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

  // Parameters known at run time (always parsed for placeholders, even when empty).
  Cursor& execute_values(std::string_view query, std::span<const Value> params,
                         ExecuteOptions options = {});
  // %(name)s placeholders.
  Cursor& execute_named(std::string_view query, const NamedParams& params,
                        ExecuteOptions options = {});

  // Runs `query` once per item of `param_rows`, a range of std::tuple (or
  // std::pair) of parameters. rowcount() is the total of affected rows.
  template <class Range>
  Cursor& executemany(std::string_view query, const Range& param_rows);

  // --- Results ----------------------------------------------------------------
  // The columns of the current result; nullopt when it returns no rows.
  const std::optional<std::vector<ColumnDescription>>& description() const;
  // Rows of a SELECT, rows affected by INSERT/UPDATE/DELETE, -1 when unknown.
  int64_t rowcount() const { return rowcount_; }
  // Index of the next row to fetch; nullopt without a row-returning result.
  std::optional<int64_t> rownumber() const;
  // The command tag, e.g. "INSERT 0 1"; nullopt without a result.
  std::optional<std::string> statusmessage() const;
  // Moves to the next result of a multi-statement query; false when none is left.
  bool nextset();
  // Moves the fetch position; std::out_of_range outside [0, number of rows].
  void scroll(int64_t value, ScrollMode mode = ScrollMode::kRelative);

  // --- Fetching owned rows, made by a row factory (default: tuple_row) ---------
  template <class Factory = TupleRowFactory>
  auto fetchone(Factory factory = {});
  template <class Factory = TupleRowFactory>
  auto fetchmany(size_t size = 0, Factory factory = {});  // 0: arraysize
  template <class Factory = TupleRowFactory>
  auto fetchall(Factory factory = {});

  // The remaining rows as std::tuple<Ts...>, one at a time (an input range).
  // On a temporary cursor the range keeps the cursor alive, so
  // `for (auto [a, b] : conn.execute(...).rows<int, std::string>())` is safe.
  // (A row factory's maker must therefore not keep a reference to the
  // RowDescription it was made from; adapt's factories copy what they need.)
  template <class... Ts>
  auto rows() & {
    return rows(typed_row<Ts...>);
  }
  template <class... Ts>
  auto rows() && {
    return std::move(*this).rows(typed_row<Ts...>);
  }
  template <class Factory>
  auto rows(Factory factory) &;
  template <class Factory>
  auto rows(Factory factory) &&;

  // --- Zero-copy iteration: each Row views the result until the next step ------
  class RowIterator;
  RowIterator begin();
  std::default_sentinel_t end() { return {}; }

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
  BaseConnection& connection() const { return *conn_; }
  // The current result (for advanced use); nullptr when there is none.
  const PGresult* pgresult() const;

 protected:
  struct RawTag {};
  // A cursor whose queries use $1..$n as written (RawCursor).
  Cursor(RawTag, std::shared_ptr<BaseConnection> conn, CursorOptions options);

 private:
  template <class Maker>
  class MadeRows;

  // The server form of `query` and its parameter formats (none: all %s); raw
  // cursors send the query as written.
  std::shared_ptr<const PgQuery> converted(std::string_view query, size_t param_count) const;

  // `query` (NUL-terminated) and `params` (nullptr: none, simple protocol)
  // must outlive the operation.
  Cursor& run_execute(const char* query, const DumpedParams* params, const ExecuteOptions& options);
  // `format`: the user's choice, if any. Prepares the query when the
  // connection's PreparedStatements says so.
  Operation<void> execute_operation(const char* query, const DumpedParams* params,
                                    std::optional<Format> format, std::optional<bool> prepare);
  void check_results() const;
  void select_result(size_t index);
  void check_open() const;
  // The current result, checked to hold rows (psycopg's fetch errors otherwise).
  const PGresult* tuples_result() const;
  const RowDescription& row_description();
  // A view of row `index` of the current result (the fields live in the cursor).
  const Row& row_at(int64_t index);
  int64_t ntuples() const;

  std::shared_ptr<BaseConnection> conn_;
  bool raw_ = false;
  AdaptersMap adapters_;
  CursorOptions options_;
  bool closed_ = false;
  std::vector<PGresultPtr> results_;
  size_t current_ = 0;
  int64_t pos_ = 0;
  int64_t rowcount_ = -1;
  DumpedParams params_;       // reused: no allocation per execute once grown
  std::string prepared_key_;  // reused: the PreparedStatements key of the query
  mutable std::optional<std::vector<ColumnDescription>> description_;  // made on demand
  mutable bool described_ = false;
  std::optional<RowDescription> row_description_;  // kept while results keep their columns
  bool row_description_current_ = false;           // checked against the current result
  std::vector<FieldData> fields_;
  std::optional<Row> row_;
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

class Cursor::RowIterator {
 public:
  using value_type = Row;
  using difference_type = std::ptrdiff_t;
  explicit RowIterator(Cursor* cursor) : cursor_(cursor) {}
  const Row& operator*() const { return cursor_->row_at(cursor_->pos_); }
  const Row* operator->() const { return &**this; }
  RowIterator& operator++() {
    ++cursor_->pos_;
    return *this;
  }
  void operator++(int) { ++*this; }
  bool operator==(std::default_sentinel_t) const { return cursor_->pos_ >= cursor_->ntuples(); }

 private:
  Cursor* cursor_;
};

// An input range of the rows a maker makes, from the cursor's position on. It
// borrows the cursor, or owns it when made from a temporary one.
template <class Maker>
class Cursor::MadeRows {
 public:
  using value_type = std::invoke_result_t<const Maker&, const Row&>;
  MadeRows(Cursor* borrowed, Maker maker) : borrowed_(borrowed), maker_(std::move(maker)) {}
  MadeRows(Cursor&& owned, Maker maker) : owned_(std::move(owned)), maker_(std::move(maker)) {}

  class iterator {
   public:
    using value_type = MadeRows::value_type;
    using difference_type = std::ptrdiff_t;
    explicit iterator(MadeRows* rows) : rows_(rows) {}
    value_type operator*() const {
      Cursor& cur = rows_->cursor();
      return rows_->maker_(cur.row_at(cur.pos_));
    }
    iterator& operator++() {
      ++rows_->cursor().pos_;
      return *this;
    }
    void operator++(int) { ++*this; }
    bool operator==(std::default_sentinel_t) const {
      Cursor& cur = rows_->cursor();
      return cur.pos_ >= cur.ntuples();
    }

   private:
    MadeRows* rows_;
  };
  iterator begin() { return iterator(this); }
  std::default_sentinel_t end() { return {}; }

 private:
  Cursor& cursor() { return owned_ ? *owned_ : *borrowed_; }

  std::optional<Cursor> owned_;
  Cursor* borrowed_ = nullptr;
  Maker maker_;
};

// ---- template definitions ----------------------------------------------------

template <class... Params>
Cursor& Cursor::execute(const ExecuteOptions& options, std::string_view query,
                        const Params&... params) {
  check_open();
  if constexpr (sizeof...(Params) == 0) {
    std::string text(query);
    return run_execute(text.c_str(), nullptr, options);
  } else {
    std::shared_ptr<const PgQuery> q = converted(query, sizeof...(Params));
    dump_params_into(params_, adapters_, q->formats, params...);
    return run_execute(q->query.c_str(), &params_, options);
  }
}

template <class Range>
Cursor& Cursor::executemany(std::string_view query, const Range& param_rows) {
  check_open();
  int64_t total = 0;
  bool any = false;
  for (const auto& item : param_rows) {
    std::shared_ptr<const PgQuery> q;
    std::apply(
        [&](const auto&... params) {
          q = converted(query, sizeof...(params));
          dump_params_into(params_, adapters_, q->formats, params...);
        },
        item);
    // psycopg: every item is prepared (unless prepare_threshold is nullopt).
    run_execute(q->query.c_str(), &params_, ExecuteOptions{.prepare = true});
    if (rowcount_ > 0) total += rowcount_;
    any = true;
  }
  // psycopg: no fetchable results; rowcount is the sum of the affected rows.
  results_.clear();
  select_result(0);
  rowcount_ = any ? total : 0;
  return *this;
}

template <class Factory>
auto Cursor::fetchone(Factory factory) {
  tuples_result();
  auto maker = factory(row_description());
  using Made = std::invoke_result_t<decltype(maker)&, const Row&>;
  if (pos_ >= ntuples()) return std::optional<Made>();
  std::optional<Made> made(maker(row_at(pos_)));
  ++pos_;
  return made;
}

template <class Factory>
auto Cursor::fetchmany(size_t size, Factory factory) {
  tuples_result();
  auto maker = factory(row_description());
  using Made = std::invoke_result_t<decltype(maker)&, const Row&>;
  if (size == 0) size = arraysize;
  std::vector<Made> out;
  const int64_t end = std::min(ntuples(), pos_ + static_cast<int64_t>(size));
  out.reserve(static_cast<size_t>(std::max<int64_t>(0, end - pos_)));
  for (; pos_ < end; ++pos_) out.push_back(maker(row_at(pos_)));
  return out;
}

template <class Factory>
auto Cursor::fetchall(Factory factory) {
  tuples_result();
  return fetchmany(static_cast<size_t>(std::max<int64_t>(1, ntuples() - pos_)), factory);
}

template <class Factory>
auto Cursor::rows(Factory factory) & {
  tuples_result();
  auto maker = factory(row_description());
  return MadeRows<decltype(maker)>(this, std::move(maker));
}

template <class Factory>
auto Cursor::rows(Factory factory) && {
  tuples_result();
  auto maker = factory(row_description());
  return MadeRows<decltype(maker)>(std::move(*this), std::move(maker));
}

}  // namespace pgcpp

#endif  // PGCPP_CORE_CURSOR_H_
