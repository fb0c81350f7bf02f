// W4 round trips: `queries` sequential `SELECT $1::int4 + 1`, prepared, in
// autocommit (../README.md, "Performance"). The pgcpp side runs them through a
// Cursor, whose connection prepares the statement after prepare_threshold runs
// (and then reads binary results); the reference side prepares it once and
// calls PQexecPrepared in a loop. Both fold the values read into the checksum.
//
//   pgcpp::bench::run_benchmark(state, pgcpp::bench::round_trips(dsn, 20000));
#ifndef PGCPP_BENCH_ROUND_TRIPS_H_
#define PGCPP_BENCH_ROUND_TRIPS_H_

#include <cstdint>
#include <string>

#include "pgcpp/bench/workload.h"

namespace pgcpp::bench {

// Each side keeps one connection (made by setup) for all its runs.
Workload round_trips(std::string dsn, int64_t queries);

}  // namespace pgcpp::bench

#endif  // PGCPP_BENCH_ROUND_TRIPS_H_
