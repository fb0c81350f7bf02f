// W1 typed fetch: SELECT `rows` rows of (id int4, big int8, f float8, t text, ts
// timestamptz, n numeric(12,2), b bool), every field converted to a typed C++ value,
// through pgcpp (a Cursor iterating rows<int32_t, int64_t, double, std::string,
// TimestampTz, Numeric, bool>()) and through raw libpq (PQsendQueryParams + PQgetResult,
// PQgetvalue per field with strtol/strtod in text or ntohl/memcpy in binary), in one
// result format for both.
//
//   pgcpp::bench::Workload w = pgcpp::bench::typed_fetch(dsn, 1000000, pgcpp::Format::kBinary);
//   pgcpp::bench::Comparison c = pgcpp::bench::compare(w);   // c.ratio, c.cpu_ratio
//
// Both sides fold the same checksum: id, big, f's bits, t's length and middle byte, ts as
// microseconds since 2000-01-01 UTC, b, and n as pgcpp::Numeric holds an exact decimal: the
// coefficient's digits (a std::string), the scale and the sign. pgcpp reads a Numeric; libpq
// builds that same representation straight from the wire (copying the text's digits, or
// from the base-10000 binary digits), as a hand-written client keeping exact decimals
// would; neither goes through double.
// The timestamps are read in the UTC session time zone on both sides (set at connection).
// The table is made once per size (`w1_typed_fetch_<rows>`) by setup.
#ifndef PGCPP_BENCH_TYPED_FETCH_H_
#define PGCPP_BENCH_TYPED_FETCH_H_

#include <cstdint>
#include <string>

#include "pgcpp/adapt/oid.h"
#include "pgcpp/bench/workload.h"

namespace pgcpp::bench {

Workload typed_fetch(std::string dsn, int64_t rows, pgcpp::Format format);

}  // namespace pgcpp::bench

#endif  // PGCPP_BENCH_TYPED_FETCH_H_
