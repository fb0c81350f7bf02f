// W3: a batch of single-row parameterised INSERTs in one transaction.
//
//   pgcpp::bench::Workload w = pgcpp::bench::batch_insert(dsn, 10000);
//
// pgcpp side: Cursor::executemany (pipeline mode, the statement parsed once),
// then commit(). Reference side: raw libpq in pipeline mode, the statement
// prepared once at setup: BEGIN, PQsendQueryPrepared per row, PQpipelineSync,
// drain, COMMIT. Both insert the same rows into table bench_batch_insert
// (made by setup; it grows by `rows` per run, which costs both sides alike).
// The units are rows inserted, as the server's command tags count them.
#ifndef PGCPP_BENCH_BATCH_INSERT_H_
#define PGCPP_BENCH_BATCH_INSERT_H_

#include <cstdint>
#include <string>

#include "pgcpp/bench/workload.h"

namespace pgcpp::bench {

Workload batch_insert(std::string dsn, int64_t rows);

}  // namespace pgcpp::bench

#endif  // PGCPP_BENCH_BATCH_INSERT_H_
