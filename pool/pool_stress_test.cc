// Many threads using one pool at once, while another thread checks, drains,
// resizes and reads stats: meant for `bazel test --config=tsan //pool/...`.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "pgcpp/core/errors.h"
#include "pgcpp/pool/connection_pool.h"
#include "pgcpp/pool/errors.h"
#include "pgcpp/pool/null_connection_pool.h"
#include "pgcpp/pool/pool_test_util.h"
#include "pgcpp/testing/database.h"

namespace pgcpp {
namespace {

using ::pgcpp::pool_testing::execute;
using ::pgcpp::pool_testing::query_value;
using std::chrono::milliseconds;
using std::chrono::seconds;

class PoolStressTest : public pgcpp::testing::DatabaseTest {};

// Runs `work(thread, iteration)` on `threads` threads, `iterations` times each,
// while `maintain()` runs in a loop on another thread. Returns the number of
// iterations that ended in PoolTimeout; any other exception fails the test.
template <class Work, class Maintain>
int hammer(int threads, int iterations, Work work, Maintain maintain) {
  std::atomic<int> timeouts{0};
  std::atomic<int> unexpected{0};
  std::atomic<bool> done{false};
  std::thread maintainer([&] {
    for (int round = 0; !done; ++round) {
      maintain(round);
      std::this_thread::sleep_for(milliseconds(5));
    }
  });
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < iterations; ++i) {
        try {
          work(t, i);
        } catch (const PoolTimeout&) {
          ++timeouts;
        } catch (const std::exception& e) {
          ADD_FAILURE() << "thread " << t << " iteration " << i << ": " << e.what();
          ++unexpected;
        }
      }
    });
  }
  for (std::thread& w : workers) w.join();
  done = true;
  maintainer.join();
  EXPECT_EQ(unexpected, 0);
  return timeouts;
}

TEST_F(PoolStressTest, SixtyFourThreadsShareEightConnections) {
  std::atomic<int> acquired{0};
  std::atomic<int> released{0};
  std::atomic<int> resets{0};
  ConnectionPool pool(dsn(), {.min_size = 2,
                              .max_size = 8,
                              .timeout = seconds(20),
                              .max_lifetime = milliseconds(400),
                              .max_idle = milliseconds(100),
                              .reset = [&](Connection&) { ++resets; },
                              .check_lifetime_on_getconn = true,
                              .check_after_idle = milliseconds(50),
                              .on_acquire = [&](Connection&) { ++acquired; },
                              .on_release = [&](Connection&) { ++released; }});
  const int timeouts = hammer(
      64, 60,
      [&](int t, int i) {
        switch ((t + i) % 6) {
          case 0: {
            PooledConnection conn = pool.connection();
            EXPECT_EQ(query_value(*conn, "SELECT 1"), "1");
            break;
          }
          case 1:
            try {
              PooledConnection conn = pool.connection();
              execute(*conn, "SELECT 1");
              throw std::runtime_error("roll back");
            } catch (const std::runtime_error&) {
            }
            break;
          case 2: {
            Connection conn = pool.getconn();
            pool.putconn(std::move(conn));
            break;
          }
          case 3: {
            Connection conn = pool.getconn();
            execute(conn, "SELECT 1");  // left in a transaction: rolled back on return
            pool.putconn(std::move(conn));
            break;
          }
          case 4: {
            Connection conn = pool.getconn(milliseconds(1));  // may time out
            pool.putconn(std::move(conn));
            break;
          }
          default:
            if (t % 16 == 0 && i < 6) {
              Connection lost = pool.getconn();  // never returned: reclaimed by the pool
            } else {
              pool.connection([](Connection&) {});
            }
        }
      },
      [&](int round) {
        PoolStats stats = round % 10 == 0 ? pool.pop_stats() : pool.get_stats();
        EXPECT_LE(stats["pool_size"], 10);
        if (round % 7 == 0) pool.check();
        if (round % 13 == 0) pool.drain();
        if (round % 11 == 0) pool.resize(round % 2 ? 3 : 2, round % 2 ? 10 : 8);
      });
  EXPECT_LT(timeouts, 64 * 60);
  EXPECT_EQ(acquired, released + 4);  // each hook once per checkout; 4 connections never returned
  EXPECT_GT(resets, 0);
  PoolStats stats = pool.get_stats();
  EXPECT_LE(stats["pool_size"], 10);
  pool.wait(seconds(20));
  EXPECT_EQ(stats["requests_waiting"], 0);
}

TEST_F(PoolStressTest, SixteenThreadsOnANullPool) {
  NullConnectionPool pool(dsn(), {.max_size = 4, .timeout = seconds(20)});
  hammer(
      16, 10,
      [&](int, int i) {
        if (i % 2) {
          pool.connection([](Connection& conn) { EXPECT_EQ(query_value(conn, "SELECT 1"), "1"); });
        } else {
          Connection conn = pool.getconn();
          pool.putconn(std::move(conn));
        }
      },
      [&](int round) {
        EXPECT_LE(pool.get_stats()["pool_size"], 4);
        if (round % 9 == 0) pool.resize(0, round % 2 ? 3 : 4);
      });
  EXPECT_EQ(pool.get_stats()["pool_size"], 0);
}

}  // namespace
}  // namespace pgcpp
