// when_all: runs Tasks concurrently and waits for all of them (asyncio.gather).
//
//   std::vector<pgcpp::Task<int>> tasks;
//   for (auto& conn : conns) tasks.push_back(count_rows(conn));
//   std::vector<int> counts = co_await pgcpp::when_all(std::move(tasks));
//
// The tasks start at once, in order, and progress together on the running
// EventLoop; when_all returns when every one has finished: their values in
// the tasks' order, or, when some failed, the first failure's exception
// (raised only once all have finished, so none is left running). Destroying
// an unfinished when_all destroys its tasks.
#ifndef PGCPP_AIO_WHEN_ALL_H_
#define PGCPP_AIO_WHEN_ALL_H_

#include <coroutine>
#include <cstddef>
#include <exception>
#include <optional>
#include <utility>
#include <vector>

#include "pgcpp/aio/event_loop.h"
#include "pgcpp/aio/task.h"

namespace pgcpp {

namespace aio_internal {

// A countdown a task waits on until it reaches zero.
class Countdown : public Waiter {
 public:
  Countdown(EventLoop& loop, size_t count) : Waiter(loop), remaining_(count) {}
  void count_down() {
    if (--remaining_ == 0 && task_) schedule();
  }
  bool await_ready() const { return remaining_ == 0; }
  void await_suspend(std::coroutine_handle<> task) { task_ = task; }
  void await_resume() const {}
  void on_ready(Ready, std::exception_ptr) override { task_.resume(); }

 private:
  size_t remaining_;
  std::coroutine_handle<> task_;
};

template <class T>
Task<void> run_counted(Task<T> task, std::optional<T>* value, std::exception_ptr* first_error,
                       Countdown* countdown) {
  try {
    value->emplace(co_await std::move(task));
  } catch (...) {
    if (!*first_error) *first_error = std::current_exception();
  }
  countdown->count_down();
}

inline Task<void> run_counted(Task<void> task, std::exception_ptr* first_error,
                              Countdown* countdown) {
  try {
    co_await std::move(task);
  } catch (...) {
    if (!*first_error) *first_error = std::current_exception();
  }
  countdown->count_down();
}

}  // namespace aio_internal

template <class T>
Task<std::vector<T>> when_all(std::vector<Task<T>> tasks) {
  aio_internal::Countdown countdown(aio_internal::running_loop("when_all()"), tasks.size());
  std::exception_ptr first_error;
  std::vector<std::optional<T>> values(tasks.size());
  std::vector<Task<void>> runners;
  runners.reserve(tasks.size());
  for (size_t i = 0; i < tasks.size(); ++i) {
    runners.push_back(
        aio_internal::run_counted(std::move(tasks[i]), &values[i], &first_error, &countdown));
  }
  for (Task<void>& runner : runners) runner.handle().resume();
  co_await countdown;
  if (first_error) std::rethrow_exception(first_error);
  std::vector<T> out;
  out.reserve(values.size());
  for (std::optional<T>& value : values) out.push_back(std::move(*value));
  co_return out;
}

inline Task<void> when_all(std::vector<Task<void>> tasks) {
  aio_internal::Countdown countdown(aio_internal::running_loop("when_all()"), tasks.size());
  std::exception_ptr first_error;
  std::vector<Task<void>> runners;
  runners.reserve(tasks.size());
  for (Task<void>& task : tasks) {
    runners.push_back(aio_internal::run_counted(std::move(task), &first_error, &countdown));
  }
  for (Task<void>& runner : runners) runner.handle().resume();
  co_await countdown;
  if (first_error) std::rethrow_exception(first_error);
}

}  // namespace pgcpp

#endif  // PGCPP_AIO_WHEN_ALL_H_
