// AsyncLock: a mutual exclusion for Tasks on one EventLoop (asyncio.Lock).
//
//   pgcpp::AsyncLock lock;
//   pgcpp::Task<void> work() {
//     pgcpp::AsyncLock::Guard guard = co_await lock.lock();   // waits its turn
//     ...                                                      // co_await freely
//   }                                                          // unlocked
//
// A task that finds the lock held suspends until it is its turn (first come,
// first served: unlock() hands the lock to the first waiter directly). A
// waiting task whose frame is destroyed leaves the queue; one destroyed after
// being handed the lock passes it on. Use from the loop's thread only.
#ifndef PGCPP_AIO_ASYNC_LOCK_H_
#define PGCPP_AIO_ASYNC_LOCK_H_

#include <coroutine>
#include <exception>
#include <list>
#include <utility>

#include "pgcpp/aio/event_loop.h"

namespace pgcpp {

class AsyncLock {
 public:
  // Unlocks on destruction; movable.
  class [[nodiscard]] Guard {
   public:
    Guard(Guard&& other) noexcept : lock_(std::exchange(other.lock_, nullptr)) {}
    Guard& operator=(Guard&& other) noexcept {
      if (this != &other) {
        release();
        lock_ = std::exchange(other.lock_, nullptr);
      }
      return *this;
    }
    ~Guard() { release(); }
    void release() {
      if (lock_) std::exchange(lock_, nullptr)->unlock();
    }

   private:
    friend class AsyncLock;
    explicit Guard(AsyncLock* lock) : lock_(lock) {}
    AsyncLock* lock_;
  };

  class Awaiter : public aio_internal::Waiter {
   public:
    Awaiter(EventLoop& loop, AsyncLock& lock) : Waiter(loop), lock_(&lock) {}
    ~Awaiter() override;
    bool await_ready();
    void await_suspend(std::coroutine_handle<> task);
    Guard await_resume() {
      resumed_ = true;
      return Guard(lock_);
    }
    void on_ready(Ready, std::exception_ptr) override;

   private:
    friend class AsyncLock;
    AsyncLock* lock_;
    std::coroutine_handle<> task_;
    std::list<Awaiter*>::iterator position_;
    bool waiting_ = false;  // in the lock's queue
    bool granted_ = false;  // handed the lock, not yet resumed
    bool resumed_ = false;
  };

  AsyncLock() = default;
  AsyncLock(const AsyncLock&) = delete;
  AsyncLock& operator=(const AsyncLock&) = delete;

  // co_await lock.lock(): a Guard once it is this task's turn. Inside
  // EventLoop::run() only (ProgrammingError otherwise).
  Awaiter lock();
  bool locked() const { return locked_; }
  // How many tasks wait for it.
  size_t waiting() const { return waiters_.size(); }

 private:
  void unlock();

  bool locked_ = false;
  std::list<Awaiter*> waiters_;
};

}  // namespace pgcpp

#endif  // PGCPP_AIO_ASYNC_LOCK_H_
