// run_benchmarks() and its outputs with stand-in workloads (no server needed): the table,
// the JSON and the chart. The shipped registry (bench_workloads()) lists only real ones.
#include "tools/bench_runner.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tools/json_check.h"
#include "tools/svg_chart.h"

namespace pgcpp::tools {
namespace {

// A workload whose sides fold 0..units-1 and report their own durations (1 s and 2 s), so
// the ratio is exactly 2 whatever the machine does.
bench::Workload counting(const std::string&, int64_t units) {
  auto side = [units](double seconds) {
    return [units, seconds] {
      bench::SideResult r{.units = units, .seconds = seconds};
      for (int64_t i = 0; i < units; ++i) r.checksum = bench::fold(r.checksum, i);
      return r;
    };
  };
  return {.name = "counting",
          .unit = "values",
          .reference_name = "loop",
          .pgcpp = side(1.0),
          .reference = side(2.0)};
}

bench::Workload disagreeing(const std::string&, int64_t units) {
  return {.name = "disagreeing",
          .unit = "values",
          .reference_name = "loop",
          .pgcpp = [units] { return bench::SideResult{.units = units, .checksum = 1}; },
          .reference = [units] { return bench::SideResult{.units = units, .checksum = 2}; }};
}

TEST(BenchRunnerTest, RunsEachEntryAndReportsTableJsonAndChart) {
  const std::vector<BenchEntry> entries = {
      {.name = "stand-in A", .default_units = 200000, .target = 0.95, .make = &counting},
      {.name = "stand-in <B>", .default_units = 100000, .target = 3.0, .make = &counting},
      {.name = "timed", .default_units = 7, .make = &counting, .size = BenchEntry::Size::kSeconds},
  };
  std::ostringstream progress;
  BenchOptions options{.rows = 300000, .repetitions = 3, .progress = &progress};
  const std::vector<BenchResult> results = run_benchmarks(entries, options);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].units, 300000);  // --rows overrides the default
  EXPECT_EQ(results[2].units, 7);       // but not for a timed one (--seconds would)
  EXPECT_EQ(results[0].comparison.pgcpp.units, 300000);
  EXPECT_DOUBLE_EQ(results[0].comparison.ratio, 2.0);
  EXPECT_NE(progress.str().find("[2/3] stand-in <B>: run 6/6"), std::string::npos)
      << progress.str();

  const ResultTable table = bench_table(results);
  ASSERT_EQ(table.rows.size(), 3u);
  EXPECT_EQ(table.rows[0][0], "stand-in A");
  EXPECT_EQ(table.rows[0][1], "300000 values");
  EXPECT_EQ(table.rows[0][2], "1000.0 ms");  // the side's own measure
  EXPECT_EQ(table.rows[0][4], "2000.0 ms");
  EXPECT_EQ(table.rows[0][6], "2.00");
  EXPECT_EQ(table.rows[0][7], "≥ 0.95");
  EXPECT_EQ(table.rows[2][1], "7 s");

  const std::string json = bench_json(results, options);
  EXPECT_TRUE(is_valid_json(json)) << json;
  EXPECT_NE(json.find("\"name\": \"stand-in A\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"size\": 300000, \"sized_by\": \"rows\", \"units_per_run\": 300000"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"meets_target\": true"), std::string::npos) << json;
  EXPECT_NE(json.find("\"meets_target\": false"), std::string::npos) << json;  // target 3.0

  const std::string svg = ratio_chart_svg("title", bench_bars(results));
  EXPECT_EQ(svg.rfind("<svg ", 0), 0u);
  EXPECT_NE(svg.find("stand-in &lt;B&gt;"), std::string::npos);  // labels escaped
  EXPECT_NE(svg.find("1.0 = reference"), std::string::npos);
  EXPECT_NE(svg.find("target 0.95"), std::string::npos);
  EXPECT_NE(svg.find("target 3.00"), std::string::npos);
  EXPECT_NE(svg.find("#ff9800"), std::string::npos);  // the bar below its target
}

TEST(BenchRunnerTest, NoEntriesGiveEmptyValidOutputs) {
  const std::vector<BenchResult> results = run_benchmarks({}, {});
  EXPECT_TRUE(results.empty());
  EXPECT_EQ(bench_json(results, {}), "{\"repetitions\": 5, \"workloads\": []}\n");
  EXPECT_NE(ratio_chart_svg("t", {}).find("no workloads were run"), std::string::npos);
}

TEST(BenchRunnerTest, SidesThatDisagreeFail) {
  EXPECT_THROW(run_benchmarks({{.name = "x", .default_units = 10, .make = &disagreeing}}, {}),
               std::runtime_error);
}

TEST(JsonCheckTest, AcceptsJsonAndRejectsTheRest) {
  EXPECT_TRUE(is_valid_json(R"({"a": [1, -2.5e3, "x\n\u00e9", null, true, {}]})"));
  EXPECT_FALSE(is_valid_json(R"({"a": 1,})"));
  EXPECT_FALSE(is_valid_json(R"([NaN])"));
  EXPECT_FALSE(is_valid_json(R"("a" "b")"));
  EXPECT_FALSE(is_valid_json("[01]"));
}

}  // namespace
}  // namespace pgcpp::tools
