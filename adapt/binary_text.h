// The text PostgreSQL would have sent for a value that came in binary format.
//
// A prepared statement's results switch to binary (core's prepared-statement manager),
// and reading a column as std::string must not change then: Codec<std::string> renders
// the binary value as the server's output function would, for every type whose text
// does not depend on session settings:
//
//   int2/int4/int8/oid/xid/cid   "-9223372036854775808"
//   numeric                      "1.2300" (scale kept), "NaN", "Infinity"
//   bool                         "t" / "f"
//   float4/float8                shortest exact digits in PostgreSQL's layout
//                                (extra_float_digits >= 1): "1e+16", "1.5e-07", "-0"
//   uuid                         lower case
//   bytea                        hex form "\x0a0b" (bytea_output = hex)
//   inet/cidr                    "10.0.0.1", "10.0.0.1/8", "10.0.0.0/8"
//   "char"                       the byte, "" for NUL, "\ooo" above 127
//   arrays of these              "{1,NULL,\"a b\"}", "[0:1]={1,2}"
//
// The date/time types (DateStyle, TimeZone, IntervalStyle) and every other builtin type
// cannot be rendered exactly: reading them as std::string from binary raises DataError
// saying so and what to do instead.
//
//   std::string out;
//   if (!pgcpp::adapt_internal::append_text_of_binary(data, oids::kInt4, out)) ...;
#ifndef PGCPP_ADAPT_BINARY_TEXT_H_
#define PGCPP_ADAPT_BINARY_TEXT_H_

#include <string>
#include <string_view>

#include "pgcpp/adapt/oid.h"

namespace pgcpp::adapt_internal {

// Whether append_text_of_binary can render values of `oid` (arrays: by their element).
bool binary_renders_as_text(Oid oid);

// Appends the server's text form of the binary value `data` of type `oid` and returns
// true, or returns false (appending nothing) for a type binary_renders_as_text rejects.
// Malformed data raises DataError.
bool append_text_of_binary(std::string_view data, Oid oid, std::string& out);

// PostgreSQL's float4out / float8out with extra_float_digits >= 1.
void append_pg_float8(double v, std::string& out);
void append_pg_float4(float v, std::string& out);

// Raises DataError for a binary value of `oid` that `cpp_type` cannot read as text:
// names the type, says it came in binary format and what to do about it.
[[noreturn]] void throw_binary_not_text(Oid oid, std::string_view cpp_type);

}  // namespace pgcpp::adapt_internal

#endif  // PGCPP_ADAPT_BINARY_TEXT_H_
