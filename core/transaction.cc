#include "pgcpp/core/transaction.h"

#include <algorithm>

#include "pgcpp/core/errors.h"
#include "pgcpp/core/sql.h"
#include "pgcpp/core/waiting.h"

namespace pgcpp {

namespace {

std::string quoted(const std::string& name) { return sql::Identifier(name).as_string(); }

}  // namespace

TransactionBlock::TransactionBlock(std::shared_ptr<BaseConnection> conn, TransactionOptions options)
    : conn_(std::move(conn)),
      savepoint_name_(options.savepoint_name.value_or("")),
      force_rollback_(options.force_rollback) {}

Operation<void> TransactionBlock::enter() {
  if (status_ != Status::kNotStarted) {
    throw ProgrammingError("transaction blocks can be used only once");
  }
  conn_->checked_pgconn();
  // In a pipeline, entering and leaving a block are sync points (psycopg
  // wraps the block in two nested pipeline blocks).
  if (PipelineState* p = conn_->pipeline()) co_await p->sync_if_busy();
  std::vector<const void*>& blocks = conn_->transaction_blocks();
  outer_ = conn_->transaction_status() == TransactionStatus::kIdle;
  if (outer_) {
    co_await conn_->exec_command(conn_->begin_statement());
  } else if (savepoint_name_.empty()) {
    savepoint_name_ = "_pg3_" + std::to_string(blocks.size() + 1);
  }
  if (!savepoint_name_.empty())
    co_await conn_->exec_command("SAVEPOINT " + quoted(savepoint_name_));
  if (PipelineState* p = conn_->pipeline()) co_await p->sync_if_busy();
  blocks.push_back(this);
  status_ = Status::kActive;
}

Operation<void> TransactionBlock::exit(bool failed, bool explicit_rollback) {
  std::vector<const void*>& blocks = conn_->transaction_blocks();
  auto self = std::find(blocks.begin(), blocks.end(), this);
  if (self == blocks.end()) co_return;  // never entered
  if (self + 1 != blocks.end()) {
    blocks.erase(self);  // the inner blocks can still end; this one is over
    throw OutOfOrderTransactionNesting(
        "Out-of-order Transaction context exits. Blocks must end innermost first.");
  }
  // The error of a statement of the block still in the pipeline rolls the
  // block back, then goes on to the caller.
  std::exception_ptr pipeline_error;
  if (PipelineState* p = conn_->pipeline()) {
    try {
      co_await p->sync();
    } catch (...) {
      pipeline_error = std::current_exception();
      failed = true;
    }
  }
  blocks.pop_back();
  if (conn_->closed()) {
    status_ = Status::kFailed;
    if (pipeline_error) std::rethrow_exception(pipeline_error);
    co_return;
  }
  if (!failed && !force_rollback_) {
    co_await commit_block();
    status_ = Status::kCommitted;
  } else {
    co_await rollback_block();
    status_ = explicit_rollback || force_rollback_ ? Status::kRolledBackExplicitly
                                                   : Status::kRolledBackWithError;
  }
  if (PipelineState* p = conn_->pipeline()) co_await p->sync();
  if (pipeline_error) std::rethrow_exception(pipeline_error);
}

Operation<void> TransactionBlock::commit_block() {
  if (!outer_) {
    co_await conn_->exec_command("RELEASE " + quoted(savepoint_name_));
  } else {
    co_await conn_->exec_command("COMMIT");
  }
}

Operation<void> TransactionBlock::rollback_block() {
  if (!outer_) {
    co_await conn_->exec_command("ROLLBACK TO " + quoted(savepoint_name_));
    co_await conn_->exec_command("RELEASE " + quoted(savepoint_name_));
  } else {
    co_await conn_->exec_command("ROLLBACK");
  }
  // Either result ("ROLLBACK", also for ROLLBACK TO) clears the prepared
  // statements (BaseConnection::results_received): the rollback may have
  // undone a schema change a statement saw.
}

Transaction::Transaction(std::shared_ptr<BaseConnection> conn, TransactionOptions options)
    : block_(std::move(conn), std::move(options)), uncaught_at_start_(std::uncaught_exceptions()) {
  std::lock_guard<ConnectionLock> guard(block_.connection().lock());
  wait(block_.enter());
}

void Transaction::rollback_explicitly() {
  if (ended_) return;
  ended_ = true;
  std::lock_guard<ConnectionLock> guard(block_.connection().lock());
  wait(block_.exit(/*failed=*/true, /*explicit_rollback=*/true));
}

Transaction::~Transaction() noexcept(false) {
  if (ended_) return;
  ended_ = true;
  bool unwinding = std::uncaught_exceptions() > uncaught_at_start_;
  try {
    std::lock_guard<ConnectionLock> guard(block_.connection().lock());
    wait(block_.exit(unwinding, /*explicit_rollback=*/false));
  } catch (...) {
    // While an exception leaves the block, a failing rollback must not replace
    // it (psycopg keeps the original too); otherwise the failure is the news.
    if (!unwinding) throw;
  }
}

}  // namespace pgcpp
