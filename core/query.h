// psycopg's query placeholders: `%s`, `%t`, `%b`, `%(name)s`/`t`/`b` and `%%`.
//
// Queries executed with parameters use psycopg's placeholders. For the server they become
// PostgreSQL's `$1..$n` (convert_query); for ClientCursor-style execution, where the values are
// rendered as SQL literals on the client, the query is split around its placeholders
// (convert_client_query). A query executed without parameters is sent verbatim and must not go
// through either: there `%` needs no escaping.
//
//   auto q = pgcpp::convert_query("SELECT %(a)s, %(b)b, %(a)s WHERE x LIKE 'a%%'");
//   q->query;    // "SELECT $1, $2, $1 WHERE x LIKE 'a%'"
//   q->names;    // {"a", "b"}: parameter $k is names[k-1]
//   q->formats;  // {kAuto, kBinary}
//   q->check_mapping_params([&](std::string_view name) { return params.contains(name); });
//
//   auto t = pgcpp::convert_client_query("SELECT %s, %s");
//   t->merge({"1", "'x'"});  // "SELECT 1, 'x'"
//
// Errors are psycopg's, all ProgrammingError:
//   - only '%s', '%b', '%t' are allowed as placeholders, got '%d'
//   - incomplete placeholder: '%'; if you want to use '%' as an operator you can double it
//     up, i.e. use '%%'
//   - incomplete placeholder: '%(name'
//   - positional and named placeholders cannot be mixed
//   - placeholder 'a' cannot have different formats
//   - the query has 2 placeholders but 1 parameters were passed
//   - query parameter missing: a, b
//   - named placeholders require a mapping of parameters
//   - positional placeholders (%s) require a sequence of parameters
// (psycopg raises TypeError for the last two; C++ has no TypeError, and both are programming
// errors.) As in psycopg, a `%` at the very end of the query or before a newline is not a
// placeholder and stays in the text.
//
// Conversions are cached (LRU, 128 entries; queries up to 4096 bytes with up to 50 parameters,
// as psycopg) and the cached results are shared: the functions are safe to call from any thread.
#ifndef PGCPP_CORE_QUERY_H_
#define PGCPP_CORE_QUERY_H_

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "pgcpp/adapt/oid.h"

namespace pgcpp {

// The letter of a placeholder says how its parameter is sent: adapt's
// ParamFormat (%s kAuto: the adapter chooses, %t kText, %b kBinary).
// 's', 't' or 'b'.
char placeholder_format_code(ParamFormat format);

enum class PlaceholderStyle {
  kNone,        // no placeholders
  kPositional,  // %s
  kNamed,       // %(name)s
};

// What both forms know about the parameters a query expects, and psycopg's checks of the
// parameters passed.
struct QueryParams {
  PlaceholderStyle style = PlaceholderStyle::kNone;
  // Placeholders in the text; a name used twice counts twice.
  size_t placeholder_count = 0;
  // kNamed: the distinct names in order of first use; parameter k (from 0) is names[k].
  std::vector<std::string> names;

  // Parameters to pass: placeholder_count for positional queries, names.size() for named ones.
  size_t param_count() const;

  // For parameters passed as a sequence of `count` values.
  void check_sequence_params(size_t count) const;
  // For parameters passed as a mapping; `contains(name)` says if it has `name`. Unlike psycopg,
  // an empty mapping for a positional query is refused here rather than by the server.
  void check_mapping_params(absl::FunctionRef<bool(std::string_view)> contains) const;
};

// The server form: psycopg's _query2pg.
struct PgQuery : QueryParams {
  std::string query;                 // with $1..$n
  std::vector<ParamFormat> formats;  // one per parameter, $1 first
};

// One placeholder of a query split for client-side merging, and the text before it.
struct QueryPart {
  std::string pre;   // literal text, `%%` already turned into `%`
  std::string name;  // empty for a positional placeholder
  size_t param = 0;  // the parameter it stands for (from 0); a repeated name repeats its number
  ParamFormat format = ParamFormat::kAuto;
};

// The client form: the query split around its placeholders (psycopg's _split_query, used by
// ClientCursor). Placeholder formats are not checked here: every value becomes a literal.
struct ClientQuery : QueryParams {
  std::vector<QueryPart> parts;
  std::string tail;  // literal text after the last placeholder

  // The query with each placeholder replaced by literals[part.param]. `literals` must hold
  // param_count() entries (std::invalid_argument otherwise).
  std::string merge(std::span<const std::string> literals) const;
};

std::shared_ptr<const PgQuery> convert_query(std::string_view query);
std::shared_ptr<const ClientQuery> convert_client_query(std::string_view query);

// The same without the cache (for benchmarks, and for callers that know a query is one-off).
PgQuery convert_query_uncached(std::string_view query);
ClientQuery convert_client_query_uncached(std::string_view query);

}  // namespace pgcpp

#endif  // PGCPP_CORE_QUERY_H_
