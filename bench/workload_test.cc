#include "pgcpp/bench/workload.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace pgcpp::bench {
namespace {

Workload counting(std::vector<std::string>& order, uint64_t reference_checksum) {
  Workload w;
  w.name = "counting";
  w.unit = "rows";
  w.reference_name = "libpq";
  w.setup = [&order] { order.push_back("setup"); };
  w.pgcpp = [&order] {
    order.push_back("pgcpp");
    return SideResult{.units = 10, .checksum = fold(0, 42)};
  };
  w.reference = [&order, reference_checksum] {
    order.push_back("libpq");
    return SideResult{.units = 10, .checksum = reference_checksum};
  };
  return w;
}

TEST(CompareTest, AlternatesWhichSideGoesFirst) {
  std::vector<std::string> order;
  Comparison c = compare(counting(order, fold(0, 42)), {.repetitions = 3});
  EXPECT_EQ(order, (std::vector<std::string>{"setup", "pgcpp", "libpq", "libpq", "pgcpp", "pgcpp",
                                             "libpq"}));
  EXPECT_EQ(c.pgcpp.units, 10);
  EXPECT_GT(c.ratio, 0);
}

TEST(CompareTest, RefusesSidesThatReadDifferentValues) {
  std::vector<std::string> order;
  EXPECT_THROW(compare(counting(order, fold(0, 43)), {.repetitions = 1}), std::runtime_error);
}

TEST(CompareTest, ReportsProgress) {
  std::vector<std::string> order;
  std::vector<int> done;
  compare(counting(order, fold(0, 42)), {.repetitions = 2, .progress = [&](int d, int total) {
                                           EXPECT_EQ(total, 4);
                                           done.push_back(d);
                                         }});
  EXPECT_EQ(done, (std::vector<int>{2, 4}));
}

TEST(CompareTest, UsesTheSidesOwnDurationWhenGiven) {
  Workload w;
  w.name = "pgbench-like";
  w.unit = "transactions";
  w.reference_name = "pgbench";
  w.pgcpp = [] { return SideResult{.units = 100, .checked = false, .seconds = 2.0}; };
  w.reference = [] { return SideResult{.units = 100, .checked = false, .seconds = 1.0}; };
  Comparison c = compare(w, {.repetitions = 1});
  EXPECT_DOUBLE_EQ(c.pgcpp.units_per_second, 50);
  EXPECT_DOUBLE_EQ(c.reference.units_per_second, 100);
  EXPECT_DOUBLE_EQ(c.ratio, 0.5);
}

}  // namespace
}  // namespace pgcpp::bench
