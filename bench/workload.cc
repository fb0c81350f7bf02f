#include "pgcpp/bench/workload.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace pgcpp::bench {
namespace {

double thread_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

struct Run {
  double seconds = 0;
  double cpu_seconds = 0;
  SideResult result{};
};

Run timed(const std::function<SideResult()>& side) {
  const double cpu_start = thread_cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  Run run;
  run.result = side();
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.cpu_seconds = thread_cpu_seconds() - cpu_start;
  if (run.result.seconds > 0) run.seconds = run.result.seconds;
  return run;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

SideStats stats(const std::vector<Run>& runs) {
  std::vector<double> seconds, cpu;
  for (const Run& r : runs) {
    seconds.push_back(r.seconds);
    cpu.push_back(r.cpu_seconds);
  }
  SideStats s;
  s.median_seconds = median(seconds);
  s.median_cpu_seconds = median(cpu);
  s.units = runs.front().result.units;
  s.units_per_second = s.median_seconds > 0 ? static_cast<double>(s.units) / s.median_seconds : 0;
  return s;
}

void check_agree(const Workload& w, const Run& pgcpp, const Run& reference) {
  const SideResult& a = pgcpp.result;
  const SideResult& b = reference.result;
  if (a.units != b.units && a.checked && b.checked) {
    throw std::runtime_error(w.name + ": pgcpp did " + std::to_string(a.units) + " " + w.unit +
                             ", " + w.reference_name + " " + std::to_string(b.units));
  }
  if (a.checked && b.checked && a.checksum != b.checksum) {
    throw std::runtime_error(w.name + ": pgcpp and " + w.reference_name +
                             " read different values (checksums differ)");
  }
}

}  // namespace

Comparison compare(const Workload& workload, const CompareOptions& options) {
  if (options.repetitions < 1) throw std::invalid_argument("compare: repetitions must be >= 1");
  if (workload.setup) workload.setup();
  std::vector<Run> pgcpp, reference;
  const int total = 2 * options.repetitions;
  for (int i = 0; i < options.repetitions; ++i) {
    if (i % 2 == 0) {
      pgcpp.push_back(timed(workload.pgcpp));
      reference.push_back(timed(workload.reference));
    } else {
      reference.push_back(timed(workload.reference));
      pgcpp.push_back(timed(workload.pgcpp));
    }
    check_agree(workload, pgcpp.back(), reference.back());
    if (options.progress) options.progress(2 * (i + 1), total);
  }
  Comparison c;
  c.name = workload.name;
  c.unit = workload.unit;
  c.reference_name = workload.reference_name;
  c.pgcpp = stats(pgcpp);
  c.reference = stats(reference);
  c.ratio = c.reference.units_per_second > 0
                ? c.pgcpp.units_per_second / c.reference.units_per_second
                : 0;
  c.cpu_ratio = c.reference.median_cpu_seconds > 0
                    ? c.pgcpp.median_cpu_seconds / c.reference.median_cpu_seconds
                    : 0;
  return c;
}

}  // namespace pgcpp::bench
