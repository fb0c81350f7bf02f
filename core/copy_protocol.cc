#include "pgcpp/core/copy_protocol.h"

#include <chrono>
#include <vector>

#include "pgcpp/core/cancel.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/core/protocol.h"

namespace pgcpp {
namespace {

// Runs `op`, recording a lost connection (broken()) when it fails with OperationalError.
template <class T>
Operation<T> recording_loss(BaseConnection& conn, Operation<T> op) {
  try {
    co_return co_await std::move(op);
  } catch (const OperationalError&) {
    conn.closed();
    throw;
  }
}

Operation<void> wait_writable(BaseConnection& conn, PGconn* pg) {
  Ready ready = co_yield Wait{PQsocket(pg), WaitFor::kReadWrite};
  if (readable(ready)) {
    protocol::consume_input(pg);
    protocol::drain_notifies(pg, conn.notify_sink());
  }
}

Operation<void> put_impl(BaseConnection& conn, std::string_view data) {
  PGconn* pg = conn.checked_pgconn();
  for (;;) {
    const int put = PQputCopyData(pg, data.data(), static_cast<int>(data.size()));
    if (put == 1) break;
    if (put < 0)
      throw OperationalError("sending COPY data failed: " + connection_error_message(pg));
    co_await wait_writable(conn, pg);  // 0: libpq's buffer is full
  }
  co_await protocol::send(pg);
  if (PQstatus(pg) == CONNECTION_BAD) {
    throw OperationalError("sending COPY data failed: " + connection_error_message(pg));
  }
}

Operation<PGresultPtr> result_impl(BaseConnection& conn) {
  PGconn* pg = conn.checked_pgconn();
  PGresultPtr last;
  for (;;) {
    PGresultPtr res = co_await protocol::fetch(pg, conn.notify_sink());
    if (!res) break;
    conn.result_received(res.get());
    const ExecStatusType status = PQresultStatus(res.get());
    last = std::move(res);
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) break;
  }
  if (!last) throw OperationalError("the connection is closed: " + connection_error_message(pg));
  co_return last;
}

Operation<PGresultPtr> end_impl(BaseConnection& conn, const char* error) {
  PGconn* pg = conn.checked_pgconn();
  for (;;) {
    const int ended = PQputCopyEnd(pg, error);
    if (ended == 1) break;
    if (ended < 0) throw OperationalError("ending COPY failed: " + connection_error_message(pg));
    co_await wait_writable(conn, pg);
  }
  co_await protocol::send(pg);
  co_return co_await result_impl(conn);
}

Operation<copy_protocol::Chunk> get_impl(BaseConnection& conn) {
  PGconn* pg = conn.checked_pgconn();
  for (;;) {
    char* data = nullptr;
    const int n = PQgetCopyData(pg, &data, 1);
    if (n > 0)
      co_return copy_protocol::Chunk{std::unique_ptr<char, PQfreememDeleter>(data),
                                     static_cast<size_t>(n)};
    if (n == -1) co_return copy_protocol::Chunk{};
    if (n < -1) throw OperationalError("reading COPY data failed: " + connection_error_message(pg));
    Ready ready = co_yield Wait{PQsocket(pg), WaitFor::kRead};
    if (ready == Ready::kNone) continue;
    protocol::consume_input(pg);
    protocol::drain_notifies(pg, conn.notify_sink());
  }
}

Operation<PGresultPtr> abandon_impl(BaseConnection& conn) {
  if (conn.cancel_key()) {
    try {
      co_await protocol::cancel(*conn.cancel_key(), Clock::now() + std::chrono::seconds(30));
    } catch (const OperationalError&) {
      // The server could not be reached to cancel: draining still ends the COPY.
    }
  }
  while ((co_await get_impl(conn)).size > 0) {
  }
  co_return co_await result_impl(conn);
}

Operation<PGresultPtr> start_impl(BaseConnection& conn, std::string statement) {
  conn.check_not_in_pipeline("COPY");
  co_await conn.start_query();
  PGconn* pg = conn.checked_pgconn();
  if (PQsendQuery(pg, statement.c_str()) == 0) {
    throw OperationalError("sending query failed: " + connection_error_message(pg));
  }
  std::vector<PGresultPtr> results = co_await conn.execute_sent();
  if (results.empty()) throw OperationalError("the connection is closed");
  const ExecStatusType status = PQresultStatus(results.back().get());
  const bool is_copy = status == PGRES_COPY_IN || status == PGRES_COPY_OUT;
  if (results.size() == 1 && is_copy) co_return std::move(results.back());
  // Not a lone COPY: end any COPY the statement started, then refuse it.
  if (status == PGRES_COPY_IN) {
    co_await end_impl(conn, "COPY cannot be mixed with other operations");
  } else if (status == PGRES_COPY_OUT) {
    co_await abandon_impl(conn);
  } else if (status == PGRES_COPY_BOTH) {
    conn.close();  // replication streams are out of scope; nothing else can end one here
  }
  for (const PGresultPtr& res : results) {
    if (PQresultStatus(res.get()) == PGRES_FATAL_ERROR) {
      errors::raise_from_result(res.get(), conn.pgconn());
    }
  }
  if (results.size() > 1) throw ProgrammingError("COPY cannot be mixed with other operations");
  throw ProgrammingError(
      std::string("copy() should be used only with COPY ... TO STDOUT or COPY ... FROM STDIN "
                  "statements, got ") +
      (PQresStatus(status) + 6));  // without "PGRES_", as psycopg's ExecStatus names
}

}  // namespace

namespace copy_protocol {

Operation<PGresultPtr> start(BaseConnection& conn, std::string statement) {
  return recording_loss(conn, start_impl(conn, std::move(statement)));
}
Operation<void> put(BaseConnection& conn, std::string_view data) {
  return recording_loss(conn, put_impl(conn, data));
}
Operation<PGresultPtr> end(BaseConnection& conn, const char* error) {
  return recording_loss(conn, end_impl(conn, error));
}
Operation<Chunk> get(BaseConnection& conn) { return recording_loss(conn, get_impl(conn)); }
Operation<PGresultPtr> result(BaseConnection& conn) {
  return recording_loss(conn, result_impl(conn));
}
Operation<PGresultPtr> abandon(BaseConnection& conn) {
  return recording_loss(conn, abandon_impl(conn));
}

}  // namespace copy_protocol

}  // namespace pgcpp
