// Placeholder conversion with and without the LRU cache, for a short and a typical query.
#include <string>

#include "benchmark/benchmark.h"
#include "pgcpp/core/query.h"

namespace pgcpp {
namespace {

const std::string kShort = "SELECT * FROM users WHERE id = %s";
const std::string kInsert =
    "INSERT INTO orders (id, customer, placed_at, total, currency, note, status, priority) "
    "VALUES (%(id)s, %(customer)s, %(placed_at)s, %(total)s, %(currency)s, %(note)s, "
    "%(status)s, %(priority)b) ON CONFLICT (id) DO UPDATE SET note = %(note)s";

const std::string& query_for(int64_t which) { return which == 0 ? kShort : kInsert; }

void BM_ConvertQueryCached(benchmark::State& state) {
  const std::string& query = query_for(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(convert_query(query));
}
BENCHMARK(BM_ConvertQueryCached)->Arg(0)->Arg(1);

void BM_ConvertQueryUncached(benchmark::State& state) {
  const std::string& query = query_for(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(convert_query_uncached(query));
}
BENCHMARK(BM_ConvertQueryUncached)->Arg(0)->Arg(1);

void BM_ConvertClientQueryCached(benchmark::State& state) {
  const std::string& query = query_for(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(convert_client_query(query));
}
BENCHMARK(BM_ConvertClientQueryCached)->Arg(0)->Arg(1);

}  // namespace
}  // namespace pgcpp
