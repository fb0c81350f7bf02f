#include "tools/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace pgcpp::tools {

namespace {

constexpr int kWidth = 820;
constexpr int kLabelWidth = 250;  // left column for the workload names
constexpr int kPlotWidth = 480;
constexpr int kTop = 60;
constexpr int kRowHeight = 44;
constexpr int kBarHeight = 24;

std::string escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string number(double v, int decimals = 2) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, v);
  return buf;
}

}  // namespace

std::string ratio_chart_svg(std::string_view title, const std::vector<ChartBar>& bars) {
  double scale_max = 1.25;
  for (const ChartBar& b : bars) scale_max = std::max({scale_max, b.ratio * 1.1, b.target * 1.1});
  scale_max = std::ceil(scale_max * 4) / 4;  // a multiple of 0.25
  auto x_of = [&](double v) { return kLabelWidth + v / scale_max * kPlotWidth; };
  const int rows = std::max<int>(1, static_cast<int>(bars.size()));
  const int height = kTop + rows * kRowHeight + 60;

  std::string svg;
  svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(kWidth) +
         "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(kWidth) +
         " " + std::to_string(height) + "\" font-family=\"sans-serif\" font-size=\"13\">\n";
  svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  svg += "<text x=\"" + std::to_string(kWidth / 2) +
         "\" y=\"28\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">" +
         escape(title) + "</text>\n";
  // Grid: every 0.25, labelled below the plot.
  const int plot_bottom = kTop + rows * kRowHeight;
  for (double v = 0; v <= scale_max + 1e-9; v += 0.25) {
    const std::string x = number(x_of(v), 1);
    svg += "<line x1=\"" + x + "\" y1=\"" + std::to_string(kTop - 8) + "\" x2=\"" + x + "\" y2=\"" +
           std::to_string(plot_bottom) + "\" stroke=\"#e0e0e0\"/>\n";
    svg += "<text x=\"" + x + "\" y=\"" + std::to_string(plot_bottom + 18) +
           "\" text-anchor=\"middle\" fill=\"#555\">" + number(v) + "</text>\n";
  }
  if (bars.empty()) {
    svg += "<text x=\"" + std::to_string(kWidth / 2) + "\" y=\"" +
           std::to_string(kTop + kRowHeight / 2 + 5) +
           "\" text-anchor=\"middle\" fill=\"#555\">no workloads were run</text>\n";
  }
  for (size_t i = 0; i < bars.size(); ++i) {
    const ChartBar& b = bars[i];
    const int y = kTop + static_cast<int>(i) * kRowHeight + (kRowHeight - kBarHeight) / 2;
    const bool meets = b.target <= 0 || b.ratio >= b.target;
    svg += "<text x=\"" + std::to_string(kLabelWidth - 10) + "\" y=\"" +
           std::to_string(y + kBarHeight / 2 + 5) + "\" text-anchor=\"end\">" + escape(b.label) +
           "</text>\n";
    svg += "<rect x=\"" + std::to_string(kLabelWidth) + "\" y=\"" + std::to_string(y) +
           "\" width=\"" + number(std::max(0.0, x_of(b.ratio) - kLabelWidth), 1) + "\" height=\"" +
           std::to_string(kBarHeight) + "\" fill=\"" + (meets ? "#4caf50" : "#ff9800") + "\"/>\n";
    // The value right of the bar and of the lines it could collide with.
    const double label_x = std::max({x_of(b.ratio), x_of(b.target), x_of(1.0)}) + 6;
    svg += "<text x=\"" + number(label_x, 1) + "\" y=\"" + std::to_string(y + kBarHeight / 2 + 5) +
           "\">" + number(b.ratio) + "×</text>\n";
    if (b.target > 0) {
      const std::string x = number(x_of(b.target), 1);
      svg += "<line x1=\"" + x + "\" y1=\"" + std::to_string(y - 4) + "\" x2=\"" + x + "\" y2=\"" +
             std::to_string(y + kBarHeight + 4) +
             "\" stroke=\"#c62828\" stroke-width=\"2\" stroke-dasharray=\"4,2\"/>\n";
      svg += "<text x=\"" + x + "\" y=\"" + std::to_string(y - 6) +
             "\" text-anchor=\"middle\" font-size=\"10\" fill=\"#c62828\">target " +
             number(b.target) + "</text>\n";
    }
  }
  // The 1.0 line: as fast as the reference.
  const std::string one = number(x_of(1.0), 1);
  svg += "<line x1=\"" + one + "\" y1=\"" + std::to_string(kTop - 12) + "\" x2=\"" + one +
         "\" y2=\"" + std::to_string(plot_bottom) + "\" stroke=\"black\" stroke-width=\"2\"/>\n";
  svg += "<text x=\"" + one + "\" y=\"" + std::to_string(kTop - 16) +
         "\" text-anchor=\"middle\" font-size=\"11\">1.0 = reference</text>\n";
  svg += "<text x=\"" + std::to_string(kLabelWidth + kPlotWidth / 2) + "\" y=\"" +
         std::to_string(plot_bottom + 40) +
         "\" text-anchor=\"middle\" fill=\"#333\">pgcpp throughput / reference throughput "
         "(higher is better; dashed: target)</text>\n";
  svg += "</svg>\n";
  return svg;
}

}  // namespace pgcpp::tools
