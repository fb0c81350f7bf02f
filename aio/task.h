// Task<T>: a lazily started coroutine, the unit of work of //aio.
//
//   pgcpp::Task<int> answer() { co_return 42; }
//   pgcpp::Task<int> twice() {
//     int a = co_await answer();           // starts answer() and waits for it
//     co_return 2 * a;
//   }
//   int four_two = loop.run(twice());      // pgcpp/aio/event_loop.h
//
// A Task does nothing until it is awaited (`co_await task` from another Task,
// or EventLoop::run / EventLoop::spawn); it then runs until its first
// suspension, and the awaiting coroutine resumes when it finishes, receiving
// its value or its exception. A Task is move-only and awaited once.
// Destroying a Task that has not started or not finished destroys its frame
// and the frames it awaits (whatever they wait for is withdrawn from the
// loop by the awaiters' destructors), so abandoning work is safe.
//
// Coroutine parameters: a Task starts later than it is made, so a coroutine
// taking references (`Task<void> f(const std::string& s)`) must be awaited
// while the referenced objects live; take parameters by value when in doubt.
// T may be a reference (Task<Cursor&>) or void.
//
// GCC 12 bugs: the temporaries of a co_await full-expression are destroyed
// twice when it throws after suspending, and a temporary built with a
// conditional expression (`c ? a : b`) there may be destroyed without having
// been built. Pass awaited calls named variables rather than temporaries that
// own memory (strings, options structs):
//   const pgcpp::ConnectOptions options{.dbname = name};   // not {.dbname = name} inline
//   co_await pgcpp::AsyncConnection::connect(dsn, options);
#ifndef PGCPP_AIO_TASK_H_
#define PGCPP_AIO_TASK_H_

#include <coroutine>
#include <exception>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace pgcpp {

template <class T = void>
class Task;

namespace aio_internal {

// Called when a task nobody awaits finishes (EventLoop::run / spawn set it).
struct DoneCallback {
  void (*fn)(void* arg, std::coroutine_handle<> task) = nullptr;
  void* arg = nullptr;
};

class TaskPromiseBase {
 public:
  std::suspend_always initial_suspend() noexcept { return {}; }

  struct FinalAwaiter {
    bool await_ready() noexcept { return false; }
    template <class Promise>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> self) noexcept {
      TaskPromiseBase& p = self.promise();
      if (p.continuation_) return p.continuation_;
      if (p.on_done_.fn) p.on_done_.fn(p.on_done_.arg, self);
      return std::noop_coroutine();
    }
    void await_resume() noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return {}; }

  void unhandled_exception() noexcept { exception_ = std::current_exception(); }

  void set_continuation(std::coroutine_handle<> h) { continuation_ = h; }
  void set_on_done(DoneCallback cb) { on_done_ = cb; }
  const std::exception_ptr& exception() const { return exception_; }

 protected:
  void rethrow_if_failed() {
    if (exception_) std::rethrow_exception(std::exchange(exception_, nullptr));
  }

 private:
  std::coroutine_handle<> continuation_;
  DoneCallback on_done_;
  std::exception_ptr exception_;
};

template <class T>
class TaskPromise : public TaskPromiseBase {
  // References are kept as pointers.
  using Stored = std::conditional_t<std::is_reference_v<T>, std::remove_reference_t<T>*, T>;

 public:
  Task<T> get_return_object() noexcept;
  template <class U>
  void return_value(U&& value) {
    if constexpr (std::is_reference_v<T>) {
      value_ = std::addressof(value);
    } else {
      value_.emplace(std::forward<U>(value));
    }
  }
  T take_result() {
    rethrow_if_failed();
    if constexpr (std::is_reference_v<T>) {
      return static_cast<T>(**value_);
    } else {
      return std::move(*value_);
    }
  }

 private:
  std::optional<Stored> value_;
};

template <>
class TaskPromise<void> : public TaskPromiseBase {
 public:
  Task<void> get_return_object() noexcept;
  void return_void() noexcept {}
  void take_result() { rethrow_if_failed(); }
};

}  // namespace aio_internal

template <class T>
class [[nodiscard]] Task {
 public:
  using promise_type = aio_internal::TaskPromise<T>;
  using Handle = std::coroutine_handle<promise_type>;

  Task() = default;  // an empty task: valid() is false
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      reset();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() { reset(); }

  bool valid() const { return static_cast<bool>(handle_); }
  bool done() const { return handle_ && handle_.done(); }

  struct Awaiter {
    Handle task;
    bool await_ready() noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
      task.promise().set_continuation(awaiting);
      return task;  // start it; `awaiting` resumes when it ends
    }
    T await_resume() { return task.promise().take_result(); }
  };
  Awaiter operator co_await() && noexcept { return Awaiter{handle_}; }

  // --- For drivers (EventLoop) ---
  Handle handle() const { return handle_; }
  // The value or exception of a finished task (once).
  T result() { return handle_.promise().take_result(); }

 private:
  friend class aio_internal::TaskPromise<T>;
  explicit Task(Handle handle) noexcept : handle_(handle) {}
  void reset() {
    if (handle_) std::exchange(handle_, {}).destroy();
  }

  Handle handle_;
};

namespace aio_internal {
template <class T>
Task<T> TaskPromise<T>::get_return_object() noexcept {
  return Task<T>(Task<T>::Handle::from_promise(*this));
}
inline Task<void> TaskPromise<void>::get_return_object() noexcept {
  return Task<void>(Task<void>::Handle::from_promise(*this));
}
}  // namespace aio_internal

}  // namespace pgcpp

#endif  // PGCPP_AIO_TASK_H_
