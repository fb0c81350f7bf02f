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

Operation<void> send(PGconn* conn) {
  for (;;) {
    int flushed = PQflush(conn);
    if (flushed == 0) co_return;
    if (flushed < 0)
      throw OperationalError("sending query failed: " + connection_error_message(conn));
    Ready ready = co_yield Wait{PQsocket(conn), WaitFor::kReadWrite};
    if (readable(ready)) consume_input(conn);
  }
}

Operation<PGresultPtr> fetch(PGconn* conn, const NotifySink* notify) {
  while (PQisBusy(conn)) {
    Ready ready = co_yield Wait{PQsocket(conn), WaitFor::kRead};
    if (ready == Ready::kNone) continue;
    consume_input(conn);
    drain_notifies(conn, notify);
  }
  drain_notifies(conn, notify);
  co_return PGresultPtr(PQgetResult(conn));
}

Operation<std::vector<PGresultPtr>> fetch_many(PGconn* conn, const NotifySink* notify) {
  std::vector<PGresultPtr> results;
  for (;;) {
    PGresultPtr res = co_await fetch(conn, notify);
    if (!res) break;
    ExecStatusType status = PQresultStatus(res.get());
    results.push_back(std::move(res));
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH ||
        status == PGRES_PIPELINE_SYNC) {
      break;  // no NULL follows these until the caller acts
    }
  }
  co_return results;
}

Operation<std::vector<PGresultPtr>> execute(PGconn* conn, const NotifySink* notify) {
  co_await send(conn);
  co_return co_await fetch_many(conn, notify);
}

}  // namespace pgcpp::protocol
