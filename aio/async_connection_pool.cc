#include "pgcpp/aio/async_connection_pool.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <exception>
#include <list>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

#include "pgcpp/core/connect_options.h"
#include "pgcpp/core/connection.h"
#include "pgcpp/core/conninfo.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/core/pq.h"
#include "pgcpp/pool/backoff.h"
#include "pgcpp/pool/empty_query.h"
#include "pgcpp/pool/pool_checks.h"

namespace pgcpp {

namespace aio_internal {

namespace {

// The sync pool's backoff, option checks and message texts (pgcpp/pool/backoff.h,
// pgcpp/pool/pool_checks.h): both pools behave and report alike.
using namespace pool_internal;  // NOLINT(build/namespaces)

// The connection's BaseConnection, or nullptr for a moved-from AsyncConnection.
const BaseConnection* base_of(const AsyncConnection& conn) {
  try {
    return &conn.base();
  } catch (const OperationalError&) {
    return nullptr;
  }
}

std::string default_name() {
  static int pools = 0;  // one loop thread per pool, but several pools may be made anywhere
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  return "async-pool-" + std::to_string(++pools);
}

// `item` in `list` for the lifetime of this guard.
template <class T>
class Listed {
 public:
  Listed(std::list<T*>& list, T* item) : list_(list), position_(list.insert(list.end(), item)) {}
  ~Listed() { list_.erase(position_); }
  Listed(const Listed&) = delete;
  Listed& operator=(const Listed&) = delete;

 private:
  std::list<T*>& list_;
  typename std::list<T*>::iterator position_;
};

}  // namespace

class PoolWaiter;
using ConnectAttempt = OperationAwaiter<PGconnPtr>;

// What the pool knows about each of its connections.
struct Record {
  std::weak_ptr<BaseConnection> base;  // expired: the client dropped it without putconn()
  Clock::time_point expire_at;
  std::uint64_t generation = 0;  // drain() generation when the attempt started
};

// Everything the pool and its background tasks share (they may outlive the pool object).
struct PoolState : std::enable_shared_from_this<PoolState> {
  std::string conninfo;
  PoolOptions options;
  std::string name;
  int min_size = 0;
  int max_size = 0;
  EventLoop* loop = nullptr;  // set by open()
  int nconns = 0;             // connections idle, lent out or being made
  bool opened = false;
  bool closed = true;
  bool growing = false;
  std::size_t nconns_min = 0;    // fewest idle connections since the last shrink
  std::uint64_t generation = 0;  // drain() count
  std::deque<AsyncConnection> idle;
  std::list<PoolWaiter*> clients;                             // getconn(), FIFO
  std::list<PoolWaiter*> fill_waiters;                        // wait()
  std::list<PoolWaiter*> sleepers;                            // backoff and max_idle naps
  std::list<ConnectAttempt*> attempts;                        // connections being made
  std::unordered_map<const BaseConnection*, Record> records;  // this pool's connections
  AsyncPoolStats counters;  // psycopg's counter names; only those that were counted

  std::string quoted_name() const { return "'" + name + "'"; }
  void count(const char* counter, std::int64_t n = 1) { counters[counter] += n; }
  void log(PoolLogLevel level, const std::string& message) const {
    if (!options.log) return;
    try {
      options.log(level, message);
    } catch (...) {
      // Logging never changes what the pool does.
    }
  }
  void throw_if_not_open() const {
    if (!closed) return;
    if (opened) throw PoolClosed("the pool " + quoted_name() + " is already closed");
    throw PoolClosed("the pool " + quoted_name() + " is not open yet");
  }

  void add_to_pool(AsyncConnection conn);
  void replace(AsyncConnection conn);
  void forget(const AsyncConnection& conn) {
    if (const BaseConnection* base = base_of(conn)) records.erase(base);
  }
  // Older than max_lifetime, made before the last drain(), or not this pool's.
  bool stale(const AsyncConnection& conn) const;
  void spawn_add_connection(bool growing);
  void maybe_grow();
  // Replaces the connections that clients destroyed without returning them.
  void reclaim_lost();
  void shrink();
  void close_now();
};

// A task waiting in one of the pool's queues (getconn() for a connection, wait() for min_size
// idle ones) until the pool hands it a connection, fails or wakes it, or its deadline passes.
// It queues itself on construction and leaves the queue when destroyed (an abandoned task); a
// connection handed to it that it never took goes back to the pool.
class PoolWaiter : public Waiter {
 public:
  PoolWaiter(PoolState& state, std::list<PoolWaiter*>& queue, Clock::time_point deadline)
      : Waiter(*state.loop),
        state_(state),
        queue_(queue),
        position_(queue.insert(queue.end(), this)),
        deadline_(deadline) {}
  ~PoolWaiter() override {
    if (queued_) queue_.erase(position_);
    if (conn_) state_.add_to_pool(std::move(*conn_));
  }

