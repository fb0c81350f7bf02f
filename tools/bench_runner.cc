#include "tools/bench_runner.h"

#include <cmath>
#include <cstdio>

#include "tools/json_render.h"

namespace pgcpp::tools {

namespace {

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, v);
  return buf;
}

// A JSON number (finite), or null.
std::string json_number(double v) { return std::isfinite(v) ? fixed(v, 6) : "null"; }

}  // namespace

std::vector<BenchResult> run_benchmarks(const std::vector<BenchEntry>& entries,
                                        const BenchOptions& options) {
  std::vector<BenchResult> results;
  for (size_t i = 0; i < entries.size(); ++i) {
    const BenchEntry& entry = entries[i];
    const std::optional<int64_t>& size =
        entry.size == BenchEntry::Size::kRows ? options.rows : options.seconds;
    BenchResult result{.entry = entry, .units = size.value_or(entry.default_units)};
    const std::string prefix = "[" + std::to_string(i + 1) + "/" + std::to_string(entries.size()) +
                               "] " + entry.name + ": ";
    if (options.progress != nullptr) *options.progress << prefix << "setup" << std::flush;
    try {
      bench::Workload workload = entry.make(options.dsn, result.units);
      result.comparison = bench::compare(
          workload, {.repetitions = options.repetitions, .progress = [&](int done, int all) {
                       if (options.progress != nullptr) {
                         *options.progress << "\r" << prefix << "run " << done << "/" << all
                                           << "    " << std::flush;
                       }
                     }});
    } catch (...) {
      if (options.progress != nullptr) *options.progress << "\n";  // end the progress line
      throw;
    }
    if (options.progress != nullptr) {
      *options.progress << "\r" << prefix << "ratio " << fixed(result.comparison.ratio, 2)
                        << "          \n"
                        << std::flush;
    }
    results.push_back(std::move(result));
  }
  return results;
}

ResultTable bench_table(const std::vector<BenchResult>& results) {
  ResultTable table{.columns = {"workload", "size", "pgcpp median", "reference", "median",
                                "pgcpp/s", "ratio", "target", "cpu ratio"},
                    .right_align = {false, true, true, false, true, true, true, true, true}};
  auto ms = [](double seconds) { return fixed(seconds * 1000, 1) + " ms"; };
  for (const BenchResult& r : results) {
    const bench::Comparison& c = r.comparison;
    const std::string size =
        std::to_string(r.units) + (r.entry.size == BenchEntry::Size::kRows ? " " + c.unit : " s");
    table.rows.push_back(
        {r.entry.name, size, ms(c.pgcpp.median_seconds), c.reference_name,
         ms(c.reference.median_seconds), fixed(c.pgcpp.units_per_second, 0), fixed(c.ratio, 2),
         r.entry.target > 0 ? "≥ " + fixed(r.entry.target, 2) : "", fixed(c.cpu_ratio, 2)});
  }
  return table;
}

std::string bench_json(const std::vector<BenchResult>& results, const BenchOptions& options) {
  std::string out =
      "{\"repetitions\": " + std::to_string(options.repetitions) + ", \"workloads\": [";
  for (size_t i = 0; i < results.size(); ++i) {
    const BenchResult& r = results[i];
    const bench::Comparison& c = r.comparison;
    out += i == 0 ? "\n  {" : ",\n  {";
    out += "\"name\": ";
    append_json_string(r.entry.name, out);
    out += ", \"unit\": ";
    append_json_string(c.unit, out);
    out += ", \"size\": " + std::to_string(r.units) + ", \"sized_by\": " +
           (r.entry.size == BenchEntry::Size::kRows ? "\"rows\"" : "\"seconds\"") +
           ", \"units_per_run\": " + std::to_string(c.pgcpp.units) + ", \"reference\": ";
    append_json_string(c.reference_name, out);
    out += ", \"pgcpp_per_second\": " + json_number(c.pgcpp.units_per_second) +
           ", \"reference_per_second\": " + json_number(c.reference.units_per_second) +
           ", \"pgcpp_median_seconds\": " + json_number(c.pgcpp.median_seconds) +
           ", \"reference_median_seconds\": " + json_number(c.reference.median_seconds) +
           ", \"ratio\": " + json_number(c.ratio) + ", \"cpu_ratio\": " + json_number(c.cpu_ratio) +
           ", \"target\": " + json_number(r.entry.target) +
           ", \"meets_target\": " + (c.ratio >= r.entry.target ? "true" : "false") + "}";
  }
  out += results.empty() ? "]}\n" : "\n]}\n";
  return out;
}

std::vector<ChartBar> bench_bars(const std::vector<BenchResult>& results) {
  std::vector<ChartBar> bars;
  for (const BenchResult& r : results) {
    bars.push_back({.label = r.entry.name, .ratio = r.comparison.ratio, .target = r.entry.target});
  }
  return bars;
}

}  // namespace pgcpp::tools
