#include "pgcpp/pool/workers.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

namespace pgcpp::pool_internal {
namespace {

using std::chrono::milliseconds;

// A task that counts its destructions (to see dropped tasks) and carries an id.
struct Task {
  int id = 0;
  std::shared_ptr<std::atomic<int>> destroyed;
  Task(int id, std::shared_ptr<std::atomic<int>> destroyed)
      : id(id), destroyed(std::move(destroyed)) {}
  Task(Task&& other) noexcept : id(other.id), destroyed(std::move(other.destroyed)) {}
  Task& operator=(Task&& other) noexcept {
    if (destroyed) ++*destroyed;
    id = other.id;
    destroyed = std::move(other.destroyed);
    return *this;
  }
  ~Task() {
    if (destroyed) ++*destroyed;
  }
};

// Records handled ids; wait_for(n) blocks until n were handled.
class Recorder {
 public:
  void add(int id) {
    std::lock_guard<std::mutex> lock(mu_);
    ids_.push_back(id);
    cv_.notify_all();
  }
  bool wait_for(std::size_t n, Clock::duration timeout = std::chrono::seconds(10)) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return ids_.size() >= n; });
  }
  std::vector<int> ids() {
    std::lock_guard<std::mutex> lock(mu_);
    return ids_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<int> ids_;
};

TEST(WorkersTest, EveryTaskRunsOnceAcrossWorkers) {
  Recorder recorder;
  std::mutex mu;
  std::set<std::thread::id> threads;
  Workers<Task> workers([&](Task task) {
    {
      std::lock_guard<std::mutex> lock(mu);
      threads.insert(std::this_thread::get_id());
    }
    std::this_thread::sleep_for(milliseconds(2));
    recorder.add(task.id);
  });
  workers.start(3);
  for (int i = 0; i < 60; ++i) workers.run(Task(i, nullptr));
  ASSERT_TRUE(recorder.wait_for(60));
  std::vector<int> ids = recorder.ids();
  EXPECT_EQ(std::set<int>(ids.begin(), ids.end()).size(), 60u);
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_GT(threads.size(), 1u);
}

TEST(WorkersTest, ScheduledTasksRunAfterTheirDelayInTimeOrder) {
  Recorder recorder;
  std::vector<Clock::time_point> when;
  Workers<Task> workers([&](Task task) { recorder.add(task.id); });
  workers.start(1);
  const Clock::time_point t0 = Clock::now();
  workers.schedule(milliseconds(300), Task(3, nullptr));
  workers.schedule(milliseconds(100), Task(1, nullptr));
  workers.schedule(milliseconds(200), Task(2, nullptr));
  workers.schedule(milliseconds(200), Task(22, nullptr));  // same time: FIFO
  ASSERT_TRUE(recorder.wait_for(1));
  EXPECT_GE(Clock::now() - t0, milliseconds(100));
  ASSERT_TRUE(recorder.wait_for(4));
  EXPECT_GE(Clock::now() - t0, milliseconds(300));
  EXPECT_EQ(recorder.ids(), (std::vector<int>{1, 2, 22, 3}));
}

TEST(WorkersTest, AThrowingTaskDoesNotStopItsWorker) {
  Recorder recorder;
  Workers<Task> workers([&](Task task) {
    recorder.add(task.id);
    throw std::runtime_error("task failed");
  });
  workers.start(1);
  workers.run(Task(1, nullptr));
  workers.run(Task(2, nullptr));
  EXPECT_TRUE(recorder.wait_for(2));
}

TEST(WorkersTest, StopDropsPendingTasksAndWaitsForTheRunningOne) {
  auto destroyed = std::make_shared<std::atomic<int>>(0);
  std::atomic<bool> release{false};
  Recorder started;
  Workers<Task> workers([&](Task task) {
    started.add(task.id);
    while (!release) std::this_thread::sleep_for(milliseconds(1));
  });
  workers.start(1);
  workers.run(Task(1, destroyed));
  ASSERT_TRUE(started.wait_for(1));
  workers.run(Task(2, destroyed));
  workers.schedule(std::chrono::hours(1), Task(3, destroyed));
  // The running task holds its worker: stop() times out, having dropped tasks 2 and 3.
  EXPECT_FALSE(workers.stop(milliseconds(50)));
  EXPECT_EQ(*destroyed, 2);
  workers.run(Task(4, destroyed));  // dropped: stopping
  EXPECT_EQ(*destroyed, 3);
  release = true;
  EXPECT_TRUE(workers.stop(std::chrono::seconds(10)));
  EXPECT_EQ(started.ids(), std::vector<int>{1});
  EXPECT_EQ(*destroyed, 4);
}

TEST(WorkersTest, StopBeforeStartAndDestructionWithoutStop) {
  {
    Workers<Task> workers([](Task) {});
    EXPECT_TRUE(workers.stop(milliseconds(0)));
  }
  Recorder recorder;
  {
    Workers<Task> workers([&](Task task) { recorder.add(task.id); });
    workers.start(2);
    workers.run(Task(1, nullptr));
    ASSERT_TRUE(recorder.wait_for(1));
  }  // joins
  EXPECT_EQ(recorder.ids(), std::vector<int>{1});
}

}  // namespace
}  // namespace pgcpp::pool_internal
