#include "pgcpp/pool/pool_test_util.h"

#include <optional>
#include <thread>
#include <utility>

namespace pgcpp::pool_testing {

void execute(Connection& conn, const std::string& sql) { conn.execute(sql); }

std::string query_value(Connection& conn, const std::string& sql) {
  return conn.execute(sql)
      .fetchone(scalar_row<std::optional<std::string>>)
      .value_or(std::nullopt)
      .value_or("");
}

std::string admin_value(const std::string& dsn, const std::string& sql) {
  Connection conn = Connection::connect(dsn, {.autocommit = true});
  return query_value(conn, sql);
}

void admin_execute(const std::string& dsn, const std::string& sql) {
  Connection conn = Connection::connect(dsn, {.autocommit = true});
  conn.exec_command(sql);
}

std::int64_t stat(const ConnectionPool& pool, const std::string& key) {
  PoolStats stats = pool.get_stats();
  auto it = stats.find(key);
  return it == stats.end() ? 0 : it->second;
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
