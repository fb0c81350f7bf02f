#include "pgcpp/bench/round_trips.h"

#include <libpq-fe.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <stdexcept>

#include "pgcpp/core/connection.h"

namespace pgcpp::bench {
namespace {

constexpr char kStatement[] = "w4";

struct Clients {
  std::optional<Connection> pgcpp;
  std::optional<Cursor> cursor;
  PGconn* libpq = nullptr;
  ~Clients() { PQfinish(libpq); }
};

}  // namespace

Workload round_trips(std::string dsn, int64_t queries) {
  auto clients = std::make_shared<Clients>();
  Workload w;
  w.name = "W4 prepared round trips";
  w.unit = "queries";
  w.reference_name = "libpq";
  w.setup = [clients, dsn] {
    clients->pgcpp.emplace(Connection::connect(dsn, {.autocommit = true}));
    clients->cursor.emplace(clients->pgcpp->cursor());
    clients->libpq = PQconnectdb(dsn.c_str());
    if (PQstatus(clients->libpq) != CONNECTION_OK) {
      throw std::runtime_error(PQerrorMessage(clients->libpq));
    }
    PGresult* res = PQprepare(clients->libpq, kStatement, "SELECT $1::int4 + 1", 1, nullptr);
    const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    if (!ok) throw std::runtime_error(PQerrorMessage(clients->libpq));
  };
  w.pgcpp = [clients, queries] {
    Cursor& cur = *clients->cursor;
    SideResult r;
    for (int64_t i = 0; i < queries; ++i) {
      cur.execute("SELECT %s::int4 + 1", static_cast<int32_t>(i));
      r.checksum = fold(r.checksum, static_cast<uint64_t>(*cur.fetchone(scalar_row<int32_t>)));
    }
    r.units = queries;
    return r;
  };
  w.reference = [clients, queries] {
    SideResult r;
    char text[16];
    const char* values[] = {text};
    for (int64_t i = 0; i < queries; ++i) {
      std::snprintf(text, sizeof text, "%d", static_cast<int>(i));
      PGresult* res = PQexecPrepared(clients->libpq, kStatement, 1, values, nullptr, nullptr, 0);
      if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        PQclear(res);
        throw std::runtime_error(PQerrorMessage(clients->libpq));
      }
      r.checksum = fold(r.checksum, static_cast<uint64_t>(std::atoi(PQgetvalue(res, 0, 0))));
      PQclear(res);
    }
    r.units = queries;
    return r;
  };
  return w;
}

}  // namespace pgcpp::bench
