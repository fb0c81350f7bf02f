// Connection strings: psycopg's conninfo functions on top of libpq's own parser.
//
// A conninfo is a libpq connection string, either `key=value` pairs or a URI
// (postgresql://user:secret@host:5433/db?sslmode=require). pgcpp parses it with
// PQconninfoParse (pure string work: no environment, no files, no network), so anything libpq
// rejects is rejected here first, as a ProgrammingError carrying libpq's message:
//
//   auto params = pgcpp::conninfo_to_dict("postgresql://u@h/db", {{"port", "5433"}});
//   // {"dbname": "db", "host": "h", "port": "5433", "user": "u"}
//   std::string dsn = pgcpp::make_conninfo("dbname=db", {{"application_name", "my app"}});
//   // "application_name='my app' dbname=db"
//   pgcpp::make_conninfo("dbname=db foo=bar");
//   // ProgrammingError: invalid connection option "foo"
//
// Connecting to several hosts is split into one attempt per host (and per address, when a
// resolver is given) by conninfo_attempts(); each attempt gets timeout_from_conninfo().
//
// Thread safety: every function may be called from any thread.
#ifndef PGCPP_CORE_CONNINFO_H_
#define PGCPP_CORE_CONNINFO_H_

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgcpp {

// Connection parameters by libpq keyword. Sorted by keyword, so make_conninfo() writes them in
// that order (psycopg keeps libpq's order instead; libpq does not care).
using ConnInfoDict = std::map<std::string, std::string>;

// The parameters of `conninfo` that have a value, with `overrides` applied on top. Like psycopg,
// the override keywords are not checked here: make_conninfo() checks the merged result.
// Throws ProgrammingError with libpq's message (`invalid connection option "foo"`, `missing "="
// after "x" in connection info string`, ...) for a string libpq rejects, and for a NUL byte.
ConnInfoDict conninfo_to_dict(std::string_view conninfo = {}, const ConnInfoDict& overrides = {});

// psycopg's make_conninfo(). Without overrides `conninfo` is validated and returned unchanged.
// Otherwise the merged parameters are written as `key=value` separated by spaces, each value
// escaped by conninfo_escape(), and the result is validated again: an unknown keyword, a keyword
// that is not a plain word, or a NUL byte in a value is a ProgrammingError.
std::string make_conninfo(std::string_view conninfo = {}, const ConnInfoDict& overrides = {});

// A value as make_conninfo() writes it (psycopg's rules): `\` and `'` are backslash-escaped; the
// result is wrapped in '...' if it contains whitespace (Python's notion, Unicode included); an
// empty value is ''.
std::string conninfo_escape(std::string_view value);

// The value of a connection parameter: from `params`, else from its environment variable (PGHOST
// for host, ...), else nullopt. Service files are not consulted (psycopg neither).
std::optional<std::string> get_param(const ConnInfoDict& params, std::string_view keyword);

// psycopg's split_attempts(): one parameter set per host of a multi-host conninfo. `host`,
// `hostaddr` and `port` (from `params` or PGHOST/PGHOSTADDR/PGPORT) are split at commas; a
// single port applies to every host; each attempt carries its single host/hostaddr/port. A
// single host gives `params` unchanged. Mismatched counts throw OperationalError ("could not
// match 2 host names with 3 hostaddr values", "could not match 3 port numbers to 2 hosts").
std::vector<ConnInfoDict> split_attempts(const ConnInfoDict& params);

// Turns a host name and port into the numeric addresses to connect to. Throws OperationalError
// when the name does not resolve.
using HostResolver =
    std::function<std::vector<std::string>(const std::string& host, const std::string& port)>;

// A HostResolver using getaddrinfo (TCP). It blocks for as long as DNS takes.
std::vector<std::string> resolve_host(const std::string& host, const std::string& port);

// psycopg's _resolve_hostnames() for one attempt of split_attempts(): a host that is a socket
// directory ("/..." or "@..."), a Windows path ("C:..."), absent, or paired with a hostaddr is
// left alone; an IP literal becomes its own hostaddr; a name gives one attempt per address that
// `resolve` returns (with the port, or the compiled-in default port, to resolve with).
std::vector<ConnInfoDict> resolve_hostnames(const ConnInfoDict& attempt,
                                            const HostResolver& resolve);

// psycopg's conninfo_attempts(): split_attempts(), then resolve_hostnames() of each attempt when
// `resolve` is given (hosts that do not resolve are skipped; if none resolves, the last
// OperationalError is thrown), then a shuffle when load_balance_hosts=random. Without `resolve`,
// names are left for libpq to resolve.
std::vector<ConnInfoDict> conninfo_attempts(const ConnInfoDict& params,
                                            const HostResolver& resolve = nullptr);

// psycopg's timeout for one connection attempt: connect_timeout from `params`, else
// PGCONNECT_TIMEOUT; unset or <= 0 gives 130 s, and less than 2 s gives 2 s. A value that is not
// a number throws ProgrammingError("bad value for connect_timeout: 'abc'").
inline constexpr std::chrono::seconds kDefaultConnectTimeout{130};
std::chrono::seconds timeout_from_conninfo(const ConnInfoDict& params);

// What a secret is replaced with by mask_password().
inline constexpr std::string_view kMaskedPassword = "********";

// `params` with the values of password and sslpassword replaced by kMaskedPassword, for logs and
// error messages.
ConnInfoDict mask_password(ConnInfoDict params);

// `conninfo` as key=value text with its secrets masked. Throws like conninfo_to_dict().
std::string conninfo_for_display(std::string_view conninfo);

}  // namespace pgcpp

#endif  // PGCPP_CORE_CONNINFO_H_
