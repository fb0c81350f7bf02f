#include "pgcpp/core/connection_lock.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <mutex>
#include <thread>

#include "pgcpp/adapt/errors.h"

namespace pgcpp {
namespace {

TEST(ConnectionLockTest, TheHoldingThreadIsRefusedInsteadOfDeadlocking) {
  ConnectionLock lock;
  std::lock_guard<ConnectionLock> guard(lock);
  EXPECT_TRUE(lock.held_by_this_thread());
  EXPECT_THROW(lock.lock(), ProgrammingError);
  EXPECT_THROW((void)lock.try_lock(), ProgrammingError);
}

TEST(ConnectionLockTest, OtherThreadsWaitAsWithAMutex) {
  ConnectionLock lock;
  lock.lock();
  bool acquired = false;
  std::promise<void> tried;
  std::thread other([&] {
    EXPECT_FALSE(lock.held_by_this_thread());
    EXPECT_FALSE(lock.try_lock());  // held by the main thread until `tried` is set
    tried.set_value();
    std::lock_guard<ConnectionLock> guard(lock);  // waits for the unlock below
    acquired = true;
  });
  tried.get_future().wait();
  lock.unlock();
  other.join();
  EXPECT_TRUE(acquired);
  EXPECT_FALSE(lock.held_by_this_thread());
}

TEST(ConnectionLockTest, WaitersCountsTheThreadsBlockedInLock) {
  ConnectionLock lock;
  EXPECT_EQ(lock.waiters(), 0);
  lock.lock();
  std::thread other([&] { std::lock_guard<ConnectionLock> guard(lock); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (lock.waiters() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(lock.waiters(), 1);
  lock.unlock();
  other.join();
  EXPECT_EQ(lock.waiters(), 0);
}

}  // namespace
}  // namespace pgcpp
