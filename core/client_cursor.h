// ClientCursor: a Cursor that merges parameters into the query text on the
// client, as SQL literals, for statements the server cannot bind parameters in.
//
//   pgcpp::ClientCursor cur = conn.client_cursor();
//   cur.execute("SET search_path TO %s", "app");                 // SET search_path TO 'app'
//   cur.execute("CREATE TABLE t (n int DEFAULT %s, s text DEFAULT %s)", 42, "it's");
//   std::string sql = cur.mogrify("SELECT %s, %s, %s", -1, "a\\b", std::nullopt);
//   //  the SQL text: SELECT  -1,  E'a\\b', NULL   (psycopg's literal forms)
//   cur.execute_named("SELECT %(a)s * %(a)s", {{"a", pgcpp::Value(int32_t{3})}});
//
// psycopg's ClientCursor: the same placeholders as Cursor (%s, %t, %b,
// %(name)s; %% is a literal %), each replaced by pgcpp::as_literal of its value
// (pgcpp/adapt/params.h: strings quoted with '' and E'' for backslashes, NULL,
// numbers bare, other types quoted with a ::type cast). The merged query runs
// over the simple protocol, so several statements are allowed; without
// parameters the query is sent verbatim (no % processing). Binary results are
// refused with NotSupportedError. Everything else (fetching, row factories,
// nextset, stream) is Cursor's.
//
// The binding is a property of the cursor object, as RawCursor's $n: a
// ClientCursor converts to a Cursor that still binds client-side, which is
// how a connection whose cursor_factory is CursorFactory::kClientCursor
// makes conn.cursor() and conn.execute() bind client-side too:
//
//   auto conn = pgcpp::Connection::connect(dsn, {.cursor_factory =
//   pgcpp::CursorFactory::kClientCursor}); conn.execute("SET application_name TO %s", "app");  //
//   the server can't take $1 there
#ifndef PGCPP_CORE_CLIENT_CURSOR_H_
#define PGCPP_CORE_CLIENT_CURSOR_H_

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "pgcpp/adapt/params.h"
#include "pgcpp/adapt/value.h"
#include "pgcpp/core/base_connection.h"
#include "pgcpp/core/cursor.h"
#include "pgcpp/core/query.h"
#include "pgcpp/core/sql.h"
#include "pgcpp/core/stream.h"

namespace pgcpp {

class ClientCursor : public Cursor {
 public:
  // NotSupportedError for options.binary.
  explicit ClientCursor(std::shared_ptr<BaseConnection> conn, CursorOptions options = {})
      : Cursor(ClientTag{}, std::move(conn), options) {}

  // The query as it would be sent (psycopg's mogrify()).
  template <class... Params>
  std::string mogrify(std::string_view query, const Params&... params) const {
    return merge_literals(query, params...);
  }
  // Parameters known at run time (parsed for placeholders even when empty).
  std::string mogrify_values(std::string_view query, std::span<const Value> params) const {
    return merge_literal_values(query, params);
  }
  // %(name)s placeholders.
  std::string mogrify_named(std::string_view query, const NamedParams& params) const {
    return merge_literal_named(query, params);
  }

  // Cursor's execute family, returning the ClientCursor.
  template <class... Params>
  ClientCursor& execute(std::string_view query, const Params&... params) {
    Cursor::execute(query, params...);
    return *this;
  }
  template <class... Params>
  ClientCursor& execute(const sql::Composable& query, const Params&... params) {
    Cursor::execute(query, params...);
    return *this;
  }
  template <class... Params>
  ClientCursor& execute(const ExecuteOptions& options, std::string_view query,
                        const Params&... params) {
    Cursor::execute(options, query, params...);
    return *this;
  }
  ClientCursor& execute_values(std::string_view query, std::span<const Value> params,
                               ExecuteOptions options = {}) {
    Cursor::execute_values(query, params, options);
    return *this;
  }
  ClientCursor& execute_named(std::string_view query, const NamedParams& params,
                              ExecuteOptions options = {}) {
    Cursor::execute_named(query, params, options);
    return *this;
  }
  // One query per item of `param_rows` (std::tuple or std::pair of
  // parameters); rowcount() is the total of affected rows; the results are
  // kept only with {.returning = true}.
  template <class Range>
  ClientCursor& executemany(std::string_view query, const Range& param_rows,
                            ExecuteManyOptions options = {}) {
    Cursor::executemany(query, param_rows, options);
    return *this;
  }
};

}  // namespace pgcpp

#endif  // PGCPP_CORE_CLIENT_CURSOR_H_
