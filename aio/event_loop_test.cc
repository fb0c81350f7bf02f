#include "pgcpp/aio/event_loop.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "pgcpp/adapt/errors.h"
#include "pgcpp/aio/async_lock.h"
#include "pgcpp/aio/task.h"
#include "pgcpp/aio/when_all.h"

namespace pgcpp {
namespace {

using std::chrono::milliseconds;

Task<int> answer() { co_return 21; }

Task<int> twice() {
  int a = co_await answer();
  int b = co_await answer();
  co_return a + b;
}

TEST(TaskTest, AwaitsNestedTasksAndReturnsTheValue) {
  EventLoop loop;
  EXPECT_EQ(loop.run(twice()), 42);
}

Task<void> fail() {
  throw std::runtime_error("boom");
  co_return;
}

Task<std::string> catches() {
  try {
    co_await fail();
  } catch (const std::runtime_error& e) {
    co_return std::string("caught ") + e.what();
  }
  co_return "not caught";
}

TEST(TaskTest, ExceptionsPropagateToTheAwaiter) {
  EventLoop loop;
  EXPECT_EQ(loop.run(catches()), "caught boom");
  EXPECT_THROW(loop.run(fail()), std::runtime_error);
}

TEST(TaskTest, TasksStartOnlyWhenAwaited) {
  bool started = false;
  auto body = [&]() -> Task<void> {
    started = true;
    co_return;
  };
  Task<void> t = body();
  EXPECT_FALSE(started);
  EventLoop loop;
  loop.run(std::move(t));
  EXPECT_TRUE(started);
}

TEST(TaskTest, DestroyingAnUnstartedTaskIsSafe) {
  bool started = false;
  auto body = [&]() -> Task<void> {
    started = true;
    co_return;
  };
  { Task<void> t = body(); }
  EXPECT_FALSE(started);
}

TEST(TaskTest, ReferenceResults) {
  int x = 5;
  auto ref = [&]() -> Task<int&> { co_return x; };
  auto use = [&]() -> Task<void> {
    int& r = co_await ref();
    r = 7;
  };
  EventLoop loop;
  loop.run(use());
  EXPECT_EQ(x, 7);
}

TEST(EventLoopTest, SpawnedSleepersOverlap) {
  EventLoop loop;
  std::vector<int> order;
  auto sleeper = [&](int id, int ms) -> Task<void> {
    co_await loop.sleep(milliseconds(ms));
    order.push_back(id);
  };
  auto main = [&]() -> Task<void> {
    for (int i = 0; i < 20; ++i) loop.spawn(sleeper(i, 100));
    loop.spawn(sleeper(100, 10));
    co_await loop.sleep(milliseconds(300));
  };
  auto start = std::chrono::steady_clock::now();
  loop.run(main());
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(order.size(), 21u);
  EXPECT_EQ(order.front(), 100);  // the short sleep ended first
  // 20 sleeps of 100 ms in parallel, inside one 300 ms sleep: far from 2 s.
  EXPECT_LT(elapsed, milliseconds(1500));
  EXPECT_EQ(loop.pending_tasks(), 0u);
}

TEST(WhenAllTest, RunsTasksTogetherAndReturnsTheirValuesInOrder) {
  EventLoop loop;
  auto slow_value = [&](int value, int ms) -> Task<int> {
    co_await loop.sleep(milliseconds(ms));
    co_return value;
  };
  std::vector<Task<int>> tasks;
  for (int i = 0; i < 10; ++i) tasks.push_back(slow_value(i, 100 - 10 * i));
  auto start = std::chrono::steady_clock::now();
  std::vector<int> values = loop.run(when_all(std::move(tasks)));
  EXPECT_EQ(values, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(500));  // not 550 ms in turn
}

TEST(WhenAllTest, RaisesTheFirstFailureOnceAllHaveFinished) {
  EventLoop loop;
  bool slow_finished = false;
  auto slow = [&]() -> Task<void> {
    co_await loop.sleep(milliseconds(50));
    slow_finished = true;
  };
  std::vector<Task<void>> tasks;
  tasks.push_back(fail());
  tasks.push_back(slow());
  EXPECT_THROW(loop.run(when_all(std::move(tasks))), std::runtime_error);
  EXPECT_TRUE(slow_finished);
  EXPECT_TRUE(loop.run(when_all(std::vector<Task<int>>())).empty());
}

TEST(EventLoopTest, AnExceptionInASpawnedTaskStopsRun) {
  EventLoop loop;
  auto main = [&]() -> Task<void> {
    loop.spawn(fail());
    co_await loop.sleep(std::chrono::seconds(30));
  };
  EXPECT_THROW(loop.run(main()), std::runtime_error);
}

TEST(EventLoopTest, WaitingForNothingRaisesInsteadOfHanging) {
  EventLoop loop;
  AsyncLock lock;
  auto main = [&]() -> Task<void> {
    AsyncLock::Guard held = co_await lock.lock();
    AsyncLock::Guard again = co_await lock.lock();  // nobody will ever release it
  };
  EXPECT_THROW(loop.run(main()), ProgrammingError);
}

TEST(EventLoopTest, RunIsNotReentrant) {
  EventLoop loop;
  auto inner = []() -> Task<void> { co_return; };
  auto main = [&]() -> Task<void> {
    loop.run(inner());
    co_return;
  };
  EXPECT_THROW(loop.run(main()), ProgrammingError);
}

TEST(AsyncLockTest, SerialisesTasksInArrivalOrder) {
  EventLoop loop;
  AsyncLock lock;
  std::vector<std::string> log;
  auto worker = [&](std::string name) -> Task<void> {
    AsyncLock::Guard guard = co_await lock.lock();
    log.push_back(name + " in");
    co_await loop.sleep(milliseconds(20));
    log.push_back(name + " out");
  };
  auto main = [&]() -> Task<void> {
    loop.spawn(worker("a"));
    loop.spawn(worker("b"));
    loop.spawn(worker("c"));
    co_await loop.sleep(milliseconds(200));
  };
  loop.run(main());
  EXPECT_EQ(log, (std::vector<std::string>{"a in", "a out", "b in", "b out", "c in", "c out"}));
  EXPECT_FALSE(lock.locked());
}

TEST(AsyncLockTest, AbandonedWaitersLeaveTheQueueOrPassTheLockOn) {
  AsyncLock lock;
  bool waiter_ran = false;
  auto waiter = [&]() -> Task<void> {
    AsyncLock::Guard g = co_await lock.lock();
    waiter_ran = true;
  };
  std::optional<AsyncLock::Guard> kept;
  {
    EventLoop loop;
    auto main = [&]() -> Task<void> {
      kept.emplace(co_await lock.lock());
      loop.spawn(waiter());
      co_await loop.sleep(milliseconds(1));
    };
    loop.run(main());
    EXPECT_EQ(lock.waiting(), 1u);
  }  // the waiting task is destroyed with its loop
  EXPECT_EQ(lock.waiting(), 0u);
  kept.reset();
  EXPECT_FALSE(lock.locked());
  {
    EventLoop loop;
    auto main = [&]() -> Task<void> {
      AsyncLock::Guard guard = co_await lock.lock();
      loop.spawn(waiter());
      co_await loop.sleep(milliseconds(1));
    };  // unlocking hands the lock to the waiter, which never gets to run
    loop.run(main());
    EXPECT_TRUE(lock.locked());
  }
  EXPECT_FALSE(waiter_ran);
  EXPECT_FALSE(lock.locked());  // passed on by the destroyed waiter
}

// Drives an Operation that waits for a socket to become readable.
Operation<std::string> read_line(int fd) {
  std::string out;
  for (;;) {
    Ready r = co_yield Wait{fd, WaitFor::kRead};
    if (!readable(r)) continue;
    char buf[64];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) co_return out;
    out.append(buf, static_cast<size_t>(n));
    if (out.back() == '\n') co_return out;
  }
}

TEST(EventLoopTest, DrivesOperationsOnSockets) {
  int sv[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  EventLoop loop;
  auto writer = [&]() -> Task<void> {
    co_await loop.sleep(milliseconds(20));
    EXPECT_EQ(::write(sv[1], "hello\n", 6), 6);
  };
  auto main = [&]() -> Task<std::string> {
    loop.spawn(writer());
    co_return co_await loop.drive(read_line(sv[0]));
  };
  EXPECT_EQ(loop.run(main()), "hello\n");
  ::close(sv[0]);
  ::close(sv[1]);
}

TEST(EventLoopTest, ANegativeFdIsAClosedSocket) {
  EventLoop loop;
  auto main = [&]() -> Task<std::string> { co_return co_await loop.drive(read_line(-1)); };
  try {
    loop.run(main());
    FAIL() << "no exception";
  } catch (const OperationalError& e) {
    EXPECT_STREQ(e.what(), "connection socket closed");
  }
}

TEST(EventLoopTest, APeerHangUpReadsAsReadableLikePollOnce) {
  int sv[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  EventLoop loop;
  auto closer = [&]() -> Task<void> {
    co_await loop.sleep(milliseconds(10));
    ::close(sv[1]);
  };
  auto main = [&]() -> Task<std::string> {
    loop.spawn(closer());
    co_return co_await loop.drive(read_line(sv[0]));  // read() then sees the end of stream
  };
  EXPECT_EQ(loop.run(main()), "");
  ::close(sv[0]);
}

TEST(EventLoopTest, OperationDeadlinesResumeWithNone) {
  int sv[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  auto op = [](int fd) -> Operation<int> {
    int nones = 0;
    auto deadline = Clock::now() + milliseconds(30);
    while (Clock::now() < deadline) {
      Ready r = co_yield Wait{fd, WaitFor::kRead, deadline};
      if (r == Ready::kNone) ++nones;
    }
    co_return nones;
  };
  EventLoop loop;
  auto main = [&]() -> Task<int> { co_return co_await loop.drive(op(sv[0])); };
  EXPECT_GE(loop.run(main()), 1);
  ::close(sv[0]);
  ::close(sv[1]);
}

}  // namespace
}  // namespace pgcpp
