#include "pgcpp/pool/connection_pool.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <thread>
#include <vector>

#include "pgcpp/core/conninfo.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/core/pq.h"
#include "pgcpp/pool/empty_query.h"
#include "pgcpp/pool/interruptible_wait.h"
#include "pgcpp/pool/pool_checks.h"

namespace pgcpp {

namespace {

using pool_internal::AttemptWithBackoff;
using pool_internal::capped;
using pool_internal::check_not_negative;
using pool_internal::check_positive;
using pool_internal::current_exception_message;
using pool_internal::seconds_2f;
using pool_internal::seconds_text;
using pool_internal::to_ms;

constexpr const char* kCounterNames[] = {
    "requests_num", "requests_queued", "requests_wait_ms", "requests_errors",    "usage_ms",
    "returns_bad",  "connections_num", "connections_ms",   "connections_errors", "connections_lost",
};

std::string default_name() {
  static std::atomic<int> pools{0};
  return "pool-" + std::to_string(pools.fetch_add(1) + 1);
}

std::string quoted(const std::string& name) { return "'" + name + "'"; }

// Every live pool, for putconn()'s "it comes from pool ..." message.
std::mutex& registry_mutex() {
  static auto* mutex = new std::mutex;
  return *mutex;
}
std::vector<const ConnectionPool*>& registry() {
  static auto* pools = new std::vector<const ConnectionPool*>;
  return *pools;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// PooledConnection

PooledConnection::PooledConnection(ConnectionPool& pool, Connection conn)
    : pool_(pool),
      conn_(std::move(conn)),
      uncaught_at_start_(std::uncaught_exceptions()),
      taken_at_(Clock::now()) {}

PooledConnection::~PooledConnection() noexcept(false) {
  if (!conn_.base_ptr()) return;  // the client moved the connection out: it is theirs now
  const bool failing = std::uncaught_exceptions() > uncaught_at_start_;
  std::exception_ptr error;
  if (!conn_.closed()) {
    try {
      if (failing) {
        conn_.rollback();
      } else {
        conn_.commit();
      }
    } catch (...) {
      // psycopg: a failed rollback must not hide the exception that caused it.
      if (failing) {
        pool_.log(PoolLogLevel::kWarning, "error ignored in rollback of a connection of pool " +
                                              quoted(pool_.name()) + ": " +
                                              current_exception_message());
      } else {
        error = std::current_exception();
      }
    }
  }
  pool_.count(ConnectionPool::kUsageMs, to_ms(Clock::now() - taken_at_));
  try {
    pool_.putconn(std::move(conn_));
  } catch (...) {
    if (!failing && !error) error = std::current_exception();
  }
  if (error) std::rethrow_exception(error);
}

// ---------------------------------------------------------------------------------------------
// Construction, opening, closing

ConnectionPool::ConnectionPool(std::string conninfo, PoolOptions options)
    : ConnectionPool(
          Kind::kPool, [conninfo = std::move(conninfo)] { return conninfo; }, std::move(options)) {
  if (options_.open) open();
}

ConnectionPool::ConnectionPool(std::function<std::string()> conninfo, PoolOptions options)
    : ConnectionPool(Kind::kPool, std::move(conninfo), std::move(options)) {
  if (options_.open) open();
}

ConnectionPool::ConnectionPool(Kind kind, std::function<std::string()> conninfo,
                               PoolOptions options)
    : kind_(kind),
      conninfo_(std::move(conninfo)),
      options_(std::move(options)),
      name_(options_.name.empty() ? default_name() : options_.name),
      workers_([this](Task task) { handle_task(std::move(task)); }) {
  if (!conninfo_) throw std::invalid_argument("the conninfo function is empty");
  std::tie(min_size_, max_size_) = check_size(options_.min_size, options_.max_size);
  if (options_.num_workers < 1) {
    throw std::invalid_argument("num_workers must be at least 1, got " +
                                std::to_string(options_.num_workers));
  }
  if (options_.max_waiting < 0) {
    throw std::invalid_argument("max_waiting cannot be negative, got " +
                                std::to_string(options_.max_waiting));
  }
  check_not_negative(options_.timeout, "timeout");
  check_positive(options_.max_lifetime, "max_lifetime");
  check_positive(options_.max_idle, "max_idle");
  check_not_negative(options_.reconnect_timeout, "reconnect_timeout");
  if (options_.check_after_idle) check_not_negative(*options_.check_after_idle, "check_after_idle");
  nconns_ = min_size_;
  nconns_min_ = static_cast<std::size_t>(min_size_);
  std::lock_guard<std::mutex> lock(registry_mutex());
  registry().push_back(this);
}

ConnectionPool::~ConnectionPool() { shutdown(); }

void ConnectionPool::shutdown() {
  {
    std::lock_guard<std::mutex> lock(registry_mutex());
    auto& pools = registry();
    pools.erase(std::remove(pools.begin(), pools.end(), this), pools.end());
  }
  close();
  // workers_ (the last member) joins its threads first thing in its destructor.
}

std::pair<int, int> ConnectionPool::check_size(std::optional<int> min_size,
                                               std::optional<int> max_size) const {
  if (kind_ == Kind::kNull) {
    if (min_size.value_or(0) != 0) {
      throw std::invalid_argument("null pools must have min_size = 0, got " +
                                  std::to_string(*min_size));
    }
    if (max_size.value_or(0) < 0) {
      throw std::invalid_argument("max_size cannot be negative, got " + std::to_string(*max_size));
    }
    return {0, max_size.value_or(0)};
  }
  return pool_internal::checked_sizes(min_size, max_size);
}

int ConnectionPool::min_size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return min_size_;
}

int ConnectionPool::max_size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return max_size_;
}

bool ConnectionPool::closed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return closed_;
}

