#include "pgcpp/core/connection.h"

#include <exception>
#include <utility>
#include <vector>

#include "pgcpp/core/conninfo.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/core/protocol.h"

namespace pgcpp {

namespace {

std::string describe_attempt(const ConnInfoDict& attempt) {
  auto get = [&](const char* key) {
    auto it = attempt.find(key);
    return it == attempt.end() ? std::string() : it->second;
  };
  return "host: '" + get("host") + "', port: '" + get("port") + "', hostaddr: '" + get("hostaddr") +
         "'";
}

}  // namespace

Operation<PGconnPtr> connect_operation(std::string conninfo, ConnectOptions options) {
  ConnInfoDict params = conninfo_to_dict(conninfo, conninfo_overrides(options));
  std::vector<ConnInfoDict> attempts = conninfo_attempts(params);
  Clock::duration timeout = timeout_from_conninfo(params);
  std::string failures;
  std::exception_ptr last;
  bool last_timed_out = false;
  for (const ConnInfoDict& attempt : attempts) {
    std::string message;
    try {
      co_return co_await protocol::connect(make_conninfo("", attempt), timeout);
    } catch (const ConnectionTimeout& e) {
      last = std::current_exception();
      last_timed_out = true;
      message = e.what();
    } catch (const OperationalError& e) {
      last = std::current_exception();
      last_timed_out = false;
      message = e.what();
    }
    failures += "\n- " + describe_attempt(attempt) + ": " + message;
  }
  if (!last) throw OperationalError("connection failed: no host to connect to");
  if (attempts.size() == 1) std::rethrow_exception(last);
  std::string message;
  try {
    std::rethrow_exception(last);
  } catch (const std::exception& e) {
    message = e.what();
  }
  message += "\nMultiple connection attempts failed. All failures were:" + failures;
  if (last_timed_out) throw ConnectionTimeout(message);
  throw OperationalError(message);
}

Connection::Connection(std::shared_ptr<BaseConnection> base) : base_(std::move(base)) {}

BaseConnection& Connection::base() const {
  if (!base_) throw OperationalError("the connection is closed");
  return *base_;
}

Connection Connection::connect(std::string_view conninfo, const ConnectOptions& options) {
  return adopt(wait(connect_operation(std::string(conninfo), options)), options);
}

Connection Connection::adopt(PGconnPtr pgconn, const ConnectOptions& options) {
  if (!pgconn) throw InterfaceError("Connection::adopt: no connection given");
  std::shared_ptr<BaseConnection> base =
      BaseConnection::adopt(std::move(pgconn), options.autocommit);
  base->set_cursor_factory(options.cursor_factory);
  PreparedStatements& prepared = base->prepared();
  prepared.set_prepare_threshold(options.prepare_threshold);
  prepared.set_prepared_max(options.prepared_max);
  prepared.set_prepared_binary_results(options.prepared_binary_results);
  return Connection(std::move(base));
}

Connection Connection::connect(const ConnectOptions& options) { return connect("", options); }

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    close();
    base_ = std::move(other.base_);
  }
  return *this;
}

Connection::~Connection() { close(); }

bool Connection::closed() const { return !base_ || base_->closed(); }

bool Connection::broken() const { return base_ && base_->broken(); }

void Connection::close() {
  if (!base_) return;
  std::lock_guard<ConnectionLock> guard(base_->lock());
  base_->close();
}

void Connection::cancel() {
  if (base_) base_->cancel();
}

void Connection::commit() { run(base().commit()); }

void Connection::rollback() { run(base().rollback()); }

bool Connection::autocommit() const { return base().autocommit(); }
void Connection::set_autocommit(bool value) { run(base().set_autocommit(value)); }

std::optional<IsolationLevel> Connection::isolation_level() const {
  return base().isolation_level();
}
void Connection::set_isolation_level(std::optional<IsolationLevel> value) {
  run(base().set_isolation_level(value));
}

std::optional<bool> Connection::read_only() const { return base().read_only(); }
void Connection::set_read_only(std::optional<bool> value) { run(base().set_read_only(value)); }

std::optional<bool> Connection::deferrable() const { return base().deferrable(); }
void Connection::set_deferrable(std::optional<bool> value) { run(base().set_deferrable(value)); }

CursorFactory Connection::cursor_factory() const { return base().cursor_factory(); }
void Connection::set_cursor_factory(CursorFactory factory) {
  std::lock_guard<ConnectionLock> guard(base().lock());
  base_->set_cursor_factory(factory);
}

Cursor Connection::cursor(CursorOptions options) const {
  switch (base().cursor_factory()) {
    case CursorFactory::kRawCursor:
      return RawCursor(base_, options);
    case CursorFactory::kClientCursor:
      return ClientCursor(base_, options);
    case CursorFactory::kCursor:
      break;
  }
  return Cursor(base_, options);
}

std::optional<int> Connection::prepare_threshold() const {
  return base().prepared().prepare_threshold();
}
void Connection::set_prepare_threshold(std::optional<int> value) {
  std::lock_guard<ConnectionLock> guard(base().lock());
  base_->prepared().set_prepare_threshold(value);
}

std::optional<int> Connection::prepared_max() const { return base().prepared().prepared_max(); }
void Connection::set_prepared_max(std::optional<int> value) {
  std::lock_guard<ConnectionLock> guard(base().lock());
  base_->prepared().set_prepared_max(value);
}

bool Connection::prepared_binary_results() const {
  return base().prepared().prepared_binary_results();
}
void Connection::set_prepared_binary_results(bool value) {
  std::lock_guard<ConnectionLock> guard(base().lock());
  base_->prepared().set_prepared_binary_results(value);
}

void Connection::exec_command(std::string command) { run(base().exec_command(std::move(command))); }

void Connection::add_notice_handler(NoticeHandler handler) {
  std::lock_guard<ConnectionLock> guard(base().lock());
  base_->add_notice_handler(std::move(handler));
}

}  // namespace pgcpp
