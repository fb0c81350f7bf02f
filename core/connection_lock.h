// ConnectionLock: the mutex that serialises a connection's operations, which
// also knows the thread holding it, so that a thread reaching for a connection
// it already holds (a query issued while its own COPY is open, from a row
// handler in the middle of an operation...) gets a ProgrammingError instead
// of a deadlock.
//
//   std::lock_guard<pgcpp::ConnectionLock> guard(conn.base().lock());
#ifndef PGCPP_CORE_CONNECTION_LOCK_H_
#define PGCPP_CORE_CONNECTION_LOCK_H_

#include <atomic>
#include <mutex>
#include <thread>

namespace pgcpp {

class ConnectionLock {
 public:
  // Raises ProgrammingError when this thread holds the lock already.
  void lock() {
    check_not_held();
    if (!mutex_.try_lock()) {
      waiters_.fetch_add(1, std::memory_order_relaxed);
      mutex_.lock();
      waiters_.fetch_sub(1, std::memory_order_relaxed);
    }
    owner_.store(std::this_thread::get_id(), std::memory_order_relaxed);
  }
  bool try_lock() {
    check_not_held();
    if (!mutex_.try_lock()) return false;
    owner_.store(std::this_thread::get_id(), std::memory_order_relaxed);
    return true;
  }
  void unlock() {
    owner_.store(std::thread::id(), std::memory_order_relaxed);
    mutex_.unlock();
  }
  // Whether the calling thread holds it (only the holder writes its own id).
  bool held_by_this_thread() const {
    return owner_.load(std::memory_order_relaxed) == std::this_thread::get_id();
  }
  // How many threads are blocked in lock() right now: lets a test know that
  // another thread's operation waits for the connection, rather than guess.
  int waiters() const { return waiters_.load(std::memory_order_relaxed); }

 private:
  void check_not_held() const;

  std::mutex mutex_;
  std::atomic<std::thread::id> owner_{};
  std::atomic<int> waiters_{0};
};

}  // namespace pgcpp

#endif  // PGCPP_CORE_CONNECTION_LOCK_H_
