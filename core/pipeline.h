// Pipeline mode: many statements sent without waiting for each result.
//
//   {
//     pgcpp::Pipeline p = conn.pipeline();          // PQenterPipelineMode
//     pgcpp::Cursor a = conn.execute("INSERT INTO t VALUES (%s)", 1);  // returns at once
//     pgcpp::Cursor b = conn.execute("SELECT count(*) FROM t");
//     auto n = b.fetchone(pgcpp::scalar_row<int64_t>);  // flushes, fetches a's and b's results
//     p.sync();                                     // Sync: the statements so far are done
//   }                                               // Sync, drain, PQexitPipelineMode
//
//   cur.executemany("INSERT INTO t VALUES (%s, %s)", rows);  // runs in a pipeline of its own
//
// psycopg 3's pipeline semantics (../shared/design/SEMANTICS.md §4):
// - Blocks nest: an inner block shares the outer one's pipeline; entering it
//   syncs first when statements are pending. Only the outermost block enters
//   and leaves pipeline mode; every block's exit syncs and fetches all results.
// - A statement's results are fetched later (when its cursor fetches, at
//   sync(), at a block's exit, or when they happen to have arrived during a
//   later send) and routed to the cursor that sent it. Until then the cursor
//   has no result (rowcount() -1, statusmessage() nullopt).
// - Sync points: sync(), commit(), rollback(), the implicit BEGIN, entering
//   and leaving a transaction() block, a nested block's entry, changing the
//   connection's characteristics, and every block's exit. A cursor fetch only
//   asks the server to flush: it does not end an aborted segment.
// - Errors: the first failing statement of a segment (between two syncs)
//   raises its own exception (by SQLSTATE) wherever its result is processed;
//   the later statements of the segment raise PipelineAborted when theirs
//   are; when one batch of results holds several errors the first is raised.
//   Even in autocommit the statements of one segment form one transaction.
// - Prepared statements work as outside (pgcpp/core/prepared_statements.h):
//   a PREPARE is queued before its first execution, and the cache learns
//   what the results say (a failed PREPARE, a DROP) when they are processed.
//   executemany() prepares its statement once per parameter types.
// - Every statement is sent with the extended protocol, so multi-statement
//   strings fail. COPY, stream() and server-side cursors raise
//   NotSupportedError (BaseConnection::check_not_in_pipeline).
//
// Thread safety: like the connection; the cursors of a connection in
// pipeline mode are used by one thread at a time.
#ifndef PGCPP_CORE_PIPELINE_H_
#define PGCPP_CORE_PIPELINE_H_

#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <vector>

#include "pgcpp/core/operation.h"
#include "pgcpp/core/pq.h"

namespace pgcpp {

class BaseConnection;

// Where a cursor's statement results land when they arrive (the cursor
// adopts them on its next access; a cursor may move meanwhile).
struct PipelineSlot {
  enum class Mode { kExecute, kMany, kManyReturning };
  Mode mode = Mode::kExecute;
  std::vector<PGresultPtr> results{};  // arrived, not adopted yet
  int64_t rowcount = 0;                // kMany: affected rows arrived, not adopted yet
  bool arrived = false;                // something arrived since the last adoption
  int64_t outstanding = 0;             // statements whose results have not arrived
};

namespace internal {
// psycopg's Cursor._check_results: raises for an error, a pipeline abort or a
// COPY result among `results`.
void check_results(const std::vector<PGresultPtr>& results, const PGconn* conn);
}  // namespace internal

// The pipeline of one connection, shared by its nested blocks (owned by
// BaseConnection; //aio drives the same operations). The caller holds the
// connection's lock. After a successful PQsend*, the sender records what the
// results are for (expect_*), in order.
class PipelineState {
 public:
  explicit PipelineState(BaseConnection& conn) : conn_(conn) {}
  PipelineState(const PipelineState&) = delete;
  PipelineState& operator=(const PipelineState&) = delete;

  // Open blocks; 0: not in pipeline mode.
  int level() const { return level_; }

  // A block's entry: the outermost enters pipeline mode, an inner one syncs
  // when statements are pending.
  Operation<void> enter();
  // A block's exit: Sync, send, fetch every result; the outermost also
  // leaves pipeline mode, also when the exchange failed. Raises the first error.
  Operation<void> exit();

  // Sync, send, fetch every result up to it.
  Operation<void> sync();
  // sync() when statements are pending (psycopg's nested entry).
  Operation<void> sync_if_busy();
  // Sends what is queued, processing the results that arrive meanwhile.
  Operation<void> communicate();
  // Fetches every pending result (asking the server to flush first when `flush`).
  Operation<void> fetch(bool flush);

  // Sees a statement's results before they are checked (the prepared
  // statements cache validates its entries so).
  using Observer = std::function<void(const std::vector<PGresultPtr>&)>;
  // An internal command (BEGIN, COMMIT, PREPARE ...): raises its error when
  // its result comes; the result is stored in `*out` when given. Like every
  // result, it goes to BaseConnection::results_received() unless not
  // `observed` (the prepared-statement cache's own DEALLOCATEs).
  void expect_command(PGresultPtr* out = nullptr, Observer observer = {}, bool observed = true);
  // A cursor's statement: its checked results go to `slot`.
  void expect(const std::shared_ptr<PipelineSlot>& slot, Observer observer = {});

 private:
  struct Expected {
    enum class Kind { kCommand, kCursor, kSync } kind;
    std::shared_ptr<PipelineSlot> slot{};
    PGresultPtr* out = nullptr;
    Observer observer{};
    int64_t count = 1;     // kCursor: consecutive statements of one slot (executemany's rows)
    bool observed = true;  // passed to BaseConnection::results_received()
  };
  void send_sync();
  // Matches the group of results in group_ to the oldest expectation; an
  // error is kept in `*first` unless one is already there (psycopg raises the
  // first error of a batch and drops the others).
  void process(std::exception_ptr* first);
  void deliver(Expected& e);
  // Reads the results libpq has into group_, without waiting.
  enum class Read { kGroup, kBusy, kNothing };
  Read read_group();
  // Processes every complete group libpq has, without waiting.
  void process_ready(std::exception_ptr* first);
  // PQconsumeInput, recording a lost connection.
  void consume(PGconn* pg);
  void leave();

  BaseConnection& conn_;
  int level_ = 0;
  std::deque<Expected> expected_;
  std::vector<PGresultPtr> group_;  // one statement's results, as they are read
};

// A pipeline block (see the overview above). Not movable: it lives in the
// scope that opened it. Its destructor may throw (an error of a statement
// sent in the block), so do not keep one in std::optional or
// std::unique_ptr, whose reset() is noexcept.
class Pipeline {
 public:
  // Enters (or joins) the connection's pipeline. Prefer Connection::pipeline().
  explicit Pipeline(std::shared_ptr<BaseConnection> conn);
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;
  // Syncs and fetches everything; leaves pipeline mode if outermost. Throws
  // the pipeline's error only when no exception is in flight.
  ~Pipeline() noexcept(false);

  // Ends the current segment: every statement sent so far is done, an
  // aborted pipeline is usable again. Raises the first error among them.
  void sync();

  // Open blocks on this connection (1 in the outermost one). libpq's status
  // (on, aborted): conn.info().pipeline_status().
  int level() const;

  // Whether this libpq supports pipeline mode (≥ 14: always, here).
  static bool is_supported() { return true; }

 private:
  std::shared_ptr<BaseConnection> conn_;
  int uncaught_at_start_;
};

}  // namespace pgcpp

#endif  // PGCPP_CORE_PIPELINE_H_
