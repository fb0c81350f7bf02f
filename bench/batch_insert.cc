#include "pgcpp/bench/batch_insert.h"

#include <libpq-fe.h>
#include <poll.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <vector>

#include "pgcpp/core/connection.h"

namespace pgcpp::bench {
namespace {

const char* const kTable = "bench_batch_insert";
const char* const kPgcppInsert = "INSERT INTO bench_batch_insert (id, payload) VALUES (%s, %s)";
const char* const kLibpqInsert = "INSERT INTO bench_batch_insert (id, payload) VALUES ($1, $2)";
const char* const kStatement = "bench_batch_insert";

[[noreturn]] void fail(PGconn* conn, const std::string& what) {
  throw std::runtime_error("W3 reference: " + what + ": " + PQerrorMessage(conn));
}

void exec_ok(PGconn* conn, const char* sql) {
  PGresult* res = PQexec(conn, sql);
  const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  PQclear(res);
  if (!ok) fail(conn, sql);
}

struct State {
  std::string dsn;
  int64_t rows = 0;
  std::vector<std::tuple<int64_t, std::string>> data;  // (id, payload) for every row
  std::optional<Connection> conn;
  PGconn* raw = nullptr;
  ~State() { PQfinish(raw); }
};

void setup(State& s) {
  s.data.clear();
  for (int64_t i = 0; i < s.rows; ++i) s.data.emplace_back(i, "payload " + std::to_string(i));
  s.raw = PQconnectdb(s.dsn.c_str());
  if (PQstatus(s.raw) != CONNECTION_OK) fail(s.raw, "connect");
  exec_ok(s.raw, (std::string("DROP TABLE IF EXISTS ") + kTable).c_str());
  exec_ok(s.raw, (std::string("CREATE TABLE ") + kTable + " (id int8, payload text)").c_str());
  PGresult* res = PQprepare(s.raw, kStatement, kLibpqInsert, 0, nullptr);
  const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  PQclear(res);
  if (!ok) fail(s.raw, "prepare");
  s.conn.emplace(Connection::connect(s.dsn));
}

SideResult pgcpp_side(State& s) {
  Cursor cur = s.conn->cursor();
  cur.executemany(kPgcppInsert, s.data);
  const int64_t inserted = cur.rowcount();
  s.conn->commit();
  return SideResult{.units = inserted, .checksum = fold(0, static_cast<uint64_t>(inserted))};
}

// Every result of the pipeline: the rows inserted, up to the Sync.
int64_t drain(PGconn* conn) {
  int64_t inserted = 0;
  for (;;) {
    const int flushed = PQflush(conn);
    if (flushed < 0) fail(conn, "flush");
    pollfd pfd{PQsocket(conn), static_cast<short>(POLLIN | (flushed ? POLLOUT : 0)), 0};
    if (poll(&pfd, 1, -1) < 0) throw std::runtime_error("W3 reference: poll failed");
    if (!(pfd.revents & (POLLIN | POLLERR | POLLHUP))) continue;
    if (PQconsumeInput(conn) == 0) fail(conn, "consume input");
    while (!PQisBusy(conn)) {
      PGresult* res = PQgetResult(conn);
      if (res == nullptr) continue;  // the end of one statement's results
      const ExecStatusType status = PQresultStatus(res);
      if (status == PGRES_COMMAND_OK) inserted += std::stoll(PQcmdTuples(res));
      PQclear(res);
      if (status == PGRES_PIPELINE_SYNC) return inserted;
      if (status != PGRES_COMMAND_OK) fail(conn, "insert");
    }
  }
}

SideResult reference_side(State& s) {
  PGconn* conn = s.raw;
  exec_ok(conn, "BEGIN");
  if (PQsetnonblocking(conn, 1) != 0 || PQenterPipelineMode(conn) == 0) fail(conn, "pipeline");
  for (const auto& [id, payload] : s.data) {
    const std::string id_text = std::to_string(id);
    const char* values[] = {id_text.c_str(), payload.c_str()};
    if (PQsendQueryPrepared(conn, kStatement, 2, values, nullptr, nullptr, 0) == 0) {
      fail(conn, "send");
    }
  }
  if (PQpipelineSync(conn) == 0) fail(conn, "sync");
  const int64_t inserted = drain(conn);
  if (PQexitPipelineMode(conn) == 0 || PQsetnonblocking(conn, 0) != 0) fail(conn, "exit");
  exec_ok(conn, "COMMIT");
  return SideResult{.units = inserted, .checksum = fold(0, static_cast<uint64_t>(inserted))};
}

}  // namespace

Workload batch_insert(std::string dsn, int64_t rows) {
  auto state = std::make_shared<State>();
  state->dsn = std::move(dsn);
  state->rows = rows;
  Workload w;
  w.name = "W3 executemany of " + std::to_string(rows) + " INSERTs (pipeline)";
  w.unit = "rows";
  w.reference_name = "libpq";
  w.setup = [state] { setup(*state); };
  w.pgcpp = [state] { return pgcpp_side(*state); };
  w.reference = [state] { return reference_side(*state); };
  return w;
}

}  // namespace pgcpp::bench
