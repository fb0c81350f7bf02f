// Connection: a synchronous connection to a PostgreSQL server.
//
//   auto conn = pgcpp::Connection::connect("dbname=app user=app host=db.internal");
//   auto conn2 = pgcpp::Connection::connect({.autocommit = true, .host = "localhost",
//                                            .dbname = "app", .sslmode = "require"});
//   conn.commit();
//   {
//     auto tx = conn.transaction();   // BEGIN ... COMMIT (ROLLBACK on an exception)
//   }
//   conn.close();                     // also done by the destructor; never commits
//
// Behaviour follows psycopg 3's Connection: not in autocommit, the first
// command opens a transaction that stays open until commit() or rollback();
// autocommit, isolation_level, read_only and deferrable can only change while
// the connection is idle; closed() is true after close() or a lost
// connection, broken() only after a lost one.
//
// Thread safety: a Connection may be shared between threads; its operations
// run one at a time (a per-connection mutex). cancel() may be called from any
// thread, also while another thread waits for a query.
#ifndef PGCPP_CORE_CONNECTION_H_
#define PGCPP_CORE_CONNECTION_H_

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "pgcpp/core/base_connection.h"
#include "pgcpp/core/client_cursor.h"
#include "pgcpp/core/connect_options.h"
#include "pgcpp/core/connection_info.h"
#include "pgcpp/core/cursor.h"
#include "pgcpp/core/operation.h"
#include "pgcpp/core/pipeline.h"
#include "pgcpp/core/server_cursor.h"
#include "pgcpp/core/transaction.h"
#include "pgcpp/core/typed_cursor.h"

namespace pgcpp {

// Connects as psycopg does: the conninfo string (key=value or URI) merged with
// the options, split into one attempt per host address, each attempt bounded
// by connect_timeout. When every attempt fails, the error lists them all.
// The operation //aio drives too.
Operation<PGconnPtr> connect_operation(std::string conninfo, ConnectOptions options);

template <class RowFactory>
class TypedConnection;

class Connection {
 public:
  static Connection connect(std::string_view conninfo, const ConnectOptions& options = {});
  static Connection connect(const ConnectOptions& options = {});
  // connect() with a default row factory for every cursor (psycopg's connect(row_factory=...)):
  //   auto conn = pgcpp::Connection::connect(dsn, {}, pgcpp::dict_row);
  //   std::optional<pgcpp::DictRow> row = conn.execute("SELECT 1 AS x").fetchone();
  template <class RowFactory>
  static TypedConnection<RowFactory> connect(std::string_view conninfo,
                                             const ConnectOptions& options,
                                             RowFactory row_factory) {
    return TypedConnection<RowFactory>(connect(conninfo, options), std::move(row_factory));
  }
  // Wraps a connection made by connect_operation(), for code that drives the
  // attempt itself (//pool abandons attempts when it closes); `options` are
  // the ones the attempt was made with. connect() is wait() + adopt().
  static Connection adopt(PGconnPtr pgconn, const ConnectOptions& options = {});

  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept;
  ~Connection();

  bool closed() const;
  bool broken() const;
  void close();

  // Asks the server to cancel the running command, if any (it then fails with
  // QueryCanceled). Safe from any thread; does nothing on a closed connection.
  void cancel();

  void commit();
  void rollback();

  bool autocommit() const;
  void set_autocommit(bool value);
  std::optional<IsolationLevel> isolation_level() const;
  void set_isolation_level(std::optional<IsolationLevel> value);
  std::optional<bool> read_only() const;
  void set_read_only(std::optional<bool> value);
  std::optional<bool> deferrable() const;
  void set_deferrable(std::optional<bool> value);

  // Prepared statements (pgcpp/core/prepared_statements.h): executions of a
  // query before it is prepared (nullopt: never), how many stay prepared
  // (nullopt: no limit), binary results for them. Negative numbers raise
  // ProgrammingError.
  std::optional<int> prepare_threshold() const;
  void set_prepare_threshold(std::optional<int> value);
  std::optional<int> prepared_max() const;
  void set_prepared_max(std::optional<int> value);
  bool prepared_binary_results() const;
  void set_prepared_binary_results(bool value);

