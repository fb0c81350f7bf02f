#include "pgcpp/tpc/two_phase.h"

#include <cstring>
#include <exception>
#include <mutex>
#include <string>
#include <utility>

#include "pgcpp/core/errors.h"
#include "pgcpp/core/sql.h"
#include "pgcpp/core/waiting.h"

namespace pgcpp {

namespace {

constexpr const char* kOwnerReason = "cannot be used during a two-phase transaction";
constexpr const char* kCancelReason = "cannot be used with a prepared two-phase transaction";

using TextRows = std::vector<std::vector<std::string>>;

// The rows of a query as text (NULL as ""): the one place that reads rows,
// as an Operation (the Cursor runs only synchronously; //aio will drive this). Like psycopg's
// tpc_recover(), it leaves no transaction open that was not open before.
Operation<TextRows> fetch_text_rows(BaseConnection& conn, std::string query) {
  TransactionStatus before = conn.transaction_status();
  PGresultPtr result = co_await conn.exec_query(std::move(query));
  if (before == TransactionStatus::kIdle &&
      conn.transaction_status() == TransactionStatus::kInTrans) {
    co_await conn.exec_command("ROLLBACK");
  }
  TextRows rows(PQntuples(result.get()));
  for (int r = 0; r < PQntuples(result.get()); ++r) {
    for (int c = 0; c < PQnfields(result.get()); ++c) {
      rows[r].emplace_back(PQgetvalue(result.get(), r, c),
                           static_cast<size_t>(PQgetlength(result.get(), r, c)));
    }
  }
  co_return rows;
}

Xid::TimePoint::rep parse_microseconds(const std::string& text) {
  size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size()) {
    throw InterfaceError("unexpected prepared time from pg_prepared_xacts: '" + text + "'");
  }
  return value;
}

std::string prepared_command(const char* verb, const Xid& xid) {
  return std::string(verb) + " " + sql::quote(xid.to_string());
}

}  // namespace

BaseTwoPhase::BaseTwoPhase(std::shared_ptr<BaseConnection> conn) : conn_(std::move(conn)) {}

void BaseTwoPhase::enter(State state) {
  auto owning = [](State s) { return s == State::kActive || s == State::kPrepared; };
  bool owned = owning(state_);
  state_ = state;
  if (owning(state)) {
    conn_->set_transaction_owner(kOwnerReason);
    conn_->set_cancel_refusal(state == State::kPrepared ? kCancelReason : "");
  } else if (owned) {
    conn_->set_transaction_owner("");
    conn_->set_cancel_refusal("");
  }
  if (state == State::kNone) xid_.reset();
}

void BaseTwoPhase::release() { enter(State::kNone); }

Operation<void> BaseTwoPhase::begin(Xid xid) {
  if (state_ == State::kActive || state_ == State::kPrepared ||
      !conn_->transaction_owner().empty()) {
    throw ProgrammingError("begin() cannot be used during a two-phase transaction");
  }
  TransactionStatus status = conn_->transaction_status();
  if (status != TransactionStatus::kIdle) {
    throw ProgrammingError(std::string("can't start two-phase transaction: connection in status ") +
                           to_string(status));
  }
  if (conn_->autocommit()) {
    throw ProgrammingError("can't use two-phase transactions in autocommit mode");
  }
  xid_ = std::move(xid);
  enter(State::kActive);
  try {
    co_await conn_->exec_command(conn_->begin_statement());
  } catch (...) {
    enter(State::kNone);
    throw;
  }
}

Operation<void> BaseTwoPhase::prepare() {
  if (state_ == State::kNone || state_ == State::kAborted) {
    throw ProgrammingError("prepare() must be called inside a two-phase transaction");
  }
  if (state_ == State::kPrepared) {
    throw ProgrammingError("prepare() cannot be used during a prepared two-phase transaction");
  }
  if (conn_->transaction_status() == TransactionStatus::kInError) {
    throw errors::InFailedSqlTransaction(
        "can't prepare the two-phase transaction: it is in error (connection in status "
        "INERROR); roll it back with rollback()");
  }
  std::exception_ptr failure;
  try {
    PGresultPtr result = co_await conn_->exec_query(prepared_command("PREPARE TRANSACTION", *xid_));
    const char* tag = PQcmdStatus(result.get());
    if (std::strcmp(tag, "PREPARE TRANSACTION") != 0) {
      throw InterfaceError(std::string("PREPARE TRANSACTION answered '") + tag +
                           "': the transaction was not prepared");
    }
    enter(State::kPrepared);
    co_return;
  } catch (const errors::ObjectNotInPrerequisiteState& e) {
    // 55000 "prepared transactions are disabled": max_prepared_transactions = 0.
    failure = std::make_exception_ptr(
        NotSupportedError(e.what(), std::make_shared<const Diagnostic>(e.diag())));
  } catch (...) {
    failure = std::current_exception();
  }
  // PostgreSQL turns a failed PREPARE TRANSACTION into a ROLLBACK; only a lost
  // connection leaves the outcome unknown.
  enter(conn_->closed() ? State::kPrepared : State::kAborted);
  std::rethrow_exception(failure);
}

