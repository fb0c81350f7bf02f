// W5 concurrency: kClients (8) clients running pgbench's SELECT
// (`SELECT abalance FROM pgbench_accounts WHERE aid = $1`, random aid) on a
// `pgbench -i -s 10` database for `seconds`, the pgcpp side through a
// ConnectionPool of 8 autocommit connections and Cursors (the statement is
// prepared by each connection's PreparedStatements), the reference side
// `pgbench -n -S -c 8 -j 2 -M prepared -T <seconds>` (../README.md,
// "Performance"). Units are transactions; pgbench's own duration (without its
// connection time) is its SideResult::seconds. Neither side's checksum is
// compared (the aids are random).
//
//   pgcpp::bench::run_benchmark(state, pgcpp::bench::pool_select(dsn, 5), 3);
//
// pgbench is found in $PGCPP_PG_BINDIR, else /usr/lib/postgresql/15/bin.
#ifndef PGCPP_BENCH_POOL_SELECT_H_
#define PGCPP_BENCH_POOL_SELECT_H_

#include <string>

#include "pgcpp/bench/workload.h"

namespace pgcpp::bench {

// setup runs `pgbench -i -s 10` unless the tables are there at that scale,
// and opens the pool (kept for all the runs).
Workload pool_select(std::string dsn, int seconds);

}  // namespace pgcpp::bench

#endif  // PGCPP_BENCH_POOL_SELECT_H_