  // A transaction block as a scope guard (see pgcpp/core/transaction.h).
  Transaction transaction(TransactionOptions options = {}) {
    base();  // a moved-from Connection raises here
    return Transaction(base_, std::move(options));
  }
  // A transaction block around `body(Transaction&)`; a Rollback exception
  // aimed at this block is absorbed after rolling back.
  template <class F>
  void transaction(F&& body) {
    transaction({}, std::forward<F>(body));
  }
  template <class F>
  void transaction(TransactionOptions options, F&& body) {
    base();
    run_transaction(base_, std::move(options), std::forward<F>(body));
  }

  // A pipeline block as a scope guard (see pgcpp/core/pipeline.h):
  //   { pgcpp::Pipeline p = conn.pipeline(); conn.execute(...); ... }
  Pipeline pipeline() const {
    base();
    return Pipeline(base_);
  }

  TransactionStatus transaction_status() const { return base().transaction_status(); }

  // What libpq and the server say about this connection (a view: read on each call).
  ConnectionInfo info() const { return ConnectionInfo(base()); }

  // A new cursor with a copy of this connection's adapters, of the kind cursor_factory() says
  // (RawCursor and ClientCursor are Cursors binding parameters differently: they convert to
  // Cursor without loss, so conn.execute() binds as the factory says).
  Cursor cursor(CursorOptions options = {}) const;
  // A cursor whose fetchone() / fetchmany() / fetchall() / rows() use `row_factory` by
  // default (psycopg's conn.cursor(row_factory=...)): conn.cursor(pgcpp::dict_row).
  template <class RowFactory>
  requires(!std::is_same_v<std::remove_cvref_t<RowFactory>, CursorOptions>)
      TypedCursor<RowFactory> cursor(RowFactory row_factory, CursorOptions options = {})
  const { return TypedCursor<RowFactory>(cursor(options), std::move(row_factory)); }

  CursorFactory cursor_factory() const;
  void set_cursor_factory(CursorFactory factory);

  // A cursor for queries with PostgreSQL's own $1..$n placeholders.
  RawCursor raw_cursor(CursorOptions options = {}) const {
    base();
    return RawCursor(base_, options);
  }

  // A named cursor on the server (DECLARE / FETCH), or an existing portal such
  // as a refcursor (see pgcpp/core/server_cursor.h).
  ServerCursor server_cursor(std::string name, ServerCursorOptions options = {}) const {
    base();
    return ServerCursor(base_, std::move(name), options);
  }

  // A cursor binding parameters client-side, for DDL and SET (pgcpp/core/client_cursor.h).
  ClientCursor client_cursor(CursorOptions options = {}) const {
    base();
    return ClientCursor(base_, options);
  }

  // cursor().execute(...): runs the query and returns the cursor holding its result.
  //   for (auto [id, name] : conn.execute("SELECT id, name FROM t").rows<int, std::string>())
  template <class... Params>
  Cursor execute(std::string_view query, const Params&... params) const {
    Cursor cur = cursor();
    cur.execute(query, params...);
    return cur;
  }
  template <class... Params>
  Cursor execute(const sql::Composable& query, const Params&... params) const {
    Cursor cur = cursor();
    cur.execute(query, params...);  // Literals rendered with the cursor's adapters
    return cur;
  }

  // Runs internal commands, raising the server's error by SQLSTATE.
  void exec_command(std::string command);

  void add_notice_handler(NoticeHandler handler);

  // The state and operations shared with the components built on core.
  // A moved-from Connection raises OperationalError("the connection is closed").
  BaseConnection& base() const;
  const std::shared_ptr<BaseConnection>& base_ptr() const { return base_; }

  // Runs an operation on this connection under its lock (the sync driver).
  template <class T>
  T run(Operation<T> operation) const;

 private:
  explicit Connection(std::shared_ptr<BaseConnection> base);

  std::shared_ptr<BaseConnection> base_;
};

}  // namespace pgcpp

#include "pgcpp/core/waiting.h"

namespace pgcpp {
template <class T>
T Connection::run(Operation<T> operation) const {
  std::lock_guard<ConnectionLock> guard(base().lock());
  return wait(std::move(operation));
}
}  // namespace pgcpp

#include "pgcpp/core/typed_connection.h"

#endif  // PGCPP_CORE_CONNECTION_H_
