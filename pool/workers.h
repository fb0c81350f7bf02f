// Background threads for a pool's maintenance tasks: N workers taking tasks
// from a FIFO queue, and one scheduler thread that queues tasks when their time
// comes (psycopg_pool's worker threads plus its `sched` runner). Internal to //pool.
//
//   Workers<Task> workers([&](Task task) { handle(std::move(task)); });
//   workers.start(3);
//   workers.run(Task{...});                                // as soon as a worker is free
//   workers.schedule(std::chrono::minutes(10), Task{...});  // queued in 10 minutes
//   workers.stop(std::chrono::seconds(5));                 // pending tasks are dropped
//
// Tasks are movable values (a heap moves them around) handled one at a time per worker; the handler
// must not throw (an exception it lets out is swallowed: a failing task never kills its worker).
// Thread-safe; stop() and the destructor may run while tasks run, not from inside a task.
#ifndef PGCPP_POOL_WORKERS_H_
#define PGCPP_POOL_WORKERS_H_

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "pgcpp/core/operation.h"

namespace pgcpp::pool_internal {

template <class Task>
class Workers {
 public:
  using Handler = std::function<void(Task)>;

  explicit Workers(Handler handler) : handler_(std::move(handler)) {}
  // Stops and joins every thread (waiting for the tasks in progress).
  ~Workers() {
    stop(Clock::duration::zero());
    join();
  }
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  // Starts `num_workers` workers and the scheduler. Once per object.
  void start(int num_workers) {
    std::lock_guard<std::mutex> lock(mu_);
    running_ = num_workers + 1;
    threads_.emplace_back([this] { schedule_loop(); });
    for (int i = 0; i < num_workers; ++i) threads_.emplace_back([this] { work_loop(); });
  }

  // Queues `task` for the next free worker; dropped once stop() was called.
  void run(Task task) {
    std::unique_lock<std::mutex> lock(mu_);
    if (stopping_) {
      lock.unlock();
      return;  // `task` is destroyed outside the lock
    }
    queue_.push_back(std::move(task));
    lock.unlock();
    work_cv_.notify_one();
  }

  // Queues `task` after `delay`; dropped once stop() was called.
  void schedule(Clock::duration delay, Task task) {
    std::unique_lock<std::mutex> lock(mu_);
    if (stopping_) {
      lock.unlock();
      return;
    }
    timed_.push_back(Timed{Clock::now() + delay, next_seq_++, std::move(task)});
    std::push_heap(timed_.begin(), timed_.end(), Later{});
    lock.unlock();
    schedule_cv_.notify_one();
  }

  // Drops every pending task and tells the threads to stop, then waits up to
  // `timeout` for them to finish the tasks in progress. False if some thread is
  // still busy then (the destructor joins it).
  bool stop(Clock::duration timeout) {
    std::deque<Task> dropped;
    std::vector<Timed> dropped_timed;
    std::unique_lock<std::mutex> lock(mu_);
    stopping_ = true;
    dropped.swap(queue_);
    dropped_timed.swap(timed_);
    work_cv_.notify_all();
    schedule_cv_.notify_all();
    lock.unlock();
    dropped.clear();  // destroying a task may close a connection: outside the lock
    dropped_timed.clear();
    lock.lock();
    return exit_cv_.wait_for(lock, timeout, [this] { return running_ == 0; });
  }

 private:
  struct Timed {
    Clock::time_point when;
    std::uint64_t seq;  // FIFO among tasks due at the same time
    Task task;
  };
  struct Later {
    bool operator()(const Timed& a, const Timed& b) const {
      return a.when != b.when ? a.when > b.when : a.seq > b.seq;
    }
  };

  void join() {
    for (std::thread& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }

  void exited() {
    std::lock_guard<std::mutex> lock(mu_);
    if (--running_ == 0) exit_cv_.notify_all();
  }

  void work_loop() {
    for (;;) {
      std::unique_lock<std::mutex> lock(mu_);
      work_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) break;
      Task task = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      try {
        handler_(std::move(task));
      } catch (...) {
        // The handler reports its own failures; nothing may end a worker.
      }
    }
    exited();
  }

  void schedule_loop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stopping_) {
      if (timed_.empty()) {
        schedule_cv_.wait(lock);
      } else if (const Clock::time_point when = timed_.front().when; Clock::now() < when) {
        // A copy: schedule() may reallocate timed_ while this thread waits.
        schedule_cv_.wait_until(lock, when);
      } else {
        std::pop_heap(timed_.begin(), timed_.end(), Later{});
        queue_.push_back(std::move(timed_.back().task));
        timed_.pop_back();
        work_cv_.notify_one();
      }
    }
    lock.unlock();
    exited();
  }

  const Handler handler_;
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable schedule_cv_;
  std::condition_variable exit_cv_;
  std::deque<Task> queue_;      // guarded by mu_
  std::vector<Timed> timed_;    // a heap (Later), guarded by mu_
  std::uint64_t next_seq_ = 0;  // guarded by mu_
  bool stopping_ = false;       // guarded by mu_
  int running_ = 0;             // threads not yet exited, guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace pgcpp::pool_internal

#endif  // PGCPP_POOL_WORKERS_H_
