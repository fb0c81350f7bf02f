// Transaction blocks: BEGIN/COMMIT for the outermost block, savepoints inside.
//
// As a scope guard: the block commits when the scope ends normally and rolls
// back when an exception leaves it (the exception goes on):
//
//   {
//     pgcpp::Transaction tx = conn.transaction();       // BEGIN
//     conn.execute("INSERT INTO t VALUES (1)");
//     {
//       auto inner = conn.transaction();                // SAVEPOINT "_pg3_2"
//       conn.execute("INSERT INTO t VALUES (2)");
//     }                                                 // RELEASE "_pg3_2"
//   }                                                   // COMMIT
//
// With a function, a Rollback exception is also understood: `throw
// pgcpp::Rollback()` rolls back the innermost block and stops there;
// `throw pgcpp::Rollback(tx)` unwinds every block up to `tx`, rolls them back
// and stops at `tx`; the code after the transaction() call goes on normally:
//
//   conn.transaction([&](pgcpp::Transaction& tx) {
//     conn.execute("DELETE FROM t");
//     if (!sure) throw pgcpp::Rollback(tx);
//   });
//
// psycopg's rules and exact commands: the outer block (connection idle, even in
// autocommit) sends the connection's BEGIN statement, plus SAVEPOINT "<name>"
// when a name was given; an inner block always uses a savepoint, named
// "_pg3_<n>" (n = open blocks + 1) unless named. Normal exit: RELEASE (inner)
// or COMMIT (outer). Exception or force_rollback: ROLLBACK TO + RELEASE (inner)
// or ROLLBACK (outer). commit()/rollback() on the connection are refused inside
// a block, and blocks must end innermost first (OutOfOrderTransactionNesting).
// If the connection is closed or broken at exit, no command is sent and the
// status is kFailed.
#ifndef PGCPP_CORE_TRANSACTION_H_
#define PGCPP_CORE_TRANSACTION_H_

#include <exception>
#include <memory>
#include <optional>
#include <string>

#include "pgcpp/core/base_connection.h"
#include "pgcpp/core/operation.h"

namespace pgcpp {

struct TransactionOptions {
  std::optional<std::string> savepoint_name{};
  bool force_rollback = false;
};

// The state and protocol of one block, shared by Transaction and //aio.
class TransactionBlock {
 public:
  enum class Status {
    kNotStarted,
    kActive,
    kCommitted,
    kFailed,
    kRolledBackExplicitly,
    kRolledBackWithError,
  };

  TransactionBlock(std::shared_ptr<BaseConnection> conn, TransactionOptions options);
  TransactionBlock(const TransactionBlock&) = delete;
  TransactionBlock& operator=(const TransactionBlock&) = delete;

  // The caller holds the connection's lock while driving these.
  Operation<void> enter();
  // `failed`: an exception is leaving the block. `explicit_rollback`: it is a
  // Rollback (or force_rollback): the status says "explicitly".
  Operation<void> exit(bool failed, bool explicit_rollback);

  const std::string& savepoint_name() const { return savepoint_name_; }
  bool force_rollback() const { return force_rollback_; }
  void set_force_rollback(bool value) { force_rollback_ = value; }
  Status status() const { return status_; }
  BaseConnection& connection() const { return *conn_; }

 private:
  Operation<void> commit_block();
  Operation<void> rollback_block();

  std::shared_ptr<BaseConnection> conn_;
  std::string savepoint_name_;
  bool force_rollback_;
  bool outer_ = false;
  Status status_ = Status::kNotStarted;
};

// A synchronous transaction block (see the overview above). Not movable: it
// lives in the scope that opened it. Its destructor may throw (a failed
// COMMIT), so do not keep one in std::optional or std::unique_ptr, whose
// reset() is noexcept.
class Transaction {
 public:
  using Status = TransactionBlock::Status;

  // BEGIN or SAVEPOINT now. Prefer Connection::transaction().
  Transaction(std::shared_ptr<BaseConnection> conn, TransactionOptions options = {});
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // COMMIT/RELEASE, or ROLLBACK when an exception is leaving the scope or
  // force_rollback is set. Throws only when no exception is in flight.
  ~Transaction() noexcept(false);

  const std::string& savepoint_name() const { return block_.savepoint_name(); }
  bool force_rollback() const { return block_.force_rollback(); }
  Status status() const { return block_.status(); }

 private:
  template <class F>
  friend void run_transaction(std::shared_ptr<BaseConnection>, TransactionOptions, F&&);
  void rollback_explicitly();

  TransactionBlock block_;
  int uncaught_at_start_;
  bool ended_ = false;
};

// Thrown to roll back a block run through Connection::transaction(function).
class Rollback : public std::exception {
 public:
  // The innermost block.
  Rollback() = default;
  // `target` and every block inside it.
  explicit Rollback(const Transaction& target) : target_(&target) {}
  // The same for a block run by another driver (//aio's AsyncTransaction).
  explicit Rollback(const TransactionBlock& target) : target_(&target) {}
  const char* what() const noexcept override { return "transaction rollback requested"; }
  bool targets(const Transaction& tx) const { return target_ == nullptr || target_ == &tx; }
  bool targets(const TransactionBlock& block) const {
    return target_ == nullptr || target_ == &block;
  }

 private:
  const void* target_ = nullptr;  // a Transaction or a TransactionBlock
};

// Runs `body(tx)` inside a block; a Rollback aimed at this block is absorbed.
template <class F>
void run_transaction(std::shared_ptr<BaseConnection> conn, TransactionOptions options, F&& body) {
  Transaction tx(std::move(conn), std::move(options));
  try {
    body(tx);
  } catch (const Rollback& rollback) {
    tx.rollback_explicitly();
    if (!rollback.targets(tx)) throw;  // on to the block it names
  }
}

}  // namespace pgcpp

#endif  // PGCPP_CORE_TRANSACTION_H_
