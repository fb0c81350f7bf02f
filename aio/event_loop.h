// EventLoop: a single-threaded epoll loop running Tasks and core's Operations.
//
//   pgcpp::EventLoop loop;
//   int n = loop.run([]() -> pgcpp::Task<int> {
//     pgcpp::AsyncConnection conn = co_await pgcpp::AsyncConnection::connect(dsn);
//     co_await pgcpp::EventLoop::current()->sleep(std::chrono::milliseconds(10));
//     co_return 1;
//   }());
//
// run(task) is asyncio.run: it drives `task` (and whatever was spawned) until
// `task` finishes, returning its value or rethrowing its exception. spawn()
// starts a Task<void> that runs concurrently; an exception escaping a spawned
// task stops run(), which rethrows it (the main task is then destroyed, and
// with it whatever it was waiting for). sleep(d) suspends the awaiting task for
// `d`. drive(op) runs a core Operation<T> (pgcpp/core/operation.h): each Wait
// it yields is registered with epoll (and its deadline as a timer), and the
// operation is resumed with the Ready it got, so many connections progress
// at once on one thread. A socket reporting only an error or hang-up raises
// OperationalError("connection socket closed") in the awaiting task, as
// pgcpp::poll_once does; readiness with a hang-up is passed on to libpq.
//
// Everything that waits is an awaiter living in the waiting coroutine's frame:
// destroying that frame (an abandoned Task) withdraws it from the loop.
//
// Thread safety: none. A loop, and the Tasks and connections it drives, are
// used by the thread that calls run() (EventLoop::current() on that thread).
#ifndef PGCPP_AIO_EVENT_LOOP_H_
#define PGCPP_AIO_EVENT_LOOP_H_

#include <chrono>
#include <coroutine>
#include <cstdint>
#include <exception>
#include <list>
#include <map>
#include <optional>
#include <utility>

#include "pgcpp/aio/task.h"
#include "pgcpp/core/operation.h"

namespace pgcpp {

class EventLoop;

namespace aio_internal {

// Something the loop resumes: it waits for an fd, a timer and/or its turn in
// the ready queue, and withdraws from all of them when destroyed.
class Waiter {
 public:
  explicit Waiter(EventLoop& loop) : loop_(&loop) {}
  Waiter(const Waiter&) = delete;
  Waiter& operator=(const Waiter&) = delete;
  virtual ~Waiter();

  // Called by the loop, from its own stack. `error`: the socket closed.
  virtual void on_ready(Ready ready, std::exception_ptr error) = 0;

  EventLoop& loop() const { return *loop_; }

 protected:
  // Waits for `wait.fd` (when >= 0) and `wait.deadline` (when set), replacing
  // what was waited for before. Raises OperationalError for a negative fd
  // when `fd_required`, or when epoll refuses the fd.
  void watch(const Wait& wait, bool fd_required);
  void watch_until(Clock::time_point deadline);
  // Stops waiting for the fd and the timer.
  void unwatch();
  // Queues this waiter to be resumed in the loop's next round.
  void schedule() { schedule(Ready::kNone, nullptr); }

 private:
  friend class pgcpp::EventLoop;
  void schedule(Ready ready, std::exception_ptr error);

  EventLoop* loop_;
  int fd_ = -1;  // registered with epoll
  WaitFor events_ = WaitFor::kRead;
  std::optional<std::multimap<Clock::time_point, Waiter*>::iterator> timer_;
  std::optional<std::list<Waiter*>::iterator> queued_;
  Ready ready_ = Ready::kNone;  // what it is queued with
  std::exception_ptr error_;
};

// co_await loop.sleep(d)
class SleepAwaiter : public Waiter {
 public:
  SleepAwaiter(EventLoop& loop, Clock::time_point until) : Waiter(loop), until_(until) {}
  bool await_ready() const { return Clock::now() >= until_; }
  void await_suspend(std::coroutine_handle<> task) {
    task_ = task;
    watch_until(until_);
  }
  void await_resume() const {}
  void on_ready(Ready, std::exception_ptr) override { task_.resume(); }

 private:
  Clock::time_point until_;
  std::coroutine_handle<> task_;
};

// co_await loop.drive(op): the event-loop driver of an Operation<T>.
template <class T>
class OperationAwaiter : public Waiter {
 public:
  OperationAwaiter(EventLoop& loop, Operation<T> op) : Waiter(loop), op_(std::move(op)) {}