void ConnectionPool::open(bool wait, PoolDuration timeout) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) {
      if (opened_) {
        throw PoolClosed("pool " + quoted(name_) +
                         " has already been opened/closed and cannot be reused");
      }
      closed_ = false;
      opened_ = true;
      workers_.start(options_.num_workers);
      start_initial_tasks();
    }
  }
  if (wait) this->wait(timeout);
}

void ConnectionPool::start_initial_tasks() {
  if (kind_ == Kind::kNull) return;  // no connections kept, nothing to shrink
  for (int i = 0; i < nconns_; ++i) run_task(Task{Task::Kind::kAddConnection});
  workers_.schedule(capped(options_.max_idle), Task{Task::Kind::kShrinkPool});
}

void ConnectionPool::close(PoolDuration timeout) {
  std::deque<Idle> idle;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    closed_ = true;
    stop_.store(true, std::memory_order_release);
    idle.swap(idle_);
    for (const Idle& i : idle) forget_locked(i.conn);
    for (Waiter* waiter : waiting_) {
      waiter->error =
          std::make_exception_ptr(PoolClosed("the pool " + quoted(name_) + " is closed"));
      waiter->cv.notify_one();
    }
    waiting_.clear();
    full_cv_.notify_all();
  }
  idle.clear();
  if (!workers_.stop(capped(timeout))) {
    log(PoolLogLevel::kWarning, "couldn't stop the workers of pool " + quoted(name_) + " within " +
                                    seconds_text(timeout) + " sec");
  }
}

void ConnectionPool::throw_if_not_open_locked() const {
  if (!closed_) return;
  if (opened_) throw PoolClosed("the pool " + quoted(name_) + " is already closed");
  throw PoolClosed("the pool " + quoted(name_) + " is not open yet");
}

void ConnectionPool::check_open_getconn() const {
  std::lock_guard<std::mutex> lock(mu_);
  throw_if_not_open_locked();
}

void ConnectionPool::wait(PoolDuration timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  throw_if_not_open_locked();
  const bool ready = full_cv_.wait_for(lock, capped(timeout), [this] {
    return closed_ || idle_.size() >= static_cast<std::size_t>(min_size_);
  });
  throw_if_not_open_locked();
  if (ready) return;
  lock.unlock();
  close();
  throw PoolTimeout("pool initialization incomplete after " + seconds_text(timeout) + " sec");
}

// ---------------------------------------------------------------------------------------------
// Lending connections out

