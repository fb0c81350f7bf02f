// W2, COPY in: `rows` rows of (int8, text, float8) loaded with COPY FROM STDIN.
// pgcpp side: Copy::write_row per row (text format, pgcpp's 64 KiB blocks); reference
// side: raw libpq, text rows formatted with std::to_chars into 64 KiB blocks sent with
// PQputCopyData, then PQputCopyEnd (README, "Performance"). Each side loads its own
// table, then reads back count(*), sum(id), sum(length(t)) and sum(f) with one SELECT:
// the checksum.
//
//   pgcpp::bench::Comparison c = pgcpp::bench::compare(pgcpp::bench::copy_in(dsn, 1000000));
#ifndef PGCPP_BENCH_COPY_IN_H_
#define PGCPP_BENCH_COPY_IN_H_

#include <cstdint>
#include <string>

#include "pgcpp/bench/workload.h"

namespace pgcpp::bench {

Workload copy_in(std::string dsn, int64_t rows);

}  // namespace pgcpp::bench

#endif  // PGCPP_BENCH_COPY_IN_H_
