#include "pgcpp/core/protocol.h"

#include "pgcpp/core/errors.h"

namespace pgcpp::protocol {

void consume_input(PGconn* conn) {
  if (PQconsumeInput(conn) == 0) {
    throw OperationalError("consuming input failed: " + connection_error_message(conn));
  }
}

void drain_notifies(PGconn* conn, const NotifySink* notify) {
  if (notify == nullptr || !*notify) return;
  while (PGnotify* n = PQnotifies(conn)) (*notify)(PGnotifyPtr(n));
}

Operation<PGconnPtr> connect(std::string conninfo, std::optional<Clock::duration> timeout) {
  PGconnPtr conn(PQconnectStart(conninfo.c_str()));
  if (!conn) throw OperationalError("connection failed: out of memory");
  std::optional<Clock::time_point> deadline;
  if (timeout) deadline = Clock::now() + *timeout;
  // libpq's contract: behave as if PQconnectPoll had just asked to write.
  PostgresPollingStatusType status =
      PQstatus(conn.get()) == CONNECTION_BAD ? PGRES_POLLING_FAILED : PGRES_POLLING_WRITING;
  for (;;) {
    switch (status) {
      case PGRES_POLLING_OK:
        if (PQsetnonblocking(conn.get(), 1) != 0) {
          throw OperationalError("connection failed: " + connection_error_message(conn.get()));
        }
        co_return std::move(conn);
      case PGRES_POLLING_FAILED:
        throw OperationalError("connection failed: " + connection_error_message(conn.get()));
      default: {
        WaitFor what = status == PGRES_POLLING_READING ? WaitFor::kRead : WaitFor::kWrite;
        // The socket can change between attempts (multi-host, SSL retry): ask each time.
        Ready ready = co_yield Wait{PQsocket(conn.get()), what, deadline};
        if (ready == Ready::kNone && deadline && Clock::now() >= *deadline) {
          throw ConnectionTimeout("connection timeout expired");
        }
        if (ready == Ready::kNone) continue;
        status = PQconnectPoll(conn.get());
      }
    }
  }
}

namespace {

// Whether no NULL result follows `status` until the caller acts (runs the
// COPY, or goes on past a pipeline sync).
bool ends_command(ExecStatusType status) {
  return status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH ||
         status == PGRES_PIPELINE_SYNC;
}

// After a wait for results: reads what arrived (nothing when the wait gave up
// without the socket being ready) and passes on the notifications it brought.
// A plain function, so that the waiting loops stay in their coroutine's frame.
void take_input(PGconn* conn, Ready ready, const NotifySink* notify) {
  if (ready == Ready::kNone) return;
  consume_input(conn);
  drain_notifies(conn, notify);
}

// send(), then (with `results`) every result of the command, all in one frame:
// nested operations would cost a coroutine frame each per query.
Operation<void> exchange(PGconn* conn, std::vector<PGresultPtr>* results, bool flush,
                         const NotifySink* notify) {
  while (flush) {
    const int flushed = PQflush(conn);
    if (flushed == 0) break;
    if (flushed < 0) {
      throw OperationalError("sending query failed: " + connection_error_message(conn));
    }
    Ready ready = co_yield Wait{PQsocket(conn), WaitFor::kReadWrite};
    if (readable(ready)) consume_input(conn);
  }
  if (results == nullptr) co_return;
  results->clear();
  for (;;) {
    while (PQisBusy(conn)) {
      Ready ready = co_yield Wait{PQsocket(conn), WaitFor::kRead};
      take_input(conn, ready, notify);
    }
    drain_notifies(conn, notify);
    PGresultPtr res(PQgetResult(conn));
    if (!res) break;
    const ExecStatusType status = PQresultStatus(res.get());
    results->push_back(std::move(res));
    if (ends_command(status)) break;
  }
}

}  // namespace

Operation<void> send(PGconn* conn) { return exchange(conn, nullptr, true, nullptr); }

Operation<PGresultPtr> fetch(PGconn* conn, const NotifySink* notify) {
  while (PQisBusy(conn)) {
    Ready ready = co_yield Wait{PQsocket(conn), WaitFor::kRead};
    take_input(conn, ready, notify);
  }
  drain_notifies(conn, notify);
  co_return PGresultPtr(PQgetResult(conn));
}

Operation<std::vector<PGresultPtr>> fetch_many(PGconn* conn, const NotifySink* notify) {
  std::vector<PGresultPtr> results;
  co_await exchange(conn, &results, false, notify);
  co_return results;
}

Operation<std::vector<PGresultPtr>> execute(PGconn* conn, const NotifySink* notify) {
  std::vector<PGresultPtr> results;
  co_await execute_into(conn, results, notify);
  co_return results;
}

Operation<void> execute_into(PGconn* conn, std::vector<PGresultPtr>& results,
                             const NotifySink* notify) {
  return exchange(conn, &results, true, notify);
}

}  // namespace pgcpp::protocol