Connection ConnectionPool::getconn(std::optional<PoolDuration> timeout) {
  const PoolDuration wait_for = timeout.value_or(options_.timeout);
  check_not_negative(wait_for, "timeout");
  const Clock::time_point deadline = Clock::now() + capped(wait_for);
  std::optional<AttemptWithBackoff> attempt;
  for (;;) {
    Taken taken = getconn_unchecked(deadline, wait_for);
    if (!checkout_checks(taken, deadline, attempt)) continue;
    if (options_.on_acquire) {
      try {
        options_.on_acquire(taken.conn);
      } catch (...) {
        putconn_owned(std::move(taken.conn), false);
        throw;
      }
    }
    return std::move(taken.conn);
  }
}

ConnectionPool::Taken ConnectionPool::getconn_unchecked(Clock::time_point deadline,
                                                        PoolDuration timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  throw_if_not_open_locked();
  count(kRequestsNum);
  bool slot = false;
  if (kind_ == Kind::kNull) {
    auto has_room = [this] { return max_size_ == 0 || nconns_ < max_size_; };
    if (!has_room()) reclaim_lost_locked();
    if (has_room()) {
      ++nconns_;
      slot = true;
    }
  } else if (!idle_.empty()) {
    // Taken from the left, returned on the right: connections rotate evenly.
    Idle idle = std::move(idle_.front());
    idle_.pop_front();
    nconns_min_ = std::min(nconns_min_, idle_.size());
    return Taken{std::move(idle.conn), idle.since};
  } else if (nconns_ >= max_size_) {
    reclaim_lost_locked();
  }
  if (!slot) {
    if (options_.max_waiting > 0 &&
        waiting_.size() >= static_cast<std::size_t>(options_.max_waiting)) {
      count(kRequestsErrors);
      throw TooManyRequests("the pool " + quoted(name_) + " has already " +
                            std::to_string(waiting_.size()) + " requests waiting");
    }
    Waiter waiter;
    waiting_.push_back(&waiter);
    count(kRequestsQueued);
    maybe_grow_pool_locked();
    const Clock::time_point queued_at = Clock::now();
    while (!waiter.done()) {
      if (waiter.cv.wait_until(lock, deadline) == std::cv_status::timeout && !waiter.done()) {
        waiting_.erase(std::find(waiting_.begin(), waiting_.end(), &waiter));
        break;
      }
    }
    count(kRequestsWaitMs, to_ms(Clock::now() - queued_at));
    if (!waiter.done()) {
      count(kRequestsErrors);
      throw PoolTimeout("couldn't get a connection after " + seconds_2f(timeout) + " sec");
    }
    if (waiter.error) {
      count(kRequestsErrors);
      std::rethrow_exception(waiter.error);
    }
    if (waiter.conn) return Taken{std::move(*waiter.conn), std::nullopt};
    // Else a null pool's slot: this client connects.
  }
  lock.unlock();
  return Taken{connect_for_client(deadline, timeout), std::nullopt};
}

Connection ConnectionPool::connect_for_client(Clock::time_point deadline, PoolDuration timeout) {
  auto release_slot = [this] {
    std::lock_guard<std::mutex> lock(mu_);
    --nconns_;
    grant_slots_locked();
  };
  try {
    return connect(deadline);
  } catch (const ConnectionTimeout& e) {
    release_slot();
    throw PoolTimeout("couldn't get a connection after " + seconds_2f(timeout) +
                      " sec: " + e.what());
  } catch (...) {
    release_slot();
    throw;
  }
}

void ConnectionPool::grant_slots_locked() {
  if (kind_ != Kind::kNull) return;
  while (!waiting_.empty() && (max_size_ == 0 || nconns_ < max_size_)) {
    Waiter* waiter = waiting_.front();
    waiting_.pop_front();
    ++nconns_;
    waiter->slot = true;
    waiter->cv.notify_one();
  }
}

