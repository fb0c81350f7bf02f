#include "pgcpp/core/operation.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "pgcpp/adapt/errors.h"
#include "pgcpp/core/waiting.h"

namespace pgcpp {
namespace {

struct Pipe {
  int read_fd = -1, write_fd = -1;
  Pipe() {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe");
    read_fd = fds[0];
    write_fd = fds[1];
  }
  ~Pipe() {
    close_write();
    if (read_fd >= 0) ::close(read_fd);
  }
  void put(char c) { ASSERT_EQ(::write(write_fd, &c, 1), 1); }
  char take() {
    char c = 0;
    EXPECT_EQ(::read(read_fd, &c, 1), 1);
    return c;
  }
  void close_write() {
    if (write_fd >= 0) ::close(std::exchange(write_fd, -1));
  }
};

// Reads one byte from `p` once it is readable: a stand-in for "wait for the server".
Operation<char> read_byte(Pipe& p) {
  Ready ready = co_yield Wait{p.read_fd, WaitFor::kRead};
  while (!readable(ready)) ready = co_yield Wait{p.read_fd, WaitFor::kRead};
  co_return p.take();
}

Operation<std::string> read_two(Pipe& p) {
  std::string s;
  s += co_await read_byte(p);
  s += co_await read_byte(p);
  co_return s;
}

TEST(Operation, ReturnsWithoutWaiting) {
  auto op = []() -> Operation<int> { co_return 42; }();
  op.resume(Ready::kNone);
  ASSERT_TRUE(op.done());
  EXPECT_EQ(op.result(), 42);
}

TEST(Operation, YieldsTheWaitOfTheInnermostOperation) {
  Pipe p;
  Operation<std::string> op = read_two(p);
  op.resume(Ready::kNone);
  ASSERT_FALSE(op.done());
  EXPECT_EQ(op.wait().fd, p.read_fd);
  EXPECT_EQ(op.wait().events, WaitFor::kRead);
  op.resume(Ready::kNone);  // nothing ready: the inner operation asks again
  ASSERT_FALSE(op.done());
  p.put('a');
  op.resume(Ready::kRead);
  ASSERT_FALSE(op.done());  // now inside the second read_byte
  p.put('b');
  op.resume(Ready::kRead);
  ASSERT_TRUE(op.done());
  EXPECT_EQ(op.result(), "ab");
}

TEST(Operation, SyncDriverRunsItToTheEnd) {
  Pipe p;
  p.put('x');
  p.put('y');
  EXPECT_EQ(wait(read_two(p)), "xy");
}

Operation<int> failing_inner() {
  co_await []() -> Operation<void> { co_return; }();
  throw DataError("inner failed");
  co_return 0;
}

Operation<int> outer_of_failing() {
  int v = co_await failing_inner();
  co_return v + 1;
}

TEST(Operation, InnerExceptionReachesTheDriver) {
  try {
    wait(outer_of_failing());
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_STREQ(e.what(), "inner failed");
  }
}

TEST(Operation, OuterCanCatchInnerException) {
  auto op = []() -> Operation<std::string> {
    try {
      co_await failing_inner();
    } catch (const DataError& e) {
      co_return std::string("caught: ") + e.what();
    }
    co_return "not caught";
  }();
  EXPECT_EQ(wait(std::move(op)), "caught: inner failed");
}

struct Tracker {
  int* destroyed;
  ~Tracker() { ++*destroyed; }
};

TEST(Operation, AbandoningDestroysEveryFrame) {
  int destroyed = 0;
  Pipe p;
  {
    auto inner = [](Pipe& pipe, int* count) -> Operation<char> {
      Tracker t{count};
      co_return co_await read_byte(pipe);
    };
    auto outer = [&](Pipe& pipe, int* count) -> Operation<char> {
      Tracker t{count};
      co_return co_await inner(pipe, count);
    };
    Operation<char> op = outer(p, &destroyed);
    op.resume(Ready::kNone);
    ASSERT_FALSE(op.done());
    EXPECT_EQ(destroyed, 0);
  }
  EXPECT_EQ(destroyed, 2);
}

TEST(Operation, MovedOperationKeepsRunning) {
  Pipe p;
  Operation<std::string> first = read_two(p);
  first.resume(Ready::kNone);
  Operation<std::string> second = std::move(first);
  p.put('1');
  p.put('2');
  second.resume(Ready::kRead);
  second.resume(Ready::kRead);
  ASSERT_TRUE(second.done());
  EXPECT_EQ(second.result(), "12");
}

TEST(Operation, TwoOperationsInterleaveOnOneThread) {
  // A hand-written event loop: each operation runs only when its fd is ready,
  // so the second finishes first although it started second.
  Pipe a, b;
  std::vector<std::string> finished;
  Operation<std::string> op_a = read_two(a);
  Operation<std::string> op_b = read_two(b);
  op_a.resume(Ready::kNone);
  op_b.resume(Ready::kNone);
  b.put('1');
  a.put('x');
  b.put('2');
  while (finished.size() < 2) {
    if (finished.size() == 1) a.put('y');
    pollfd fds[2] = {{op_a.done() ? -1 : op_a.wait().fd, POLLIN, 0},
                     {op_b.done() ? -1 : op_b.wait().fd, POLLIN, 0}};
    ASSERT_GT(::poll(fds, 2, 5000), 0);
    if (fds[1].revents & POLLIN) {
      op_b.resume(Ready::kRead);
      if (op_b.done()) finished.push_back(op_b.result());
    }
    if (fds[0].revents & POLLIN) {
      op_a.resume(Ready::kRead);
      if (op_a.done()) finished.push_back(op_a.result());
    }
  }
  EXPECT_EQ(finished, (std::vector<std::string>{"12", "xy"}));
}

TEST(PollOnce, DeadlineInThePastReturnsNone) {
  Pipe p;
  EXPECT_EQ(poll_once(Wait{p.read_fd, WaitFor::kRead, Clock::now()}), Ready::kNone);
}

TEST(PollOnce, WritableAndReadable) {
  Pipe p;
  EXPECT_EQ(poll_once(Wait{p.write_fd, WaitFor::kWrite}), Ready::kWrite);
  p.put('z');
  EXPECT_EQ(poll_once(Wait{p.read_fd, WaitFor::kRead}), Ready::kRead);
}

TEST(PollOnce, HangUpIsReadableSoLibpqSeesEndOfStream) {
  Pipe p;
  p.close_write();
  EXPECT_EQ(poll_once(Wait{p.read_fd, WaitFor::kRead}), Ready::kRead);
}

TEST(PollOnce, ClosedSocketRaises) {
  EXPECT_THROW(poll_once(Wait{-1, WaitFor::kRead}), OperationalError);
}

}  // namespace
}  // namespace pgcpp
