// Building and editing libpq connection strings for the //testing harness.
//
// Internal to //testing: the harness hands out DSNs (the ephemeral server's, a
// suite database's, a proxy's) derived from other DSNs, and both forms libpq
// accepts ("host=a port=5" and "postgresql://a:5/db") must survive the edit.
//
//   conninfo_with("postgresql://u@h:5432/db", {{"port", "6000"}, {"sslmode", ""}})
//     == "user=u host=h port=6000 dbname=db"
#ifndef PGCPP_TESTING_CONNINFO_H_
#define PGCPP_TESTING_CONNINFO_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgcpp::testing_internal {

// `value` as a conninfo value: bare when it needs no quoting, else in single
// quotes with ' and \ backslash-escaped (libpq's key=value syntax).
std::string conninfo_quote(std::string_view value);

// Appends " key=value" (quoted as needed; no leading space on an empty `out`).
void append_conninfo(std::string& out, std::string_view key, std::string_view value);

// `base` (key=value or URI form) re-rendered as key=value pairs with
// `overrides` applied in order: a non-empty value sets the key (replacing any
// earlier value), an empty value removes it. Throws std::invalid_argument with
// libpq's message when `base` does not parse.
std::string conninfo_with(std::string_view base,
                          const std::vector<std::pair<std::string, std::string>>& overrides);

// The value of `key` in `base`, or "" when unset. Throws like conninfo_with.
std::string conninfo_get(std::string_view base, std::string_view key);

}  // namespace pgcpp::testing_internal

#endif  // PGCPP_TESTING_CONNINFO_H_