bool ConnectionPool::checkout_checks(Taken& taken, Clock::time_point deadline,
                                     std::optional<AttemptWithBackoff>& attempt) {
  Clock::time_point now = Clock::now();
  if (options_.check_lifetime_on_getconn) {
    bool expired;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = records_.find(taken.conn.base_ptr().get());
      expired = it != records_.end() && it->second.expire_at <= now;
    }
    if (expired) {
      log(PoolLogLevel::kInfo, "discarding expired connection at getconn in pool " + quoted(name_));
      replace(std::move(taken.conn));
      return false;  // another one right away: nothing failed
    }
  }
  const bool run_check =
      options_.check_after_idle
          ? taken.idle_since && now - *taken.idle_since >= *options_.check_after_idle
          : static_cast<bool>(options_.check);
  if (!run_check) return true;
  try {
    if (options_.check) {
      options_.check(taken.conn);
    } else {
      check_connection(taken.conn);
    }
    return true;
  } catch (...) {
    log(PoolLogLevel::kWarning, "connection of pool " + quoted(name_) +
                                    " failed its check: " + current_exception_message());
  }
  putconn_owned(std::move(taken.conn), true);
  // Further checks wait with the reconnection backoff (none before the first retry), so that a
  // pool full of dead connections is no busy loop.
  now = Clock::now();
  if (!attempt) {
    attempt.emplace(now, deadline - now);
  } else {
    attempt->update_delay(now);
  }
  if (attempt->time_to_give_up(now)) {
    count(kRequestsErrors);
    throw PoolTimeout("couldn't get a connection that passes the check by its deadline");
  }
  std::this_thread::sleep_for(attempt->delay());
  return false;
}

void ConnectionPool::maybe_grow_pool_locked() {
  // One growing task at a time, so that returning connections are not starved.
  if (kind_ == Kind::kNull || nconns_ >= max_size_ || growing_) return;
  ++nconns_;
  growing_ = true;
  log(PoolLogLevel::kInfo, "growing pool " + quoted(name_) + " to " + std::to_string(nconns_));
  run_task(Task{Task::Kind::kAddConnection, std::nullopt, std::nullopt, /*growing=*/true});
}

void ConnectionPool::reclaim_lost_locked() {
  bool reclaimed = false;
  for (auto it = records_.begin(); it != records_.end();) {
    if (!it->second.base.expired()) {
      ++it;
      continue;
    }
    it = records_.erase(it);
    reclaimed = true;
    count(kConnectionsLost);
    log(PoolLogLevel::kWarning, "a connection of pool " + quoted(name_) +
                                    " was destroyed without being returned: replacing it");
    if (kind_ == Kind::kNull) {
      --nconns_;
    } else if (!closed_) {
      run_task(Task{Task::Kind::kAddConnection});
    }
  }
  if (reclaimed) grant_slots_locked();
}

PooledConnection ConnectionPool::connection(std::optional<PoolDuration> timeout) {
  return PooledConnection(*this, getconn(timeout));
}

// ---------------------------------------------------------------------------------------------
// Taking connections back

bool ConnectionPool::owns(const BaseConnection* base) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = records_.find(base);
  // A live connection at that address is the one recorded: two cannot share it.
  return it != records_.end() && !it->second.base.expired();
}

std::string ConnectionPool::foreign_connection_message(const BaseConnection* base) const {
  const std::string prefix = "can't return connection to pool " + quoted(name_);
  if (base == nullptr) return prefix + ": the Connection is empty (moved from)";
  std::lock_guard<std::mutex> lock(registry_mutex());
  for (const ConnectionPool* pool : registry()) {
    if (pool != this && pool->owns(base))
      return prefix + ", it comes from pool " + quoted(pool->name_);
  }
  return prefix + ", it doesn't come from any pool";
}

void ConnectionPool::putconn(Connection&& conn) {
  const BaseConnection* base = conn.base_ptr().get();
  if (base == nullptr || !owns(base)) {
    throw std::invalid_argument(foreign_connection_message(base));
  }
  Connection owned = std::move(conn);
  if (options_.on_release) {
    try {
      options_.on_release(owned);
    } catch (...) {
      log(PoolLogLevel::kWarning,
          "on_release failed, closing the connection: " + current_exception_message());
      owned.close();
    }
  }
  putconn_owned(std::move(owned), false);
}

void ConnectionPool::putconn_owned(Connection conn, bool from_getconn) {
  if (maybe_close_connection(conn)) return;
  if (options_.reset) {
    Task task{Task::Kind::kReturnConnection, std::move(conn)};
    task.from_getconn = from_getconn;
    run_task(std::move(task));
  } else {
    return_connection(std::move(conn), from_getconn);
  }
}

