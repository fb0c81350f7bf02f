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
  explicit ClientCursor(std::shared_ptr<BaseConnection> conn, CursorOptions options = {});

  // The query as it would be sent (psycopg's mogrify()).
  template <class... Params>
  std::string mogrify(std::string_view query, const Params&... params) const;
  // Parameters known at run time (parsed for placeholders even when empty).
  std::string mogrify_values(std::string_view query, std::span<const Value> params) const;
  // %(name)s placeholders.
  std::string mogrify_named(std::string_view query, const NamedParams& params) const;

  template <class... Params>
  ClientCursor& execute(std::string_view query, const Params&... params) {
    return execute(ExecuteOptions{}, query, params...);
  }
  template <class... Params>
  ClientCursor& execute(const sql::Composable& query, const Params&... params) {
    return execute(ExecuteOptions{}, query.as_string(), params...);
  }
  template <class... Params>
  ClientCursor& execute(const ExecuteOptions& options, std::string_view query,
                        const Params&... params) {
    return run(options, mogrify(query, params...));
  }
  ClientCursor& execute_values(std::string_view query, std::span<const Value> params,
                               ExecuteOptions options = {}) {
    return run(options, mogrify_values(query, params));
  }
  ClientCursor& execute_named(std::string_view query, const NamedParams& params,
                              ExecuteOptions options = {}) {
    return run(options, mogrify_named(query, params));
  }
  // One query per item of `param_rows` (std::tuple or std::pair of parameters);
  // rowcount() is the total of affected rows, and no result is kept.
  template <class Range>
  ClientCursor& executemany(std::string_view query, const Range& param_rows);

  // Streams the merged query (pgcpp/core/stream.h).
  template <class... Params>
  Stream stream(std::string_view query, const Params&... params) & {
    return Cursor::stream(mogrify(query, params...));
  }

 private:
  ClientCursor& run(const ExecuteOptions& options, const std::string& query);
  void end_executemany(int64_t total, bool any);
};

template <class... Params>
std::string ClientCursor::mogrify(std::string_view query, const Params&... params) const {
  if constexpr (sizeof...(Params) == 0) {
    return std::string(query);
  } else {
    std::shared_ptr<const ClientQuery> q = convert_client_query(query);
    q->check_sequence_params(sizeof...(Params));
    const std::string literals[] = {as_literal(params, adapters())...};
    return q->merge(literals);
  }
}

template <class Range>
ClientCursor& ClientCursor::executemany(std::string_view query, const Range& param_rows) {
  int64_t total = 0;
  bool any = false;
  for (const auto& item : param_rows) {
    std::apply([&](const auto&... params) { execute(query, params...); }, item);
    if (rowcount() > 0) total += rowcount();
    any = true;
  }
  end_executemany(total, any);
  return *this;
}

}  // namespace pgcpp

#endif  // PGCPP_CORE_CLIENT_CURSOR_H_
