// ServerCursor: a named cursor on the server (DECLARE / FETCH / MOVE / CLOSE),
// for results too large to hold in memory and for refcursors.
//
//   auto tx = conn.transaction();   // without WITH HOLD a cursor lives in a transaction
//   pgcpp::ServerCursor cur = conn.server_cursor("big_scan");
//   cur.execute("SELECT id, name FROM big WHERE id > %s", 10);
//   //   DECLARE "big_scan" CURSOR FOR SELECT id, name FROM big WHERE id > $1
//   for (auto [id, name] : cur.rows<int64_t, std::string>()) ...  // FETCH FORWARD 100 at a time
//   for (const pgcpp::Row& row : cur) ...                         // zero-copy, the same paging
//   auto some = cur.fetchmany(10, pgcpp::dict_row);                // FETCH FORWARD 10
//   cur.close();                                                   // CLOSE "big_scan"
//
//   // Scrollable and surviving commit:
//   pgcpp::ServerCursor held = conn.server_cursor(
//       "held", {.scrollable = true, .withhold = true});
//   held.execute("SELECT generate_series(1, 10)");
//   conn.commit();
//   held.scroll(5, pgcpp::ScrollMode::kAbsolute);                  // MOVE ABSOLUTE 5 FROM "held"
//
//   // A refcursor returned by a function: fetch from it by name, without execute().
//   std::string name = conn.execute("SELECT my_func()").fetchone(scalar_row<std::string>).value();
//   pgcpp::ServerCursor ref = conn.server_cursor(name);
//   auto rows = ref.fetchall(pgcpp::typed_row<int, std::string>);
//
// psycopg's ServerCursor: execute() sends `DECLARE "<name>" [SCROLL|NO SCROLL]
// CURSOR [WITH HOLD] FOR <query>` over the extended protocol (parameters bound
// server-side, one statement), after the implicit BEGIN when one is due, then
// describes the portal; a second execute() first closes the previous portal.
// Iteration fetches pages of `itersize` rows and asks for another page only
// when the last one was full. scroll() sends MOVE with no bounds check
// (rownumber() is updated blindly); on a NO SCROLL cursor moving backwards the
// server raises ObjectNotInPrerequisiteState. close() is idempotent and sends
// CLOSE only when the portal can still exist (the transaction is open, or the
// cursor is WITH HOLD), after checking pg_cursors for a cursor it did not
// declare; the destructor closes too, ignoring errors. Refused inside a
// pipeline (NotSupportedError). In autocommit a cursor needs `withhold` (the
// server refuses DECLARE outside a transaction block otherwise).
//
// Rows are read through a Cursor holding the current page, so the row
// factories, Row views and errors are exactly Cursor's.
#ifndef PGCPP_CORE_SERVER_CURSOR_H_
#define PGCPP_CORE_SERVER_CURSOR_H_

#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "pgcpp/adapt/params.h"
#include "pgcpp/adapt/row.h"
#include "pgcpp/adapt/value.h"
#include "pgcpp/core/base_connection.h"
#include "pgcpp/core/column.h"
#include "pgcpp/core/cursor.h"
#include "pgcpp/core/operation.h"
#include "pgcpp/core/row_range.h"
#include "pgcpp/core/sql.h"

namespace pgcpp {

struct ServerCursorOptions {
  bool binary = false;               // fetch results in binary format
  std::optional<bool> scrollable{};  // SCROLL / NO SCROLL; nullopt: the server's default
  bool withhold = false;             // WITH HOLD: usable after commit (and in autocommit)
};

class ServerCursor : public internal::FetchRows<ServerCursor> {
 public:
  ServerCursor(std::shared_ptr<BaseConnection> conn, std::string name,
               ServerCursorOptions options = {});
  ServerCursor(ServerCursor&& other) noexcept;
  ServerCursor& operator=(ServerCursor&&) = delete;
  ~ServerCursor();  // close(), errors ignored

  const std::string& name() const { return name_; }
  std::optional<bool> scrollable() const { return options_.scrollable; }
  bool withhold() const { return options_.withhold; }

  size_t itersize = 100;  // rows per FETCH while iterating
  size_t arraysize = 1;   // fetchmany()'s default size