bool ConnectionPool::maybe_close_connection(Connection& conn) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (kind_ == Kind::kNull) {
      // A null pool keeps nothing: the connection is only passed on to a waiting client.
      if (!closed_ && !waiting_.empty()) return false;
      if (conn.transaction_status() == TransactionStatus::kUnknown) count(kReturnsBad);
      --nconns_;
    } else if (!closed_) {
      return false;
    }
    forget_locked(conn);
  }
  conn.close();
  return true;
}

void ConnectionPool::return_connection(Connection conn, bool from_getconn) {
  reset_connection(conn);
  if (conn.transaction_status() == TransactionStatus::kUnknown) {
    count(from_getconn ? kConnectionsLost : kReturnsBad);
    log(PoolLogLevel::kWarning, "discarding closed connection of pool " + quoted(name_));
    replace(std::move(conn));
    return;
  }
  bool expired;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = records_.find(conn.base_ptr().get());
    expired = it == records_.end() || it->second.expire_at <= Clock::now() ||
              it->second.generation < generation_;
  }
  if (expired) {
    log(PoolLogLevel::kInfo, "discarding expired connection of pool " + quoted(name_));
    replace(std::move(conn));
    return;
  }
  add_to_pool(std::move(conn));
}

void ConnectionPool::reset_connection(Connection& conn) {
  const TransactionStatus status = conn.transaction_status();
  switch (status) {
    case TransactionStatus::kIdle:
    case TransactionStatus::kUnknown:
      break;
    case TransactionStatus::kActive:
      log(PoolLogLevel::kWarning, "closing returned connection in status ACTIVE");
      conn.close();
      break;
    case TransactionStatus::kInTrans:
    case TransactionStatus::kInError:
      log(PoolLogLevel::kWarning,
          std::string("rolling back returned connection in status ") + to_string(status));
      try {
        conn.rollback();
      } catch (...) {
        log(PoolLogLevel::kWarning,
            "rollback failed: " + current_exception_message() + ". Discarding connection");
        conn.close();
      }
      break;
  }
  if (!options_.reset || conn.closed()) return;
  try {
    options_.reset(conn);
    const TransactionStatus after = conn.transaction_status();
    if (after != TransactionStatus::kIdle) {
      throw ProgrammingError(std::string("connection left in status ") + to_string(after) +
                             " by reset function: discarded");
    }
  } catch (...) {
    log(PoolLogLevel::kWarning, "error resetting connection: " + current_exception_message());
    conn.close();
  }
}

void ConnectionPool::add_to_pool(Connection conn) {
  std::unique_lock<std::mutex> lock(mu_);
  if (closed_) {
    forget_locked(conn);
    return;  // `conn` closes on the way out
  }
  // A waiter still in the queue is still waiting: one that timed out has left it.
  if (!waiting_.empty()) {
    Waiter* waiter = waiting_.front();
    waiting_.pop_front();
    waiter->conn.emplace(std::move(conn));
    waiter->cv.notify_one();
    return;
  }
  if (kind_ == Kind::kNull) {
    forget_locked(conn);
    --nconns_;
    lock.unlock();
    return;
  }
  idle_.push_back(Idle{std::move(conn), Clock::now()});
  if (idle_.size() >= static_cast<std::size_t>(min_size_)) full_cv_.notify_all();
}

void ConnectionPool::replace(Connection conn) {
  std::lock_guard<std::mutex> lock(mu_);
  forget_locked(conn);
  if (!closed_) run_task(Task{Task::Kind::kAddConnection});
}  // `conn`, a parameter, closes after the lock is released

void ConnectionPool::forget_locked(const Connection& conn) {
  records_.erase(conn.base_ptr().get());
}

// ---------------------------------------------------------------------------------------------
// Background tasks

void ConnectionPool::handle_task(Task task) {
  try {
    switch (task.kind) {
      case Task::Kind::kAddConnection:
        add_connection(std::move(task.attempt), task.growing);
        break;
      case Task::Kind::kReturnConnection:
        return_connection(std::move(*task.conn), task.from_getconn);
        break;
      case Task::Kind::kShrinkPool:
        shrink_pool();
        break;
    }
  } catch (...) {
    log(PoolLogLevel::kWarning,
        "task failed in pool " + quoted(name_) + ": " + current_exception_message());
  }
}

