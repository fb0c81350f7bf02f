// Operation<T>: a non-blocking protocol step, written once and driven by anyone.
//
// Every libpq interaction that could block (connecting, flushing, waiting for
// results, cancelling) is a C++20 coroutine returning Operation<T>. Instead of
// blocking, it yields a Wait, "resume me when `fd` is readable/writable, or at
// `deadline`", and the driver resumes it with what became ready. The sync API
// drives operations with poll() (pgcpp/core/waiting.h); //aio drives the very
// same objects from an event loop. This is psycopg's generators.py / waiting.py
// split, as coroutines.
//
//   Operation<PGresultPtr> fetch(PGconn* conn) {
//     while (PQisBusy(conn)) {
//       co_yield Wait{PQsocket(conn), WaitFor::kRead};
//       PQconsumeInput(conn);
//     }
//     co_return PGresultPtr(PQgetResult(conn));
//   }
//
// Operations compose: `T value = co_await other_operation(...);` runs the inner
// operation, passing its waits through to the driver, and returns its result
// (or rethrows its exception). Driving one by hand:
//
//   Operation<int> op = make_op();
//   op.resume(Ready::kNone);              // run to the first wait (or the end)
//   while (!op.done()) op.resume(poll_for(op.wait()));
//   int result = op.result();
//
// An Operation is move-only; destroying an unfinished one abandons it (its
// frames and the frames of the operations it awaits are destroyed).
#ifndef PGCPP_CORE_OPERATION_H_
#define PGCPP_CORE_OPERATION_H_

#include <chrono>
#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

namespace pgcpp {

enum class WaitFor : int { kRead = 1, kWrite = 2, kReadWrite = 3 };

// What the driver saw. kNone: the deadline passed with the fd not ready.
enum class Ready : int { kNone = 0, kRead = 1, kWrite = 2, kReadWrite = 3 };

inline bool readable(Ready r) { return (static_cast<int>(r) & 1) != 0; }
inline bool writable(Ready r) { return (static_cast<int>(r) & 2) != 0; }

using Clock = std::chrono::steady_clock;

struct Wait {
  Wait() = default;
  Wait(int fd, WaitFor events, std::optional<Clock::time_point> deadline = std::nullopt)
      : fd(fd), events(events), deadline(deadline) {}

  int fd = -1;
  WaitFor events = WaitFor::kRead;
  std::optional<Clock::time_point> deadline;  // none: wait as long as it takes
};

template <class T>
class Operation;

namespace internal {

// State shared by every frame of one operation tree: which frame runs next and
// what the driver is asked for / answered.
struct OperationRoot {
  std::coroutine_handle<> leaf;
  Wait wait;
  Ready ready = Ready::kNone;
};

class OperationPromiseBase {
 public:
  std::suspend_always initial_suspend() noexcept { return {}; }

  struct FinalAwaiter {
    bool await_ready() noexcept { return false; }
    template <class Promise>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> self) noexcept {
      OperationPromiseBase& p = self.promise();
      if (p.parent_) {
        p.root_->leaf = p.parent_;
        return p.parent_;  // the awaiting operation continues
      }
      return std::noop_coroutine();  // the root finished: back to the driver
    }
    void await_resume() noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return {}; }

  void unhandled_exception() noexcept { exception_ = std::current_exception(); }

  struct YieldAwaiter {
    OperationRoot* root;
    bool await_ready() noexcept { return false; }
    void await_suspend(std::coroutine_handle<>) noexcept {}
    Ready await_resume() noexcept { return root->ready; }
  };
  // `Ready r = co_yield Wait{...};`
  YieldAwaiter yield_value(const Wait& wait) noexcept {
    root_->wait = wait;
    return YieldAwaiter{root_};
  }

 protected:
  void rethrow_if_failed() {
    if (exception_) std::rethrow_exception(std::exchange(exception_, nullptr));
  }

 private:
  template <class>
  friend class pgcpp::Operation;

  OperationRoot own_root_;
  OperationRoot* root_ = &own_root_;
  std::coroutine_handle<> parent_;
  std::exception_ptr exception_;
};

template <class T>
class OperationPromise : public OperationPromiseBase {
 public:
  Operation<T> get_return_object() noexcept;
  template <class U>
  void return_value(U&& value) {
    value_.emplace(std::forward<U>(value));
  }
  T take_result() {
    rethrow_if_failed();
    return std::move(*value_);
  }

 private:
  std::optional<T> value_;
};

template <>
class OperationPromise<void> : public OperationPromiseBase {
 public:
  Operation<void> get_return_object() noexcept;
  void return_void() noexcept {}
  void take_result() { rethrow_if_failed(); }
};

}  // namespace internal

template <class T>
class [[nodiscard]] Operation {
 public:
  using promise_type = internal::OperationPromise<T>;
  using Handle = std::coroutine_handle<promise_type>;

  Operation(Operation&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Operation& operator=(Operation&& other) noexcept {
    if (this != &other) {
      reset();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  Operation(const Operation&) = delete;
  Operation& operator=(const Operation&) = delete;
  ~Operation() { reset(); }

  // Driver interface (for the outermost operation).
  bool done() const { return handle_.done(); }
  const Wait& wait() const { return handle_.promise().root_->wait; }
  void resume(Ready ready) {
    internal::OperationRoot* root = handle_.promise().root_;
    root->ready = ready;
    root->leaf.resume();
  }
  // The returned value, or the exception the operation ended with. Once, when done().
  T result() { return handle_.promise().take_result(); }

  // Composition: `co_await op` inside another operation.
  struct Awaiter {
    Handle child;
    bool await_ready() noexcept { return false; }
    template <class ParentPromise>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<ParentPromise> parent) noexcept {
      internal::OperationPromiseBase& c = child.promise();
      c.parent_ = parent;
      c.root_ = parent.promise().root_;
      c.root_->leaf = child;
      return child;
    }
    T await_resume() { return child.promise().take_result(); }
  };
  Awaiter operator co_await() && noexcept { return Awaiter{handle_}; }

 private:
  friend class internal::OperationPromise<T>;
  explicit Operation(Handle handle) noexcept : handle_(handle) {
    handle_.promise().own_root_.leaf = handle_;
  }
  void reset() {
    if (handle_) std::exchange(handle_, {}).destroy();
  }

  Handle handle_;
};

namespace internal {
template <class T>
Operation<T> OperationPromise<T>::get_return_object() noexcept {
  return Operation<T>(Operation<T>::Handle::from_promise(*this));
}
inline Operation<void> OperationPromise<void>::get_return_object() noexcept {
  return Operation<void>(Operation<void>::Handle::from_promise(*this));
}
}  // namespace internal

}  // namespace pgcpp

#endif  // PGCPP_CORE_OPERATION_H_
