// The wire operations of COPY, as Operation<T>s on a BaseConnection: the sync Copy
// (pgcpp/core/copy.h) drives them with wait(), //aio from its event loop. The caller
// holds conn.lock(). An OperationalError means the connection is lost (conn.broken()
// then says so).
//
//   PGresultPtr res = wait(copy_protocol::start(conn, "COPY t FROM STDIN"));
//   wait(copy_protocol::put(conn, "1\tone\n"));
//   PGresultPtr done = wait(copy_protocol::end(conn, nullptr));   // "COPY 1"
#ifndef PGCPP_CORE_COPY_PROTOCOL_H_
#define PGCPP_CORE_COPY_PROTOCOL_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "pgcpp/core/base_connection.h"
#include "pgcpp/core/operation.h"
#include "pgcpp/core/pq.h"

namespace pgcpp::copy_protocol {

// Sends `statement` alone (after the implicit BEGIN) and returns the COPY_IN or COPY_OUT
// result once the server is in COPY. Raises the server's error, NotSupportedError in a
// pipeline, ProgrammingError for any other kind of statement (ending a COPY it started).
Operation<PGresultPtr> start(BaseConnection& conn, std::string statement);

// Queues `data` as COPY data and flushes it, waiting while the socket is full.
Operation<void> put(BaseConnection& conn, std::string_view data);

// Ends COPY FROM (with `error` the server fails the COPY with that message; it must
// outlive the operation) and returns the final result: COMMAND_OK "COPY n", or the
// FATAL_ERROR.
Operation<PGresultPtr> end(BaseConnection& conn, const char* error);

// A block of COPY TO data, owned (libpq's memory); empty at the end of the data.
struct Chunk {
  std::unique_ptr<char, PQfreememDeleter> data;
  size_t size = 0;
  std::string_view view() const { return {data.get(), size}; }
};

// The next block of COPY TO data; an empty Chunk once the data is over (then get the
// final result with result()).
Operation<Chunk> get(BaseConnection& conn);

// The results after the COPY data, up to the end of the command; returns the last.
Operation<PGresultPtr> result(BaseConnection& conn);

// Abandons COPY TO: cancels the command (when its cancel key is known) and drains the
// data; returns the final result (QueryCanceled's, or the COPY's if it had finished).
Operation<PGresultPtr> abandon(BaseConnection& conn);

}  // namespace pgcpp::copy_protocol

#endif  // PGCPP_CORE_COPY_PROTOCOL_H_