Connection ConnectionPool::connect_unregistered(std::optional<Clock::time_point> deadline) {
  count(kConnectionsNum);
  const Clock::time_point started = Clock::now();
  std::optional<Connection> conn;
  try {
    const std::string conninfo = conninfo_();
    ConnectOptions connect_options =
        options_.connect_options_fn ? options_.connect_options_fn() : options_.connect_options;
    if (!connect_options.connect_timeout &&
        !get_param(conninfo_to_dict(conninfo, conninfo_overrides(connect_options)),
                   "connect_timeout")) {
      connect_options.connect_timeout = kDefaultPoolConnectTimeout;
    }
    PGconnPtr pgconn =
        pool_internal::wait_interruptibly(connect_operation(conninfo, connect_options), stop_,
                                          deadline, "the pool " + quoted(name_) + " is closed");
    conn.emplace(Connection::adopt(std::move(pgconn), connect_options));
  } catch (const PoolClosed&) {
    throw;  // abandoned, not failed
  } catch (...) {
    count(kConnectionsErrors);
    throw;
  }
  count(kConnectionsMs, to_ms(Clock::now() - started));
  if (options_.configure) {
    options_.configure(*conn);
    const TransactionStatus status = conn->transaction_status();
    if (status != TransactionStatus::kIdle) {
      throw ProgrammingError(std::string("connection left in status ") + to_string(status) +
                             " by configure function: discarded");
    }
  }
  return std::move(*conn);
}

Connection ConnectionPool::connect(std::optional<Clock::time_point> deadline) {
  std::uint64_t generation;
  {
    std::lock_guard<std::mutex> lock(mu_);
    generation = generation_;  // a drain() from now on replaces this connection too
  }
  Connection conn = connect_unregistered(deadline);
  const Clock::time_point expire_at =
      Clock::now() + pool_internal::jitter(capped(options_.max_lifetime), -0.05, 0.0);
  std::lock_guard<std::mutex> lock(mu_);
  records_[conn.base_ptr().get()] = Record{conn.base_ptr(), expire_at, generation};
  return conn;
}

void ConnectionPool::add_connection(std::optional<AttemptWithBackoff> attempt, bool growing) {
  const Clock::time_point now = Clock::now();
  if (!attempt) attempt.emplace(now, capped(options_.reconnect_timeout));
  std::optional<Connection> conn;
  try {
    conn.emplace(connect());
  } catch (const PoolClosed&) {
    return;
  } catch (...) {
    log(PoolLogLevel::kWarning,
        "error connecting in pool " + quoted(name_) + ": " + current_exception_message());
    if (attempt->time_to_give_up(now)) {
      log(PoolLogLevel::kWarning, "reconnection attempt in pool " + quoted(name_) +
                                      " failed after " + seconds_text(options_.reconnect_timeout) +
                                      " sec");
      {
        std::lock_guard<std::mutex> lock(mu_);
        --nconns_;
        if (growing) growing_ = false;  // a new growth may start
        grant_slots_locked();
      }
      if (options_.reconnect_failed) {
        try {
          options_.reconnect_failed(*this);
        } catch (...) {
          log(PoolLogLevel::kWarning, "reconnect_failed failed: " + current_exception_message());
        }
      }
    } else {
      attempt->update_delay(now);
      const PoolDuration delay = attempt->delay();
      workers_.schedule(
          delay, Task{Task::Kind::kAddConnection, std::nullopt, std::move(attempt), growing});
    }
    return;
  }
  add_to_pool(std::move(*conn));
  if (!growing) return;
  std::lock_guard<std::mutex> lock(mu_);
  // Keep growing while below min_size, or while clients wait and there is room.
  if (!closed_ && (nconns_ < min_size_ || (nconns_ < max_size_ && !waiting_.empty()))) {
    ++nconns_;
    log(PoolLogLevel::kInfo, "growing pool " + quoted(name_) + " to " + std::to_string(nconns_));
    run_task(Task{Task::Kind::kAddConnection, std::nullopt, std::nullopt, /*growing=*/true});
  } else {
    growing_ = false;
  }
}

