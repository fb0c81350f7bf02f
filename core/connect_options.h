// Options of Connection::connect(), for designated initializers (psycopg's keyword arguments).
//
//   pgcpp::ConnectOptions options{.autocommit = true,
//                                 .host = "db.example.com",
//                                 .port = 5432,
//                                 .dbname = "app",
//                                 .params = {{"target_session_attrs", "read-write"}}};
//   std::string conninfo = pgcpp::make_conninfo("user=app", pgcpp::conninfo_overrides(options));
//
// The libpq fields (host ... application_name, params) override the same keywords of the conninfo
// string, as psycopg's connect(conninfo, **kwargs) does; an unset field leaves the string's value
// alone (psycopg drops kwargs that are None). The other fields configure the connection object.
//
// ConnectOptions stays an aggregate so that designated initializers work; fields are only ever
// added, and designated initializers must name them in declaration order. Every field has a
// default member initializer (`{}` at least): without one, GCC's -Wmissing-field-initializers
// (in -Wextra) warns about each field a designated initializer leaves out.
#ifndef PGCPP_CORE_CONNECT_OPTIONS_H_
#define PGCPP_CORE_CONNECT_OPTIONS_H_

#include <optional>
#include <string>

#include "pgcpp/core/conninfo.h"

namespace pgcpp {

// The class of the cursors conn.cursor() and conn.execute() make (psycopg's cursor_factory).
enum class CursorFactory {
  kCursor,     // pgcpp::Cursor: %s placeholders, server-side binding
  kRawCursor,  // pgcpp::RawCursor: PostgreSQL's $1..$n placeholders, as written
  // pgcpp::ClientCursor: %s placeholders merged client-side as literals, so
  // parameters work where the server takes none (SET, DDL); never prepared.
  kClientCursor,
};

struct ConnectOptions {
  // Connection behaviour (not sent to libpq).
  bool autocommit = false;
  // Executions of a query before it is prepared; nullopt never prepares (psycopg: None).
  std::optional<int> prepare_threshold = 5;
  // Statements kept prepared (LRU); nullopt: no limit (psycopg: None).
  std::optional<int> prepared_max = 100;
  // Binary results for prepared statements whose columns all have binary loaders
  // (see pgcpp/core/prepared_statements.h); a format chosen per cursor or execute wins.
  bool prepared_binary_results = true;
  CursorFactory cursor_factory = CursorFactory::kCursor;
  // The row factory (psycopg's row_factory) is a type: pass it to Connection::connect's
  // third argument, which returns a TypedConnection (pgcpp/core/typed_connection.h).

  // libpq parameters.
  std::optional<std::string> host{};
  std::optional<int> port{};
  std::optional<std::string> dbname{};
  std::optional<std::string> user{};
  std::optional<std::string> password{};
  std::optional<std::string> sslmode{};
  std::optional<int> connect_timeout{};  // seconds
  std::optional<std::string> application_name{};
  // Any other libpq keyword; naming a keyword that has its own field above is an error.
  ConnInfoDict params{};
};

// The libpq fields of `options` that are set, as make_conninfo() / conninfo_to_dict() overrides.
// Throws ProgrammingError if `params` repeats a field that is set
// (`connection option "host" given both as ConnectOptions::host and in ConnectOptions::params`).
ConnInfoDict conninfo_overrides(const ConnectOptions& options);

}  // namespace pgcpp

#endif  // PGCPP_CORE_CONNECT_OPTIONS_H_
