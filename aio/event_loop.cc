#include "pgcpp/aio/event_loop.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <string>

#include "pgcpp/adapt/errors.h"

namespace pgcpp {

namespace {

thread_local EventLoop* current_loop = nullptr;

uint32_t epoll_events(WaitFor events) {
  return (static_cast<int>(events) & 1 ? EPOLLIN : 0u) |
         (static_cast<int>(events) & 2 ? EPOLLOUT : 0u);
}

// pgcpp::poll_once's rules: readiness is passed on (with a hang-up too); a
// hang-up alone reads as readable when reading was asked for (libpq then reads
// the end of the stream); anything else with no readiness is a closed socket.
std::optional<Ready> ready_from(uint32_t revents, WaitFor wanted) {
  int ready = (revents & EPOLLIN ? 1 : 0) | (revents & EPOLLOUT ? 2 : 0);
  if (ready == 0 && (revents & EPOLLHUP)) ready = static_cast<int>(wanted) & 1;
  if (ready == 0) return std::nullopt;
  return static_cast<Ready>(ready);
}

[[noreturn]] void throw_errno(const char* what) {
  throw OperationalError(std::string(what) + " failed: " + std::strerror(errno));
}

}  // namespace

namespace aio_internal {

CurrentLoop::CurrentLoop(EventLoop* loop) : previous_(current_loop) { current_loop = loop; }
CurrentLoop::~CurrentLoop() { current_loop = previous_; }

EventLoop& running_loop(const char* what) {
  if (current_loop == nullptr)
    throw ProgrammingError(std::string(what) + " needs a running EventLoop");
  return *current_loop;
}

void check_can_run(bool running, bool task_valid) {
  if (running) throw ProgrammingError("EventLoop::run() cannot be called while the loop runs");
  if (!task_valid) throw ProgrammingError("EventLoop::run() was given an empty Task");
}

Waiter::~Waiter() {
  unwatch();
  if (queued_) loop_->ready_.erase(*queued_);
}

void Waiter::watch(const Wait& wait, bool fd_required) {
  if (wait.fd < 0) {
    if (fd_required) throw OperationalError("connection socket closed");
    if (fd_ >= 0) unwatch();
  } else {
    epoll_event ev{};
    ev.events = epoll_events(wait.events);
    ev.data.ptr = this;
    if (fd_ >= 0 && fd_ != wait.fd) unwatch();
    // MOD even when nothing changed: the same number may name a new socket
    // (a connection attempt closed its socket and opened another), whose
    // registration the kernel dropped with the old one.
    bool added = false;
    if (fd_ == wait.fd) {
      added = epoll_ctl(loop_->epoll_fd_, EPOLL_CTL_MOD, wait.fd, &ev) == 0;
      if (!added && errno != ENOENT) throw_errno("epoll_ctl(MOD)");
      if (!added) --loop_->registered_fds_;
    }
    if (!added) {
      if (epoll_ctl(loop_->epoll_fd_, EPOLL_CTL_ADD, wait.fd, &ev) != 0) {
        fd_ = -1;
        throw_errno("epoll_ctl(ADD)");
      }
      ++loop_->registered_fds_;
    }
    fd_ = wait.fd;
    events_ = wait.events;
  }
  if (timer_) {
    loop_->timers_.erase(*timer_);
    timer_.reset();
  }
  if (wait.deadline) watch_until(*wait.deadline);
}

void Waiter::watch_until(Clock::time_point deadline) {
  if (timer_) loop_->timers_.erase(*timer_);
  timer_ = loop_->timers_.emplace(deadline, this);
}

void Waiter::unwatch() {
  if (fd_ >= 0) {
    // Fails harmlessly when the socket is already closed (the kernel dropped it).
    epoll_ctl(loop_->epoll_fd_, EPOLL_CTL_DEL, fd_, nullptr);
    --loop_->registered_fds_;
    fd_ = -1;
  }
  if (timer_) {
    loop_->timers_.erase(*timer_);
    timer_.reset();
  }
}

void Waiter::schedule(Ready ready, std::exception_ptr error) {
  if (queued_) {
    // Readiness and a timer in the same round: the union (an error wins).
    ready_ = static_cast<Ready>(static_cast<int>(ready_) | static_cast<int>(ready));
    if (error) error_ = std::move(error);
    return;
  }
  ready_ = ready;
  error_ = std::move(error);
  queued_ = loop_->ready_.insert(loop_->ready_.end(), this);
}

}  // namespace aio_internal

EventLoop::EventLoop() : epoll_fd_(epoll_create1(EPOLL_CLOEXEC)) {
  if (epoll_fd_ < 0) throw_errno("epoll_create1");
}

EventLoop::~EventLoop() {
  // Unfinished tasks' frames go first: their awaiters withdraw from this loop.
  to_start_.clear();
  finished_.clear();
  spawned_.clear();
  ::close(epoll_fd_);
}

EventLoop* EventLoop::current() { return current_loop; }

void EventLoop::spawn(Task<void> task) {
  if (!task.valid()) throw ProgrammingError("EventLoop::spawn() was given an empty Task");
  task.handle().promise().set_on_done({&EventLoop::on_spawned_done, this});
  to_start_.push_back(task.handle());
  spawned_.push_back(std::move(task));
}

void EventLoop::on_spawned_done(void* self, std::coroutine_handle<> task) {
  static_cast<EventLoop*>(self)->finished_.push_back(task);
}

void EventLoop::on_main_done(void* self, std::coroutine_handle<>) {
  static_cast<EventLoop*>(self)->main_done_ = true;
}

void EventLoop::run_loop() {
  while (!main_done_) {
    run_round();
    if (spawned_error_) std::rethrow_exception(std::exchange(spawned_error_, nullptr));
    if (main_done_) break;
    int timeout = next_timeout_ms();
    if (timeout < 0 && registered_fds_ == 0) {
      throw ProgrammingError(
          "EventLoop::run(): the task waits for something no socket, timer or task can bring "
          "(e.g. a lock whose holder has finished)");
    }
    poll(timeout);
  }
}

void EventLoop::run_round() {
  start_spawned();
  // The waiters queued before this round; those they queue run in the next.
  size_t n = ready_.size();
  while (n-- > 0 && !ready_.empty()) {
    aio_internal::Waiter* w = ready_.front();
    ready_.pop_front();
    w->queued_.reset();
    w->on_ready(w->ready_, std::exchange(w->error_, nullptr));
    reap_finished();
    if (spawned_error_) return;
  }
  reap_finished();
}

void EventLoop::start_spawned() {
  while (!to_start_.empty()) {
    std::coroutine_handle<> task = to_start_.front();
    to_start_.pop_front();
    task.resume();
    reap_finished();
  }
}

void EventLoop::reap_finished() {
  while (!finished_.empty()) {
    std::coroutine_handle<> done = finished_.front();
    finished_.pop_front();
    for (auto it = spawned_.begin(); it != spawned_.end(); ++it) {
      if (it->handle() != done) continue;
      const std::exception_ptr& error = it->handle().promise().exception();
      if (error && !spawned_error_) spawned_error_ = error;
      spawned_.erase(it);
      break;
    }
  }
}

int EventLoop::next_timeout_ms() const {
  if (!ready_.empty() || !to_start_.empty()) return 0;
  if (timers_.empty()) return -1;
  auto left =
      std::chrono::ceil<std::chrono::milliseconds>(timers_.begin()->first - Clock::now()).count();
  if (left <= 0) return 0;
  return left > INT_MAX ? INT_MAX : static_cast<int>(left);
}

void EventLoop::poll(int timeout_ms) {
  epoll_event events[64];
  int n;
  do {
    n = epoll_wait(epoll_fd_, events, 64, timeout_ms);
  } while (n < 0 && errno == EINTR);
  if (n < 0) throw_errno("epoll_wait");
  for (int i = 0; i < n; ++i) {
    auto* w = static_cast<aio_internal::Waiter*>(events[i].data.ptr);
    std::optional<Ready> ready = ready_from(events[i].events, w->events_);
    if (ready) {
      w->schedule(*ready, nullptr);
    } else {
      w->schedule(Ready::kNone,
                  std::make_exception_ptr(OperationalError("connection socket closed")));
    }
  }
  const Clock::time_point now = Clock::now();
  while (!timers_.empty() && timers_.begin()->first <= now) {
    aio_internal::Waiter* w = timers_.begin()->second;
    timers_.erase(timers_.begin());
    w->timer_.reset();
    w->schedule(Ready::kNone, nullptr);
  }
}

}  // namespace pgcpp