void ConnectionPool::shrink_pool() {
  std::optional<Connection> to_close;
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_) return;
  workers_.schedule(capped(options_.max_idle), Task{Task::Kind::kShrinkPool});
  reclaim_lost_locked();
  const std::size_t nconns_min = nconns_min_;
  nconns_min_ = idle_.size();
  if (pool_internal::should_shrink(nconns_, min_size_, nconns_min, idle_.size())) {
    to_close.emplace(std::move(idle_.front().conn));
    idle_.pop_front();
    forget_locked(*to_close);
    --nconns_;
    nconns_min_ = idle_.size();
    log(PoolLogLevel::kInfo,
        pool_internal::shrinking_message(quoted(name_), nconns_, nconns_min, options_.max_idle));
  }
}

// ---------------------------------------------------------------------------------------------
// Maintenance on demand, stats

void ConnectionPool::resize(int min_size, std::optional<int> max_size) {
  const auto [min, max] = check_size(min_size, max_size);
  std::lock_guard<std::mutex> lock(mu_);
  const int grow = pool_internal::connections_to_reach(min, nconns_);
  log(PoolLogLevel::kInfo, "resizing pool " + quoted(name_) + " to min_size=" +
                               std::to_string(min) + " max_size=" + std::to_string(max));
  min_size_ = min;
  max_size_ = max;
  nconns_ += grow;
  // Before open() the initial tasks will make nconns_ connections.
  if (!closed_) {
    for (int i = 0; i < grow; ++i) run_task(Task{Task::Kind::kAddConnection});
  }
}

void ConnectionPool::check() {
  std::deque<Idle> conns;
  {
    std::lock_guard<std::mutex> lock(mu_);
    throw_if_not_open_locked();
    conns.swap(idle_);
    reclaim_lost_locked();
    // A pool with no connection gets a chance to grow (a no-op when full or already growing).
    maybe_grow_pool_locked();
  }
  for (Idle& idle : conns) {
    bool expired;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = records_.find(idle.conn.base_ptr().get());
      expired = it == records_.end() || it->second.expire_at <= Clock::now();
    }
    if (expired) {
      log(PoolLogLevel::kInfo, "discarding expired connection of pool " + quoted(name_));
      replace(std::move(idle.conn));
      continue;
    }
    try {
      check_connection(idle.conn);
    } catch (...) {
      count(kConnectionsLost);
      log(PoolLogLevel::kWarning, "discarding broken connection of pool " + quoted(name_) + ": " +
                                      current_exception_message());
      replace(std::move(idle.conn));
      continue;
    }
    add_to_pool(std::move(idle.conn));
  }
}

void ConnectionPool::check_connection(Connection& conn) {
  conn.run(pool_internal::empty_query(conn.base()));
}

void ConnectionPool::drain() {
  std::deque<Idle> conns;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++generation_;
    conns.swap(idle_);
    for (const Idle& idle : conns) {
      forget_locked(idle.conn);
      if (!closed_) run_task(Task{Task::Kind::kAddConnection});
    }
  }
  conns.clear();
}

PoolStats ConnectionPool::get_stats() const { return collect_stats(/*reset=*/false); }

PoolStats ConnectionPool::pop_stats() { return collect_stats(/*reset=*/true); }

PoolStats ConnectionPool::collect_stats(bool reset) const {
  PoolStats stats;
  for (int i = 0; i < kCounterCount; ++i) {
    const std::int64_t value = reset ? counters_[i].exchange(0, std::memory_order_relaxed)
                                     : counters_[i].load(std::memory_order_relaxed);
    if (value != 0) stats[kCounterNames[i]] = value;
  }
  std::lock_guard<std::mutex> lock(mu_);
  stats["pool_min"] = min_size_;
  stats["pool_max"] = max_size_;
  stats["pool_size"] = nconns_;
  stats["pool_available"] = static_cast<std::int64_t>(idle_.size());
  stats["requests_waiting"] = static_cast<std::int64_t>(waiting_.size());
  return stats;
}

void ConnectionPool::log(PoolLogLevel level, const std::string& message) const {
  if (!options_.log) return;
  try {
    options_.log(level, message);
  } catch (...) {
    // Logging never changes what the pool does.
  }
}

}  // namespace pgcpp
