#include "pgcpp/pool/pool_test_util.h"

#include <thread>
#include <utility>

#include "pgcpp/core/base_connection.h"
#include "pgcpp/core/operation.h"
#include "pgcpp/testing/fault_proxy.h"

namespace pgcpp::pool_testing {

namespace {

Operation<PGresultPtr> execute_operation(BaseConnection& base, std::string sql) {
  co_await base.start_query();
  co_return co_await base.exec_query(std::move(sql));
}

std::string first_value(const PGresultPtr& result) {
  if (PQntuples(result.get()) < 1 || PQnfields(result.get()) < 1) return "";
  return PQgetvalue(result.get(), 0, 0);
}

}  // namespace

PGresultPtr execute(Connection& conn, std::string sql) {
  return conn.run(execute_operation(conn.base(), std::move(sql)));
}

std::string query_value(Connection& conn, std::string sql) {
  return first_value(execute(conn, std::move(sql)));
}

std::string admin_value(const std::string& dsn, std::string sql) {
  Connection conn = Connection::connect(dsn, {.autocommit = true});
  return query_value(conn, std::move(sql));
}

void admin_execute(const std::string& dsn, std::string sql) {
  Connection conn = Connection::connect(dsn, {.autocommit = true});
  conn.exec_command(std::move(sql));
}

bool eventually(const std::function<bool()>& condition, Clock::duration timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::int64_t stat(const ConnectionPool& pool, const std::string& key) {
  PoolStats stats = pool.get_stats();
  auto it = stats.find(key);
  return it == stats.end() ? 0 : it->second;
}

int dead_port() {
  pgcpp::testing::FaultProxy proxy("127.0.0.1", 1);
  proxy.stop_accepting();
  return proxy.port();
}

PoolLogger LogRecorder::logger() {
  return [this](PoolLogLevel, std::string_view message) {
    std::lock_guard<std::mutex> lock(mu_);
    messages_.emplace_back(message);
  };
}

std::vector<std::string> LogRecorder::messages() const {
  std::lock_guard<std::mutex> lock(mu_);
  return messages_;
}

int LogRecorder::count(std::string_view substring) const {
  std::lock_guard<std::mutex> lock(mu_);
  int n = 0;
  for (const std::string& message : messages_) {
    if (message.find(substring) != std::string::npos) ++n;
  }
  return n;
}

}  // namespace pgcpp::pool_testing
