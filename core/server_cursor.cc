#include "pgcpp/core/server_cursor.h"

#include "pgcpp/core/errors.h"
#include "pgcpp/core/stream.h"
#include "pgcpp/core/waiting.h"

namespace pgcpp {

ServerCursor::ServerCursor(std::shared_ptr<BaseConnection> conn, std::string name,
                           ServerCursorOptions options)
    : conn_(conn),
      name_(std::move(name)),
      quoted_name_(sql::Identifier(name_).as_string()),
      options_(options),
      page_(std::move(conn), CursorOptions{.binary = options.binary}) {}

ServerCursor::ServerCursor(ServerCursor&& other) noexcept
    : itersize(other.itersize),
      arraysize(other.arraysize),
      conn_(std::move(other.conn_)),
      name_(std::move(other.name_)),
      quoted_name_(std::move(other.quoted_name_)),
      options_(other.options_),
      page_(std::move(other.page_)),
      params_(std::move(other.params_)),
      declared_(other.declared_),
      described_(other.described_),
      closed_(std::exchange(other.closed_, true)),
      page_full_(other.page_full_),
      pos_(other.pos_) {}

ServerCursor::~ServerCursor() {
  try {
    close();
  } catch (...) {
    // A destructor must not throw: the portal goes with its transaction or session anyway.
  }
}

void ServerCursor::run(Operation<void> op) {
  std::lock_guard<ConnectionLock> guard(conn_->lock());
  wait(std::move(op));
}

ServerCursor& ServerCursor::execute_values(std::string_view query, std::span<const Value> params) {
  page_.check_open();
  std::shared_ptr<const PgQuery> q = page_.converted(query, params.size());
  dump_params_into(params_, page_.adapters_, q->formats, params);
  return run_declare(q->query, &params_);
}

ServerCursor& ServerCursor::run_declare(std::string_view query, const DumpedParams* params) {
  if (closed_) throw InterfaceError("the cursor is closed");
  conn_->check_not_in_pipeline("server-side cursors");
  std::string statement = "DECLARE " + quoted_name_;
  if (options_.scrollable) statement += *options_.scrollable ? " SCROLL" : " NO SCROLL";
  statement += " CURSOR";
  if (options_.withhold) statement += " WITH HOLD";
  statement += " FOR ";
  statement.append(query);
  run(declare_operation(std::move(statement), params));
  return *this;
}

Operation<void> ServerCursor::declare_operation(std::string statement, const DumpedParams* params) {
  if (described_) co_await close_operation();  // the previous portal
  declared_ = described_ = page_full_ = false;
  pos_ = 0;
  page_.results_.clear();
  page_.select_result(0);
  co_await conn_->start_query();
  PGconn* pg = conn_->checked_pgconn();
  // Always the extended protocol: one statement, parameters bound by the server.
  const int sent =
      params ? PQsendQueryParams(pg, statement.c_str(), params->size(), params->types(),
                                 params->values(), params->lengths(), params->formats(), 0)
             : PQsendQueryParams(pg, statement.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0);
  if (sent == 0) {
    throw OperationalError("sending query failed: " + connection_error_message(pg));
  }
  page_.results_ = co_await conn_->execute_sent();
  page_.check_results();
  declared_ = true;
  co_await describe_operation();
}

Operation<void> ServerCursor::describe_operation() {
  PGconn* pg = conn_->checked_pgconn();
  if (PQsendDescribePortal(pg, name_.c_str()) == 0) {
    throw OperationalError("sending query failed: " + connection_error_message(pg));
  }
  page_.results_ = co_await conn_->execute_sent();
  page_.check_results();
  page_.select_result(0);
  described_ = true;
}

void ServerCursor::check_ready() {
  if (closed_) throw InterfaceError("the cursor is closed");
  conn_->check_not_in_pipeline("server-side cursors");
  if (!described_) run(describe_operation());  // an existing portal, e.g. a refcursor
}

Operation<void> ServerCursor::fetch_operation(std::string statement) {
  if (options_.binary) {
    PGconn* pg = conn_->checked_pgconn();
    if (PQsendQueryParams(pg, statement.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 1) == 0) {
      throw OperationalError("sending query failed: " + connection_error_message(pg));
    }
    page_.results_ = co_await conn_->execute_sent();
    page_.check_results();
  } else {
    // Through exec_query: the command observer sees it.
    page_.results_.clear();
    page_.results_.push_back(co_await conn_->exec_query(std::move(statement)));
  }
  page_.select_result(0);
}

void ServerCursor::fetch_page(size_t count) {
  check_ready();
  std::string statement = "FETCH FORWARD ";
  statement += count == 0 ? std::string("ALL") : std::to_string(count);
  statement += " FROM " + quoted_name_;
  run(fetch_operation(std::move(statement)));
  page_full_ = count != 0 && page_.ntuples() == static_cast<int64_t>(count);
}

bool ServerCursor::row_ready() {
  if (page_.pos_ < page_.ntuples()) return true;
  if (!page_full_) return false;
  fetch_page(itersize);
  return page_.pos_ < page_.ntuples();
}

ServerCursor::RowIterator ServerCursor::begin() {
  fetch_page(itersize);
  page_.row_description();
  return RowIterator(this);
}

void ServerCursor::scroll(int64_t value, ScrollMode mode) {
  check_ready();
  std::string statement = "MOVE ";
  if (mode == ScrollMode::kAbsolute) statement += "ABSOLUTE ";
  statement += std::to_string(value) + " FROM " + quoted_name_;
  page_.results_.clear();  // the page no longer follows the position
  page_.select_result(0);
  page_full_ = false;
  run(conn_->exec_command(std::move(statement)));
  pos_ = mode == ScrollMode::kRelative ? pos_ + value : value;
}

std::optional<int64_t> ServerCursor::rownumber() const {
  if (!described_) return std::nullopt;
  return pos_;
}

Operation<void> ServerCursor::close_operation() {
  const TransactionStatus status = conn_->transaction_status();
  // Not in a sane state (a failed transaction, a running command): don't try.
  if (status != TransactionStatus::kIdle && status != TransactionStatus::kInTrans) co_return;
  // Outside a transaction only a WITH HOLD cursor can still exist.
  if (status == TransactionStatus::kIdle && !options_.withhold) co_return;
  if (!declared_) {
    // Not ours (a refcursor): it may be gone already.
    PGresultPtr found = co_await conn_->exec_query(
        "SELECT 1 FROM pg_catalog.pg_cursors WHERE name = " + sql::quote(name_));
    if (PQntuples(found.get()) == 0) co_return;
  }
  co_await conn_->exec_command("CLOSE " + quoted_name_);
}

void ServerCursor::close() {
  if (closed_) return;
  closed_ = true;
  page_.results_.clear();
  page_.select_result(0);
  if (!conn_ || conn_->closed()) return;
  run(close_operation());
}

}  // namespace pgcpp
