#include "pgcpp/bench/copy_in.h"

#include <libpq-fe.h>

#include <array>
#include <bit>
#include <charconv>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "pgcpp/core/connection.h"
#include "pgcpp/core/copy.h"

namespace pgcpp::bench {
namespace {

constexpr size_t kBlockSize = 64 * 1024;
constexpr size_t kTexts = 64;

// The text column's values: row i holds texts()[i % kTexts] (no allocation per row on
// either side).
const std::array<std::string, kTexts>& texts() {
  static const std::array<std::string, kTexts> t = [] {
    std::array<std::string, kTexts> out;
    for (size_t i = 0; i < kTexts; ++i) {
      out[i] = "a text value of row kind " + std::to_string(i) + std::string(i % 13, 'x');
    }
    return out;
  }();
  return t;
}

double float_of(int64_t i) { return static_cast<double>(i) * 0.25; }

const char* const kChecksumQuery = "SELECT count(*), sum(id), sum(length(t)), sum(f) FROM ";

uint64_t checksum_of(int64_t count, int64_t ids, int64_t lengths, double floats) {
  uint64_t c = fold(0, static_cast<uint64_t>(count));
  c = fold(c, static_cast<uint64_t>(ids));
  c = fold(c, static_cast<uint64_t>(lengths));
  return fold(c, std::bit_cast<uint64_t>(floats));
}

struct PGconnCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct PGresultCloser {
  void operator()(PGresult* r) const { PQclear(r); }
};
using RawConn = std::unique_ptr<PGconn, PGconnCloser>;
using RawResult = std::unique_ptr<PGresult, PGresultCloser>;

RawResult exec(PGconn* conn, const std::string& sql, ExecStatusType expected) {
  RawResult res(PQexec(conn, sql.c_str()));
  if (PQresultStatus(res.get()) != expected) {
    throw std::runtime_error("libpq: " + sql + ": " + PQerrorMessage(conn));
  }
  return res;
}

SideResult pgcpp_side(const std::string& dsn, int64_t rows) {
  const std::string table = "w2_copy_in_pgcpp";
  Connection conn = Connection::connect(dsn, {.autocommit = true});
  conn.execute("TRUNCATE " + table);
  Cursor cur = conn.cursor();
  {
    Copy copy = cur.copy("COPY " + table + " (id, t, f) FROM STDIN");
    const auto& t = texts();
    for (int64_t i = 0; i < rows; ++i)
      copy.write_row(i, t[static_cast<size_t>(i) % kTexts], float_of(i));
  }
  auto [count, ids, lengths, floats] =
      *conn.execute(kChecksumQuery + table).fetchone(typed_row<int64_t, int64_t, int64_t, double>);
  return SideResult{.units = cur.rowcount(), .checksum = checksum_of(count, ids, lengths, floats)};
}

void append_number(std::string& out, auto value) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

SideResult reference_side(const std::string& dsn, int64_t rows) {
  const std::string table = "w2_copy_in_libpq";
  RawConn conn(PQconnectdb(dsn.c_str()));
  if (PQstatus(conn.get()) != CONNECTION_OK) throw std::runtime_error(PQerrorMessage(conn.get()));
  exec(conn.get(), "TRUNCATE " + table, PGRES_COMMAND_OK);
  exec(conn.get(), "COPY " + table + " (id, t, f) FROM STDIN", PGRES_COPY_IN);
  std::string block;
  block.reserve(kBlockSize + 1024);
  auto put = [&] {
    if (PQputCopyData(conn.get(), block.data(), static_cast<int>(block.size())) != 1) {
      throw std::runtime_error(PQerrorMessage(conn.get()));
    }
    block.clear();
  };
  const auto& t = texts();
  for (int64_t i = 0; i < rows; ++i) {
    append_number(block, i);
    block.push_back('\t');
    block.append(t[static_cast<size_t>(i) % kTexts]);  // no character needs escaping
    block.push_back('\t');
    append_number(block, float_of(i));
    block.push_back('\n');
    if (block.size() >= kBlockSize) put();
  }
  if (!block.empty()) put();
  if (PQputCopyEnd(conn.get(), nullptr) != 1) throw std::runtime_error(PQerrorMessage(conn.get()));
  RawResult end(PQgetResult(conn.get()));
  if (PQresultStatus(end.get()) != PGRES_COMMAND_OK) {
    throw std::runtime_error(std::string("COPY failed: ") + PQerrorMessage(conn.get()));
  }
  const int64_t copied = std::stoll(PQcmdTuples(end.get()));
  while (PGresult* more = PQgetResult(conn.get())) PQclear(more);
  RawResult sums = exec(conn.get(), kChecksumQuery + table, PGRES_TUPLES_OK);
  auto num = [&](int col) { return std::stoll(PQgetvalue(sums.get(), 0, col)); };
  return SideResult{
      .units = copied,
      .checksum = checksum_of(num(0), num(1), num(2), std::stod(PQgetvalue(sums.get(), 0, 3)))};
}

}  // namespace

Workload copy_in(std::string dsn, int64_t rows) {
  Workload w;
  w.name = "W2 COPY in";
  w.unit = "rows";
  w.reference_name = "libpq";
  w.setup = [dsn] {
    Connection conn = Connection::connect(dsn, {.autocommit = true});
    for (const char* side : {"pgcpp", "libpq"}) {
      conn.execute(std::string("DROP TABLE IF EXISTS w2_copy_in_") + side);
      // Unlogged and never autovacuumed: WAL flushes, checkpoints and a background
      // ANALYZE of the last load would hit whichever side runs then.
      conn.execute(std::string("CREATE UNLOGGED TABLE w2_copy_in_") + side +
                   " (id int8, t text, f float8) WITH (autovacuum_enabled = off)");
    }
  };
  w.pgcpp = [dsn, rows] { return pgcpp_side(dsn, rows); };
  w.reference = [dsn, rows] { return reference_side(dsn, rows); };
  return w;
}

}  // namespace pgcpp::bench
