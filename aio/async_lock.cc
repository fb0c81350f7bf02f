#include "pgcpp/aio/async_lock.h"

namespace pgcpp {

AsyncLock::Awaiter AsyncLock::lock() {
  return Awaiter(aio_internal::running_loop("AsyncLock::lock()"), *this);
}

void AsyncLock::unlock() {
  if (waiters_.empty()) {
    locked_ = false;
    return;
  }
  Awaiter* next = waiters_.front();  // stays locked: ownership moves to `next`
  waiters_.pop_front();
  next->waiting_ = false;
  next->granted_ = true;
  next->schedule();
}

bool AsyncLock::Awaiter::await_ready() {
  if (lock_->locked_) return false;
  lock_->locked_ = true;
  return true;
}

void AsyncLock::Awaiter::await_suspend(std::coroutine_handle<> task) {
  task_ = task;
  position_ = lock_->waiters_.insert(lock_->waiters_.end(), this);
  waiting_ = true;
}

void AsyncLock::Awaiter::on_ready(Ready, std::exception_ptr) { task_.resume(); }

AsyncLock::Awaiter::~Awaiter() {
  if (waiting_) lock_->waiters_.erase(position_);
  if (granted_ && !resumed_) lock_->unlock();  // abandoned after its turn came
}

}  // namespace pgcpp
