// An SVG bar chart of benchmark ratios (pgcpp / reference), for `pgcpp bench --svg`.
//
//   std::string svg = pgcpp::tools::ratio_chart_svg(
//       "pgcpp / libpq throughput", {{"W4 prepared round trip", 0.97, 0.95}});
//
// One horizontal bar per workload, labelled, with its value at the end; a vertical line at
// 1.0 (as fast as the reference) and a marked target per workload. Bars meeting their
// target are green, the others orange.
#ifndef PGCPP_TOOLS_SVG_CHART_H_
#define PGCPP_TOOLS_SVG_CHART_H_

#include <string>
#include <string_view>
#include <vector>

namespace pgcpp::tools {

struct ChartBar {
  std::string label{};
  double ratio = 0;
  double target = 0;  // 0: none
};

std::string ratio_chart_svg(std::string_view title, const std::vector<ChartBar>& bars);

}  // namespace pgcpp::tools

#endif  // PGCPP_TOOLS_SVG_CHART_H_