  bool await_ready() {
    op_.resume(Ready::kNone);  // to the first wait, or the end
    return op_.done();
  }
  bool await_suspend(std::coroutine_handle<> task) {
    task_ = task;
    try {
      watch(op_.wait(), /*fd_required=*/true);
    } catch (...) {
      error_ = std::current_exception();
      return false;
    }
    return true;
  }
  T await_resume() {
    if (error_) std::rethrow_exception(error_);
    return op_.result();
  }

  // Abandons the operation while a task awaits it: the task resumes in the loop's next round
  // with `error`, and the operation ends when the awaiter is destroyed. A no-op once the
  // operation has ended or failed.
  void interrupt(std::exception_ptr error) {
    if (!task_ || error_ || op_.done()) return;
    error_ = std::move(error);
    unwatch();
    schedule();
  }

  void on_ready(Ready ready, std::exception_ptr error) override {
    if (error_) {
      // interrupt()ed: nothing more to drive.
    } else if (error) {
      error_ = std::move(error);
    } else {
      op_.resume(ready);
      if (!op_.done()) {
        try {
          watch(op_.wait(), /*fd_required=*/true);
          return;
        } catch (...) {
          error_ = std::current_exception();
        }
      }
    }
    unwatch();
    task_.resume();  // may destroy this awaiter: nothing after it
  }

 private:
  Operation<T> op_;
  std::coroutine_handle<> task_;
  std::exception_ptr error_;
};

}  // namespace aio_internal

class EventLoop {
 public:
  EventLoop();
  ~EventLoop();  // destroys unfinished spawned tasks
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // The loop whose run() is active on this thread; nullptr outside run().
  static EventLoop* current();

  // Runs the loop until `task` finishes: its value, or its exception. Not
  // re-entrant (ProgrammingError when called from inside run()).
  template <class T>
  T run(Task<T> task);

  // Starts `task` concurrently (in the loop's next round). The loop owns it;
  // tasks still unfinished when run() returns go on in the next run().
  void spawn(Task<void> task);
  // Spawned tasks that have not finished yet.
  size_t pending_tasks() const { return spawned_.size(); }

  // co_await loop.sleep(std::chrono::milliseconds(100));
  aio_internal::SleepAwaiter sleep(Clock::duration duration) {
    return aio_internal::SleepAwaiter(*this, Clock::now() + duration);
  }
  // T value = co_await loop.drive(operation);
  template <class T>
  aio_internal::OperationAwaiter<T> drive(Operation<T> operation) {
    return aio_internal::OperationAwaiter<T>(*this, std::move(operation));
  }

 private:
  friend class aio_internal::Waiter;
  static void on_spawned_done(void* self, std::coroutine_handle<> task);
  static void on_main_done(void* self, std::coroutine_handle<> task);
  // Runs rounds until the main task is done (or a spawned task failed).
  void run_loop();
  void run_round();
  // Starts newly spawned tasks and destroys finished ones.
  void start_spawned();
  void reap_finished();
  // Waits for epoll events and due timers (at most `timeout_ms`; -1: forever).
  void poll(int timeout_ms);
  int next_timeout_ms() const;

  int epoll_fd_ = -1;
  bool running_ = false;
  bool main_done_ = false;
  int registered_fds_ = 0;
  std::exception_ptr spawned_error_;
  std::multimap<Clock::time_point, aio_internal::Waiter*> timers_;
  std::list<aio_internal::Waiter*> ready_;
  std::list<Task<void>> spawned_;
  std::list<std::coroutine_handle<>> to_start_;
  std::list<std::coroutine_handle<>> finished_;
};

// RAII: marks `loop` as the current one while run() is active.
namespace aio_internal {
class CurrentLoop {
 public:
  explicit CurrentLoop(EventLoop* loop);
  ~CurrentLoop();
  CurrentLoop(const CurrentLoop&) = delete;
  CurrentLoop& operator=(const CurrentLoop&) = delete;

 private:
  EventLoop* previous_;
};
// The current loop, or ProgrammingError("<what> needs a running EventLoop").
EventLoop& running_loop(const char* what);
// ProgrammingError when run() is re-entered or given an empty task.
void check_can_run(bool running, bool task_valid);
}  // namespace aio_internal

template <class T>
T EventLoop::run(Task<T> task) {
  aio_internal::check_can_run(running_, task.valid());
  aio_internal::CurrentLoop current(this);
  running_ = true;
  main_done_ = false;
  struct Stop {
    EventLoop* loop;
    ~Stop() { loop->running_ = false; }
  } stop{this};
  task.handle().promise().set_on_done({&EventLoop::on_main_done, this});
  task.handle().resume();
  run_loop();
  return task.result();
}

}  // namespace pgcpp

#endif  // PGCPP_AIO_EVENT_LOOP_H_