  // --- Declaring ---------------------------------------------------------------
  template <class... Params>
  ServerCursor& execute(std::string_view query, const Params&... params);
  template <class... Params>
  ServerCursor& execute(const sql::Composable& query, const Params&... params) {
    return execute(std::string_view(query.as_string()), params...);
  }
  // Parameters known at run time (the query is parsed for placeholders even when empty).
  ServerCursor& execute_values(std::string_view query, std::span<const Value> params);

  // --- Fetching: each call sends one FETCH -------------------------------------------
  // fetchone(factory), fetchmany(size = arraysize, factory), fetchall(factory)
  // (internal::FetchRows, pgcpp/core/row_range.h).

  // rows(factory) / rows<Ts...>(): the remaining rows, paged by itersize, made by
  // a row factory (an input range). From a temporary cursor the range owns it, so
  // `for (auto [a] : conn.server_cursor(refcursor_name).rows<int>())` is safe.

  // Zero-copy iteration over the remaining rows; each Row views the current page.
  using RowIterator = internal::RowViewIterator<ServerCursor>;
  RowIterator begin();
  std::default_sentinel_t end() { return {}; }

  // MOVE [ABSOLUTE] value FROM "name".
  void scroll(int64_t value, ScrollMode mode = ScrollMode::kRelative);

  // --- State ----------------------------------------------------------------------
  // The portal's columns (known after execute() or the first fetch of a refcursor).
  const std::optional<std::vector<ColumnDescription>>& description() const {
    return page_.description();
  }
  // Rows fetched (or scrolled over) since execute(); nullopt before.
  std::optional<int64_t> rownumber() const;
  // Always -1: the server does not say how many rows a cursor has.
  int64_t rowcount() const { return -1; }

  void close();
  bool closed() const { return closed_; }
  AdaptersMap& adapters() { return page_.adapters(); }
  BaseConnection& connection() const { return page_.connection(); }

 private:
  friend struct internal::RowRangeAccess;
  const Row& range_row() { return page_.row_at(page_.pos_); }
  void range_next() {
    ++page_.pos_;
    ++pos_;
  }
  bool range_end() { return !row_ready(); }
  const RowDescription& range_description() {
    fetch_page(itersize);
    return page_.row_description();
  }
  template <class Factory>
  auto fetch_one(Factory& factory) {
    fetch_page(1);
    auto row = page_.fetchone(factory);
    if (row) ++pos_;
    return row;
  }
  // FETCH FORWARD `size` (0: ALL) and the rows made from it.
  template <class Factory>
  auto fetch_many(size_t size, Factory& factory) {
    fetch_page(size);
    auto rows = page_.fetchall(factory);
    pos_ += static_cast<int64_t>(rows.size());
    return rows;
  }
  template <class Factory>
  auto fetch_all(Factory& factory) {
    return fetch_many(0, factory);
  }

  ServerCursor& run_declare(std::string_view query, const DumpedParams* params);
  Operation<void> declare_operation(std::string statement, const DumpedParams* params);
  Operation<void> describe_operation();
  Operation<void> fetch_operation(std::string statement);
  Operation<void> close_operation();
  // Makes sure the portal is described (a refcursor is described on first use).
  void check_ready();
  // FETCH FORWARD `count` (0: ALL) into the current page.
  void fetch_page(size_t count);
  // Whether a row is available at the page's position, fetching the next page
  // when the last one was full.
  bool row_ready();
  // Runs `op` under the connection's lock.
  void run(Operation<void> op);

  std::shared_ptr<BaseConnection> conn_;
  std::string name_;
  std::string quoted_name_;  // "name", as an SQL identifier
  ServerCursorOptions options_;
  Cursor page_;  // the current page of rows (or the portal description)
  DumpedParams params_;
  bool declared_ = false;   // by this object's execute()
  bool described_ = false;  // the portal's columns are known
  bool closed_ = false;
  bool page_full_ = false;  // the last page had as many rows as asked for
  int64_t pos_ = 0;
};

// ---- template definitions ------------------------------------------------------------

template <class... Params>
ServerCursor& ServerCursor::execute(std::string_view query, const Params&... params) {
  if constexpr (sizeof...(Params) == 0) {
    return run_declare(query, nullptr);
  } else {
    page_.check_open();
    std::shared_ptr<const PgQuery> q = page_.converted(query, sizeof...(Params));
    dump_params_into(params_, page_.adapters_, q->formats, params...);
    return run_declare(q->query, &params_);
  }
}

}  // namespace pgcpp

#endif  // PGCPP_CORE_SERVER_CURSOR_H_
