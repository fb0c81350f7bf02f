#!/usr/bin/env bash
# benchmark_main starts an ephemeral server, says so, and runs the benchmarks
# against it; PGCPP_BENCH_DSN overrides the server.
set -euo pipefail
binary=testing/libpq_round_trip_benchmark
out=$TEST_TMPDIR/out
err=$TEST_TMPDIR/err

fail() {
  echo "FAIL: $*"
  echo "--- stdout"; cat "$out"
  echo "--- stderr"; cat "$err"
  exit 1
}

unset PGCPP_BENCH_DSN PGCPP_TEST_DSN
"$binary" --benchmark_min_time=0.01 >"$out" 2>"$err" || fail "exit code $?"
grep -q "pgcpp benchmarks: server host=127.0.0.1 port=[0-9]* user=postgres dbname=postgres (an ephemeral server" "$err" \
  || fail "no banner naming the ephemeral server"
grep -q "BM_LibpqSelectOne" "$out" || fail "BM_LibpqSelectOne did not run"
grep -q "BM_LibpqPreparedRoundTrip" "$out" || fail "BM_LibpqPreparedRoundTrip did not run"
if grep -q "ERROR OCCURRED" "$out"; then fail "a benchmark reported an error"; fi

# An unreachable PGCPP_BENCH_DSN is used as given (so the benchmarks fail to connect).
PGCPP_BENCH_DSN="host=127.0.0.1 port=1 password=hidden" "$binary" --benchmark_min_time=0.01 \
  >"$out" 2>"$err" || fail "exit code $? with PGCPP_BENCH_DSN"
grep -q "pgcpp benchmarks: server host=127.0.0.1 port=1 (\$PGCPP_BENCH_DSN)" "$err" \
  || fail "no banner naming PGCPP_BENCH_DSN (without its password)"
grep -q "ERROR OCCURRED" "$out" || fail "the benchmarks did not use PGCPP_BENCH_DSN"
echo PASS