Operation<void> BaseTwoPhase::commit(std::optional<Xid> xid) {
  co_await finish(Action::kCommit, std::move(xid));
}

Operation<void> BaseTwoPhase::rollback(std::optional<Xid> xid) {
  co_await finish(Action::kRollback, std::move(xid));
}

Operation<void> BaseTwoPhase::finish(Action action, std::optional<Xid> xid) {
  const bool commit = action == Action::kCommit;
  const std::string name = commit ? "commit()" : "rollback()";
  if (xid) {
    if (state_ == State::kActive || state_ == State::kPrepared ||
        !conn_->transaction_owner().empty()) {
      throw ProgrammingError(name + " with xid must be called outside a two-phase transaction");
    }
    co_await conn_->exec_command(
        prepared_command(commit ? "COMMIT PREPARED" : "ROLLBACK PREPARED", *xid));
    co_return;
  }
  switch (state_) {
    case State::kNone:
      throw ProgrammingError(name + " without xid must be called within a two-phase transaction");
    case State::kAborted:
      enter(State::kNone);
      if (commit) {
        throw ProgrammingError(
            "commit() cannot be used: the two-phase transaction failed to prepare and was rolled "
            "back");
      }
      co_return;
    case State::kActive:
      // One-phase, through core's own commit()/rollback() once the guard is lifted.
      enter(State::kNone);
      // (No `co_await (c ? a() : b())`: GCC 12 destroys that temporary twice.)
      if (commit) {
        co_await conn_->commit();
      } else {
        co_await conn_->rollback();
      }
      co_return;
    case State::kPrepared:
      co_await conn_->exec_command(
          prepared_command(commit ? "COMMIT PREPARED" : "ROLLBACK PREPARED", *xid_));
      enter(State::kNone);
      co_return;
  }
}

Operation<std::vector<Xid>> BaseTwoPhase::recover() {
  // prepared as integer microseconds since the epoch: exact, and independent
  // of the session's DateStyle and TimeZone.
  TextRows rows = co_await fetch_text_rows(
      *conn_,
      "SELECT gid, (extract(epoch FROM prepared) * 1000000)::int8, owner, database "
      "FROM pg_prepared_xacts ORDER BY prepared, gid");
  std::vector<Xid> xids;
  xids.reserve(rows.size());
  for (std::vector<std::string>& row : rows) {
    Xid::TimePoint prepared{std::chrono::microseconds(parse_microseconds(row[1]))};
    xids.push_back(Xid::recovered(row[0], prepared, std::move(row[2]), std::move(row[3])));
  }
  co_return xids;
}

namespace {
// The connection's shared state; a moved-from Connection raises here.
std::shared_ptr<BaseConnection> shared_base(Connection& conn) {
  conn.base();
  return conn.base_ptr();
}
}  // namespace

TwoPhase::TwoPhase(Connection& conn) : conn_(shared_base(conn)), base_(conn_) {}

TwoPhase::~TwoPhase() {
  std::lock_guard<ConnectionLock> guard(conn_->lock());
  if (base_.state() == BaseTwoPhase::State::kActive && !conn_->closed()) {
    try {
      wait(base_.rollback(std::nullopt));
    } catch (...) {
      // Nothing better to do in a destructor: the server discards an open
      // transaction when the session ends, and never commits it.
    }
  }
  base_.release();
}

template <class T>
T TwoPhase::run(Operation<T> operation) const {
  std::lock_guard<ConnectionLock> guard(conn_->lock());
  return wait(std::move(operation));
}

void TwoPhase::begin(const Xid& xid) { run(base_.begin(xid)); }
void TwoPhase::begin(std::string_view gid) { begin(Xid::from_string(gid)); }
void TwoPhase::prepare() { run(base_.prepare()); }
void TwoPhase::commit() { run(base_.commit(std::nullopt)); }
void TwoPhase::commit(const Xid& xid) { run(base_.commit(xid)); }
void TwoPhase::commit(std::string_view gid) { commit(Xid::from_string(gid)); }
void TwoPhase::rollback() { run(base_.rollback(std::nullopt)); }
void TwoPhase::rollback(const Xid& xid) { run(base_.rollback(xid)); }
void TwoPhase::rollback(std::string_view gid) { rollback(Xid::from_string(gid)); }
std::vector<Xid> TwoPhase::recover() { return run(base_.recover()); }

BaseTwoPhase::State TwoPhase::state() const {
  std::lock_guard<ConnectionLock> guard(conn_->lock());
  return base_.state();
}

std::optional<Xid> TwoPhase::xid() const {
  std::lock_guard<ConnectionLock> guard(conn_->lock());
  return base_.xid();
}

}  // namespace pgcpp
