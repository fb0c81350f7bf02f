// Python's repr() of a string, for the error messages pgcpp copies from psycopg
// (`bad value for connect_timeout: 'abc'`, `invalid name: 'a)b'`).
//
//   core_internal::py_repr("it's")  // "\"it's\""
//
// Internal to //core.
#ifndef PGCPP_CORE_PY_REPR_H_
#define PGCPP_CORE_PY_REPR_H_

#include <string>
#include <string_view>

namespace pgcpp::core_internal {

// `s` (UTF-8) quoted and escaped as Python 3 prints a str: single quotes unless `s` holds a
// single quote and no double quote; backslash, the quote, \t \n \r and other control characters
// (C0, DEL, C1, plus U+00A0 and U+00AD, which Python does not print) escaped. Bytes that are not
// valid UTF-8 are shown as \xNN. Other non-ASCII characters are kept: Python's complete
// "printable" table is not reproduced.
std::string py_repr(std::string_view s);

}  // namespace pgcpp::core_internal

#endif  // PGCPP_CORE_PY_REPR_H_