  bool await_ready() const { return !queued_; }
  void await_suspend(std::coroutine_handle<> task) {
    task_ = task;
    watch_until(deadline_);
  }
  void await_resume() const {}
  void on_ready(Ready, std::exception_ptr) override {
    if (queued_) {  // the deadline passed
      queue_.erase(position_);
      queued_ = false;
    }
    task_.resume();
  }

  // By the pool, after taking this waiter off its queue.
  void give(AsyncConnection conn) {
    conn_.emplace(std::move(conn));
    wake();
  }
  void fail(std::exception_ptr error) {
    error_ = std::move(error);
    wake();
  }
  void wake() {
    queued_ = false;
    woken_ = true;
    if (task_) {
      unwatch();
      schedule();
    }
  }

  bool woken() const { return woken_; }
  const std::exception_ptr& error() const { return error_; }
  std::optional<AsyncConnection> take() { return std::exchange(conn_, std::nullopt); }

 private:
  PoolState& state_;
  std::list<PoolWaiter*>& queue_;
  std::list<PoolWaiter*>::iterator position_;
  Clock::time_point deadline_;
  std::coroutine_handle<> task_;
  bool queued_ = true;
  bool woken_ = false;
  std::optional<AsyncConnection> conn_;
  std::exception_ptr error_;
};

void PoolState::add_to_pool(AsyncConnection conn) {
  if (closed) {
    forget(conn);
    return;  // `conn` closes on the way out
  }
  // A waiter still in the queue is still waiting: one that timed out has left it.
  if (!clients.empty()) {
    PoolWaiter* waiter = clients.front();
    clients.pop_front();
    waiter->give(std::move(conn));
    return;
  }
  idle.push_back(std::move(conn));
  if (idle.size() >= static_cast<std::size_t>(min_size)) {
    while (!fill_waiters.empty()) {
      PoolWaiter* waiter = fill_waiters.front();
      fill_waiters.pop_front();
      waiter->wake();
    }
  }
}

void PoolState::close_now() {
  if (closed) return;
  closed = true;
  for (const AsyncConnection& conn : idle) forget(conn);
  idle.clear();  // closes them
  for (ConnectAttempt* attempt : attempts) {
    attempt->interrupt(
        std::make_exception_ptr(PoolClosed("the pool " + quoted_name() + " is closed")));
  }
  while (!clients.empty()) {
    PoolWaiter* waiter = clients.front();
    clients.pop_front();
    waiter->fail(std::make_exception_ptr(PoolClosed("the pool " + quoted_name() + " is closed")));
  }
  for (std::list<PoolWaiter*>* queue : {&fill_waiters, &sleepers}) {
    while (!queue->empty()) {
      PoolWaiter* waiter = queue->front();
      queue->pop_front();
      waiter->wake();
    }
  }
}

bool PoolState::stale(const AsyncConnection& conn) const {
  const BaseConnection* base = base_of(conn);
  auto it = base ? records.find(base) : records.end();
  return it == records.end() || it->second.expire_at <= Clock::now() ||
         it->second.generation < generation;
}

void PoolState::reclaim_lost() {
  for (auto it = records.begin(); it != records.end();) {
    if (!it->second.base.expired()) {
      ++it;
      continue;
    }
    it = records.erase(it);
    count("connections_lost");
    log(PoolLogLevel::kWarning, "a connection of pool " + quoted_name() +
                                    " was destroyed without being returned: replacing it");
    if (!closed) spawn_add_connection(/*growing=*/false);
  }
}

void PoolState::shrink() {
  reclaim_lost();
  const std::size_t unused_min = nconns_min;
  nconns_min = idle.size();
  if (!should_shrink(nconns, min_size, unused_min, idle.size())) return;
  AsyncConnection conn = std::move(idle.front());
  idle.pop_front();
  forget(conn);
  --nconns;
  nconns_min = idle.size();
  log(PoolLogLevel::kInfo, shrinking_message(quoted_name(), nconns, unused_min, options.max_idle));
}  // `conn` closes here

namespace {

// Until `delay` has passed or the pool closes.
Task<void> nap(std::shared_ptr<PoolState> state, Clock::duration delay) {
  PoolWaiter sleeper(*state, state->sleepers, Clock::now() + delay);
  co_await sleeper;
}

// A new connection, registered with the pool (its record: lifetime, drain() generation).
Task<AsyncConnection> connect_one(std::shared_ptr<PoolState> state) {
  const std::string conninfo = state->conninfo;
  ConnectOptions options = state->options.connect_options_fn ? state->options.connect_options_fn()
                                                             : state->options.connect_options;
  if (!options.connect_timeout &&
      !get_param(conninfo_to_dict(conninfo, conninfo_overrides(options)), "connect_timeout")) {
    options.connect_timeout = kDefaultPoolConnectTimeout;
  }
  const std::uint64_t generation = state->generation;  // a drain() from now on replaces it too
  state->count("connections_num");
  const Clock::time_point started = Clock::now();
  PGconnPtr pgconn;
  {
    // close() abandons the attempt (PoolClosed), which closes its socket.
    ConnectAttempt attempt = state->loop->drive(connect_operation(conninfo, options));
    Listed<ConnectAttempt> listed(state->attempts, &attempt);
    pgconn = co_await attempt;
  }
  state->count("connections_ms", to_ms(Clock::now() - started));
  AsyncConnection conn = AsyncConnection::adopt(*state->loop, std::move(pgconn), options);
  // A connection destroyed unreturned may have left its record at this address.
  state->reclaim_lost();
  state->records[&conn.base()] =
      Record{conn.base().weak_from_this(),
             Clock::now() + pool_internal::jitter(capped(state->options.max_lifetime), -0.05, 0.0),
             generation};
  co_return conn;
}

// The background task making one connection, retrying with backoff until reconnect_timeout;
// when `growing`, it goes on growing the pool by one while clients wait and there is room.
// Nothing escapes it (an exception would stop the loop's run()).
Task<void> add_connection(std::shared_ptr<PoolState> state, bool growing) {
  AttemptWithBackoff attempt(Clock::now(), capped(state->options.reconnect_timeout));
  std::optional<AsyncConnection> conn;
  while (!state->closed) {
    try {
      Task<AsyncConnection> connecting = connect_one(state);
      AsyncConnection made = co_await std::move(connecting);
      conn.emplace(std::move(made));
      break;
    } catch (const PoolClosed&) {
      break;  // abandoned by close(), not failed
    } catch (...) {
      state->count("connections_errors");
      state->log(PoolLogLevel::kWarning, "error connecting in pool " + state->quoted_name() + ": " +
                                             current_exception_message());
    }
    const Clock::time_point now = Clock::now();
    if (attempt.time_to_give_up(now)) {
      state->log(PoolLogLevel::kWarning,
                 "reconnection attempt in pool " + state->quoted_name() + " failed after " +
                     seconds_text(state->options.reconnect_timeout) + " sec");
      --state->nconns;
      if (growing) state->growing = false;
      co_return;
    }
    attempt.update_delay(now);
    Task<void> napping = nap(state, attempt.delay());
    co_await std::move(napping);
  }
  if (!conn) co_return;  // the pool closed
  state->add_to_pool(std::move(*conn));
  if (!growing) co_return;
  // Keep growing while below min_size, or while clients wait and there is room.
  if (!state->closed && (state->nconns < state->min_size ||
                         (state->nconns < state->max_size && !state->clients.empty()))) {
    ++state->nconns;
    state->log(PoolLogLevel::kInfo,
               "growing pool " + state->quoted_name() + " to " + std::to_string(state->nconns));
    state->spawn_add_connection(/*growing=*/true);
  } else {
    state->growing = false;
  }
}

// Every max_idle, shrink() (psycopg's ShrinkPool task), until the pool closes.
Task<void> shrink_periodically(std::shared_ptr<PoolState> state) {
  while (!state->closed) {
    Task<void> napping = nap(state, capped(state->options.max_idle));
    co_await std::move(napping);
    if (!state->closed) state->shrink();
  }
}

}  // namespace

void PoolState::spawn_add_connection(bool growing) {
  loop->spawn(add_connection(shared_from_this(), growing));
}

void PoolState::maybe_grow() {
  if (growing || nconns >= max_size) return;
  ++nconns;
  growing = true;
  log(PoolLogLevel::kInfo, "growing pool " + quoted_name() + " to " + std::to_string(nconns));
  spawn_add_connection(/*growing=*/true);
}

void PoolState::replace(AsyncConnection conn) {
  forget(conn);
  if (!closed) spawn_add_connection(/*growing=*/false);
}

namespace {

void check_unsupported(bool set, const char* option) {
  if (set) {
    throw std::invalid_argument(std::string("AsyncConnectionPool does not support PoolOptions::") +
                                option + " (a callback on a sync Connection or pool)");
  }
}

Task<void> wait_filled(std::shared_ptr<PoolState> state, PoolDuration timeout) {
  state->throw_if_not_open();
  if (state->idle.size() >= static_cast<std::size_t>(state->min_size)) co_return;
  PoolWaiter waiter(*state, state->fill_waiters, Clock::now() + capped(timeout));
  co_await waiter;
  state->throw_if_not_open();
  if (waiter.woken()) co_return;
  state->close_now();
  throw PoolTimeout("pool initialization incomplete after " + seconds_text(timeout) + " sec");
}

Task<AsyncConnection> get_connection(std::shared_ptr<PoolState> state,
                                     std::optional<PoolDuration> timeout) {
  const PoolDuration wait_for = timeout.value_or(state->options.timeout);
  check_not_negative(wait_for, "timeout");
  state->throw_if_not_open();
  state->count("requests_num");
  if (!state->idle.empty()) {
    // Taken from the left, returned on the right: connections rotate evenly.
    AsyncConnection conn = std::move(state->idle.front());
    state->idle.pop_front();
    state->nconns_min = std::min(state->nconns_min, state->idle.size());
    co_return conn;
  }
  if (state->nconns >= state->max_size) state->reclaim_lost();
  const int max_waiting = state->options.max_waiting;
  if (max_waiting > 0 && state->clients.size() >= static_cast<std::size_t>(max_waiting)) {
    state->count("requests_errors");
    throw TooManyRequests("the pool " + state->quoted_name() + " has already " +
                          std::to_string(state->clients.size()) + " requests waiting");
  }
  const Clock::time_point queued_at = Clock::now();
  PoolWaiter waiter(*state, state->clients, queued_at + capped(wait_for));
  state->count("requests_queued");
  state->maybe_grow();
  co_await waiter;
  state->count("requests_wait_ms", to_ms(Clock::now() - queued_at));
  if (std::optional<AsyncConnection> conn = waiter.take()) co_return std::move(*conn);
  state->count("requests_errors");
  if (waiter.error()) std::rethrow_exception(waiter.error());
  throw PoolTimeout("couldn't get a connection after " + seconds_2f(wait_for) + " sec");
}

Task<void> return_connection(std::shared_ptr<PoolState> state, AsyncConnection conn) {
  const BaseConnection* base = base_of(conn);
  if (base == nullptr) throw std::invalid_argument("putconn() was given a moved-from connection");
  auto record = state->records.find(base);
  if (record == state->records.end()) {
    throw std::invalid_argument("can't return connection to pool " + state->quoted_name() +
                                ": it doesn't come from it");
  }
  if (state->closed) {
    state->records.erase(record);
    co_return;  // `conn` closes on the way out
  }
  const TransactionStatus status = conn.transaction_status();
  if (status == TransactionStatus::kActive) {
    state->log(PoolLogLevel::kWarning, "closing returned connection in status ACTIVE");
    state->replace(std::move(conn));
    co_return;
  }
  if (status == TransactionStatus::kInTrans || status == TransactionStatus::kInError) {
    state->log(PoolLogLevel::kWarning,
               std::string("rolling back returned connection in status ") + to_string(status));
    try {
      Task<void> rolling_back = conn.rollback();
      co_await std::move(rolling_back);
    } catch (...) {
      state->log(PoolLogLevel::kWarning,
                 "rollback failed: " + current_exception_message() + ". Discarding connection");
    }
  }
  if (conn.transaction_status() != TransactionStatus::kIdle) {
    state->count("returns_bad");
    state->log(PoolLogLevel::kWarning,
               "discarding closed connection of pool " + state->quoted_name());
    state->replace(std::move(conn));
    co_return;
  }
  if (state->stale(conn)) {  // the pool may also have closed during the rollback
    state->log(PoolLogLevel::kInfo,
               "discarding expired connection of pool " + state->quoted_name());
    state->replace(std::move(conn));
    co_return;
  }
  state->add_to_pool(std::move(conn));
}

Task<void> open_pool(std::shared_ptr<PoolState> state, bool wait, PoolDuration timeout) {
  if (state->closed) {
    if (state->opened) {
      throw PoolClosed("pool " + state->quoted_name() +
                       " has already been opened/closed and cannot be reused");
    }
    state->loop = &aio_internal::running_loop("AsyncConnectionPool::open()");
    state->closed = false;
    state->opened = true;
    state->nconns = state->min_size;
    state->nconns_min = static_cast<std::size_t>(state->min_size);
    for (int i = 0; i < state->min_size; ++i) state->spawn_add_connection(/*growing=*/false);
    state->loop->spawn(shrink_periodically(state));
  }
  if (wait) {
    Task<void> waiting = wait_filled(state, timeout);
    co_await std::move(waiting);
  }
}

// check(): as ConnectionPool::check().
Task<void> check_pool(std::shared_ptr<PoolState> state) {
  state->throw_if_not_open();
  std::deque<AsyncConnection> conns;
  conns.swap(state->idle);
  state->reclaim_lost();
  // A pool with no connection gets a chance to grow (a no-op when full or already growing).
  state->maybe_grow();
  for (AsyncConnection& conn : conns) {
    if (state->stale(conn)) {
      state->log(PoolLogLevel::kInfo,
                 "discarding expired connection of pool " + state->quoted_name());
      state->replace(std::move(conn));
      continue;
    }
    bool works = true;
    try {
      Task<void> checking = conn.run(empty_query(conn.base()));
      co_await std::move(checking);
    } catch (...) {
      works = false;
      state->count("connections_lost");
      state->log(PoolLogLevel::kWarning, "discarding broken connection of pool " +
                                             state->quoted_name() + ": " +
                                             current_exception_message());
    }
    if (works) {
      state->add_to_pool(std::move(conn));
    } else {
      state->replace(std::move(conn));
    }
  }
}

}  // namespace
}  // namespace aio_internal

using aio_internal::base_of;
using aio_internal::check_not_negative;
using aio_internal::check_unsupported;
using aio_internal::current_exception_message;
using aio_internal::default_name;
using aio_internal::get_connection;
using aio_internal::PoolState;
using aio_internal::return_connection;
using aio_internal::seconds_text;
using aio_internal::to_ms;

AsyncConnectionPool::AsyncConnectionPool(std::string conninfo, PoolOptions options)
    : state_(std::make_shared<PoolState>()) {
  check_unsupported(static_cast<bool>(options.configure), "configure");
  check_unsupported(static_cast<bool>(options.check), "check");
  check_unsupported(static_cast<bool>(options.reset), "reset");
  check_unsupported(static_cast<bool>(options.on_acquire), "on_acquire");
  check_unsupported(static_cast<bool>(options.on_release), "on_release");
  check_unsupported(static_cast<bool>(options.reconnect_failed), "reconnect_failed");
  std::tie(state_->min_size, state_->max_size) =
      pool_internal::checked_sizes(options.min_size, options.max_size);
  if (options.max_waiting < 0) {
    throw std::invalid_argument("max_waiting cannot be negative, got " +
                                std::to_string(options.max_waiting));
  }
  check_not_negative(options.timeout, "timeout");
  check_not_negative(options.reconnect_timeout, "reconnect_timeout");
  pool_internal::check_positive(options.max_lifetime, "max_lifetime");
  pool_internal::check_positive(options.max_idle, "max_idle");
  state_->conninfo = std::move(conninfo);
  state_->name = options.name.empty() ? default_name() : options.name;
  state_->options = std::move(options);
}

AsyncConnectionPool::~AsyncConnectionPool() { state_->close_now(); }

const std::string& AsyncConnectionPool::name() const { return state_->name; }
int AsyncConnectionPool::min_size() const { return state_->min_size; }
int AsyncConnectionPool::max_size() const { return state_->max_size; }
bool AsyncConnectionPool::closed() const { return state_->closed; }

Task<void> AsyncConnectionPool::open(bool wait, PoolDuration timeout) {
  return aio_internal::open_pool(state_, wait, timeout);
}

Task<void> AsyncConnectionPool::close() {
  state_->close_now();
  co_return;
}

Task<void> AsyncConnectionPool::wait(PoolDuration timeout) {
  return aio_internal::wait_filled(state_, timeout);
}

Task<AsyncConnection> AsyncConnectionPool::getconn(std::optional<PoolDuration> timeout) {
  return get_connection(state_, timeout);
}

Task<void> AsyncConnectionPool::putconn(AsyncConnection conn) {
  return return_connection(state_, std::move(conn));
}

Task<void> AsyncConnectionPool::run_connection(std::function<Task<void>(AsyncConnection&)> body,
                                               std::optional<PoolDuration> timeout) {
  std::shared_ptr<PoolState> state = state_;
  Task<AsyncConnection> getting = get_connection(state, timeout);
  AsyncConnection conn = co_await std::move(getting);
  const Clock::time_point taken_at = Clock::now();
  std::exception_ptr error;
  try {
    co_await body(conn);
  } catch (...) {
    error = std::current_exception();
  }
  if (base_of(conn) == nullptr) co_return;  // the body moved the connection out: it is its own
  if (!conn.closed()) {
    try {
      Task<void> ending;
      if (error) {
        ending = conn.rollback();
      } else {
        ending = conn.commit();
      }
      co_await std::move(ending);
    } catch (...) {
      // psycopg: a failed rollback must not hide the exception that caused it.
      if (error) {
        state->log(PoolLogLevel::kWarning, "error ignored in rollback of a connection of pool " +
                                               state->quoted_name() + ": " +
                                               current_exception_message());
      } else {
        error = std::current_exception();
      }
    }
  }
  state->count("usage_ms", to_ms(Clock::now() - taken_at));
  Task<void> returning = return_connection(state, std::move(conn));
  co_await std::move(returning);
  if (error) std::rethrow_exception(error);
}

Task<void> AsyncConnectionPool::check() { return aio_internal::check_pool(state_); }

Task<void> AsyncConnectionPool::drain() {
  PoolState& state = *state_;
  ++state.generation;  // connections lent out are replaced when they come back
  std::deque<AsyncConnection> conns;
  conns.swap(state.idle);
  for (const AsyncConnection& conn : conns) {
    state.forget(conn);
    if (!state.closed) state.spawn_add_connection(/*growing=*/false);
  }
  co_return;  // `conns` close
}

Task<void> AsyncConnectionPool::resize(int min_size, std::optional<int> max_size) {
  PoolState& state = *state_;
  const auto [min, max] = pool_internal::checked_sizes(min_size, max_size);
  const int grow = pool_internal::connections_to_reach(min, state.nconns);
  state.log(PoolLogLevel::kInfo, "resizing pool " + state.quoted_name() + " to min_size=" +
                                     std::to_string(min) + " max_size=" + std::to_string(max));
  state.min_size = min;
  state.max_size = max;
  state.nconns += grow;
  // Before open(), open() makes min_size connections.
  if (!state.closed) {
    for (int i = 0; i < grow; ++i) state.spawn_add_connection(/*growing=*/false);
  }
  co_return;
}

AsyncPoolStats AsyncConnectionPool::pop_stats() {
  AsyncPoolStats stats = get_stats();
  state_->counters.clear();
  return stats;
}

AsyncPoolStats AsyncConnectionPool::get_stats() const {
  AsyncPoolStats stats;
  for (const auto& [name, value] : state_->counters) {
    if (value != 0) stats[name] = value;
  }
  stats["pool_min"] = state_->min_size;
  stats["pool_max"] = state_->max_size;
  stats["pool_size"] = state_->nconns;
  stats["pool_available"] = static_cast<std::int64_t>(state_->idle.size());
  stats["requests_waiting"] = static_cast<std::int64_t>(state_->clients.size());
  return stats;
}

}  // namespace pgcpp
