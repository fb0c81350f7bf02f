// The primitive protocol operations: every libpq interaction that can block,
// written once as an Operation (pgcpp/core/operation.h). Higher layers
// (Connection, Cursor, pipeline, COPY, //tpc, //notify, //aio) compose these;
// none of them calls a blocking libpq function.
//
//   PGconnPtr conn = pgcpp::wait(pgcpp::protocol::connect("dbname=x", std::chrono::seconds(10)));
//   PQsendQuery(conn.get(), "SELECT 1");
//   auto results = pgcpp::wait(pgcpp::protocol::execute(conn.get()));
//
// Notifications libpq collects while an operation reads are passed to the
// optional NotifySink right away; without one they stay queued in libpq
// (PQnotifies) for whoever asks next, so none is lost.
#ifndef PGCPP_CORE_PROTOCOL_H_
#define PGCPP_CORE_PROTOCOL_H_

#include <functional>
#include <string>
#include <vector>

#include "pgcpp/core/operation.h"
#include "pgcpp/core/pq.h"

namespace pgcpp::protocol {

using NotifySink = std::function<void(PGnotifyPtr)>;

// PQconnectStart + PQconnectPoll. `timeout` bounds this attempt (none: no limit).
// Throws OperationalError("connection failed: ...") or, at the deadline,
// ConnectionTimeout("connection timeout expired").
Operation<PGconnPtr> connect(std::string conninfo, std::optional<Clock::duration> timeout);

// Flushes what PQsend* queued, reading input meanwhile so a server that is
// writing to us cannot deadlock the exchange.
Operation<void> send(PGconn* conn);

// The next result of the current command, or nullptr when it has no more.
Operation<PGresultPtr> fetch(PGconn* conn, const NotifySink* notify = nullptr);

// Every result up to the end of the command. Stops early after a COPY
// result (the caller runs the COPY) or a pipeline sync.
Operation<std::vector<PGresultPtr>> fetch_many(PGconn* conn, const NotifySink* notify = nullptr);

// send() then fetch_many(): runs what PQsend* queued.
Operation<std::vector<PGresultPtr>> execute(PGconn* conn, const NotifySink* notify = nullptr);

// execute() into `results` (cleared first, so a caller's vector keeps its
// capacity), in a single coroutine frame: the per-query path of a cursor.
// `results` must outlive the operation.
Operation<void> execute_into(PGconn* conn, std::vector<PGresultPtr>& results,
                             const NotifySink* notify = nullptr);

// PQconsumeInput, raising OperationalError("consuming input failed: ...").
void consume_input(PGconn* conn);

// Passes every notification libpq has collected to `notify`, when there is one.
void drain_notifies(PGconn* conn, const NotifySink* notify);

}  // namespace pgcpp::protocol

#endif  // PGCPP_CORE_PROTOCOL_H_
