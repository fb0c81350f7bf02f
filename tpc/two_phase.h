// Two-phase commit (PostgreSQL's PREPARE TRANSACTION), psycopg's tpc_* methods.
//
// A TwoPhase object drives the two-phase transactions of one connection:
//
//   pgcpp::Connection conn = pgcpp::Connection::connect(dsn);   // not autocommit
//   pgcpp::TwoPhase tpc(conn);
//   pgcpp::Xid xid(1, "transfer-42", "bank-a");
//   tpc.begin(xid);                       // BEGIN
//   conn.exec_command("UPDATE accounts SET ...");
//   tpc.prepare();                        // PREPARE TRANSACTION '1_dHJh..._YmFu...'
//   tpc.commit();                         // COMMIT PREPARED '1_dHJh..._YmFu...'
//
// and recovers the ones a crashed coordinator left prepared, from any connection:
//
//   pgcpp::TwoPhase recovery(conn);
//   for (const pgcpp::Xid& x : recovery.recover()) {   // pg_prepared_xacts
//     if (x.database() == "bank" && decided_to_commit(x)) recovery.commit(x);
//   }
//
// Why an object and not free functions or Connection methods: a two-phase
// transaction has state (its xid, whether it is prepared) that belongs to
// whoever began it, and //core knows nothing of two-phase commit. psycopg's
// conn.tpc_begin(xid) is tpc.begin(xid) here, tpc_prepare() is prepare(), and
// so on. One TwoPhase may run any number of transactions one after the other;
// a second TwoPhase on the same connection cannot begin while the first one's
// transaction is active or prepared.
//
// psycopg's rules:
// - begin() needs an idle connection not in autocommit; it sends the
//   connection's BEGIN statement (isolation level etc. included).
// - While a two-phase transaction is active or prepared, the connection's
//   commit() and rollback() raise ProgrammingError; after prepare() so does
//   cancel() (until commit() or rollback()).
// - commit() / rollback() without an xid end this object's transaction: with
//   a one-phase COMMIT / ROLLBACK if it is not prepared, else with COMMIT
//   PREPARED / ROLLBACK PREPARED. With an xid (recovery) they must be called
//   outside a two-phase transaction and send COMMIT|ROLLBACK PREPARED for it.
// - A server with max_prepared_transactions = 0 makes prepare() raise
//   NotSupportedError.
// pgcpp's additions, so a coordinator never believes in a prepare that did not
// happen:
// - prepare() of a transaction in error raises errors::InFailedSqlTransaction
//   without sending PREPARE TRANSACTION (which PostgreSQL would answer with a
//   silent ROLLBACK); the transaction stays open for rollback().
// - When PREPARE TRANSACTION fails with the connection still open, PostgreSQL
//   has rolled the transaction back: the exception goes on, and afterwards
//   rollback() does nothing and commit() raises ProgrammingError. When the
//   connection is lost meanwhile, the outcome is unknown: recover() from
//   another connection tells.
// - Destroying a TwoPhase whose transaction is active and not prepared rolls
//   it back (never commits), as core's Transaction does; a prepared one stays
//   prepared on the server, for recovery.
//
// Transaction identifiers are sent as SQL literals (pgcpp::sql::quote), so any
// gid is safe. Thread safety: like the Connection (operations take its lock).
#ifndef PGCPP_TPC_TWO_PHASE_H_
#define PGCPP_TPC_TWO_PHASE_H_

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "pgcpp/core/base_connection.h"
#include "pgcpp/core/connection.h"
#include "pgcpp/core/operation.h"
#include "pgcpp/tpc/xid.h"

namespace pgcpp {

// The state and operations of two-phase transactions on one connection,
// shared by the sync TwoPhase and //aio. Every Operation assumes the caller
// holds the connection's lock() (see pgcpp/core/base_connection.h), and so do
// the accessors and release().
class BaseTwoPhase {
 public:
  enum class State {
    kNone,      // no two-phase transaction
    kActive,    // begun, not prepared
    kPrepared,  // PREPARE TRANSACTION succeeded (or its outcome is unknown)
    kAborted,   // PREPARE TRANSACTION failed and the server rolled back
  };

  explicit BaseTwoPhase(std::shared_ptr<BaseConnection> conn);
  BaseTwoPhase(const BaseTwoPhase&) = delete;
  BaseTwoPhase& operator=(const BaseTwoPhase&) = delete;

  Operation<void> begin(Xid xid);
  Operation<void> prepare();
  // nullopt: this object's transaction; an xid: recovery (see above).
  Operation<void> commit(std::optional<Xid> xid);
  Operation<void> rollback(std::optional<Xid> xid);
  // Every prepared transaction of the server (pg_prepared_xacts), oldest first.
  Operation<std::vector<Xid>> recover();

  State state() const { return state_; }
  // The transaction's xid while state() is not kNone.
  const std::optional<Xid>& xid() const { return xid_; }
  BaseConnection& connection() const { return *conn_; }

  // Forgets the transaction and lifts the connection's commit/rollback/cancel
  // guards, without talking to the server.
  void release();

 private:
  enum class Action { kCommit, kRollback };
  Operation<void> finish(Action action, std::optional<Xid> xid);
  void enter(State state);

  std::shared_ptr<BaseConnection> conn_;
  State state_ = State::kNone;
  std::optional<Xid> xid_;
};

// The synchronous API (see the top of this file).
class TwoPhase {
 public:
  explicit TwoPhase(Connection& conn);
  // Rolls back an active, unprepared transaction (errors are ignored: the
  // server discards it with the session anyway); leaves a prepared one.
  ~TwoPhase();
  TwoPhase(const TwoPhase&) = delete;
  TwoPhase& operator=(const TwoPhase&) = delete;

  void begin(const Xid& xid);
  // Xid::from_string(gid): any text is accepted, as in psycopg.
  void begin(std::string_view gid);
  void prepare();
  void commit();
  void commit(const Xid& xid);
  void commit(std::string_view gid);
  void rollback();
  void rollback(const Xid& xid);
  void rollback(std::string_view gid);
  std::vector<Xid> recover();

  BaseTwoPhase::State state() const;
  // The current transaction's xid (kept after a failed prepare until
  // rollback() or commit()); nullopt without one.
  std::optional<Xid> xid() const;
  bool prepared() const { return state() == BaseTwoPhase::State::kPrepared; }

 private:
  template <class T>
  T run(Operation<T> operation) const;

  std::shared_ptr<BaseConnection> conn_;
  BaseTwoPhase base_;
};

}  // namespace pgcpp

#endif  // PGCPP_TPC_TWO_PHASE_H_
