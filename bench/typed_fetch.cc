#include "pgcpp/bench/typed_fetch.h"

#include <arpa/inet.h>
#include <endian.h>
#include <libpq-fe.h>

#include <bit>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "pgcpp/adapt/datetime.h"
#include "pgcpp/adapt/numeric.h"
#include "pgcpp/core/connection.h"

namespace pgcpp::bench {
namespace {

constexpr const char* kColumns = "id, big, f, t, ts, n, b";

// The first and last (up to) 8 bytes of `s`, for the checksum.
uint64_t ends(std::string_view s) {
  uint64_t head = 0, tail = 0;
  const size_t n = s.size() < 8 ? s.size() : 8;
  std::memcpy(&head, s.data(), n);
  std::memcpy(&tail, s.data() + s.size() - n, n);
  return head ^ (tail * 31);
}

// The checksum of one row, the same on both sides. A numeric is folded as pgcpp::Numeric
// holds it: the coefficient's decimal digits (no leading zeros), the scale and the sign.
struct RowFold {
  uint64_t sum = 0;
  void add(int32_t id, int64_t big, double f, std::string_view t, int64_t ts_micros,
           std::string_view n_digits, int32_t n_scale, bool n_negative, bool b) {
    sum = fold(sum, static_cast<uint64_t>(id));
    sum = fold(sum, static_cast<uint64_t>(big));
    sum = fold(sum, std::bit_cast<uint64_t>(f));
    sum = fold(sum, t.size() * 256 + static_cast<uint8_t>(t.empty() ? 0 : t[t.size() / 2]));
    sum = fold(sum, static_cast<uint64_t>(ts_micros));
    sum = fold(sum, ends(n_digits) + n_digits.size() * 1000 + static_cast<uint64_t>(n_scale) * 2 +
                        (n_negative ? 1 : 0));
    sum = fold(sum, b ? 1 : 0);
  }
};

// ---- pgcpp ---------------------------------------------------------------------------

SideResult pgcpp_side(Connection& conn, const std::string& query, Format format) {
  Cursor cur = conn.cursor();
  cur.execute(ExecuteOptions{.binary = format == Format::kBinary}, query);
  SideResult out;
  RowFold sum;
  for (const auto& [id, big, f, t, ts, n, b] :
       cur.rows<int32_t, int64_t, double, std::string, TimestampTz, Numeric, bool>()) {
    sum.add(id, big, f, t, ts.micros(), n.digits(), n.scale(), n.is_negative(), b);
    ++out.units;
  }
  out.checksum = sum.sum;
  return out;
}

// ---- raw libpq -------------------------------------------------------------------------

PGconn* libpq_connect(const std::string& dsn) {
  PGconn* conn = PQconnectdb(dsn.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("typed_fetch: " + message);
  }
  return conn;
}

void libpq_exec(PGconn* conn, const std::string& sql) {
  PGresult* res = PQexec(conn, sql.c_str());
  const ExecStatusType status = PQresultStatus(res);
  std::string message = PQresultErrorMessage(res);
  PQclear(res);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw std::runtime_error("typed_fetch: " + sql + ": " + message);
  }
}

uint32_t be32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return ntohl(v);
}
uint64_t be64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return be64toh(v);
}

// Days from 1970-01-01 to a civil date (the proleptic Gregorian calendar).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// "2020-01-02 03:04:05.123456+00" (DateStyle ISO, TimeZone UTC) in microseconds since
// 2000-01-01 00:00 UTC.
int64_t text_timestamptz(const char* p) {
  char* end;
  const long year = std::strtol(p, &end, 10);
  const long month = std::strtol(end + 1, &end, 10);
  const long day = std::strtol(end + 1, &end, 10);
  const long hour = std::strtol(end + 1, &end, 10);
  const long minute = std::strtol(end + 1, &end, 10);
  const long second = std::strtol(end + 1, &end, 10);
  long micros = 0;
  if (*end == '.') {
    const char* frac = end + 1;
    micros = std::strtol(frac, &end, 10);
    for (long digits = end - frac; digits < 6; ++digits) micros *= 10;
  }
  const long offset_hours = std::strtol(end, &end, 10);
  const int64_t days = days_from_civil(year, month, day) - 10957;  // from 2000-01-01
  return ((days * 24 + hour - offset_hours) * 60 + minute) * 60000000 + second * 1000000 + micros;
}

// An exact decimal as pgcpp::Numeric holds it (what both sides fold).
struct Decimal {
  std::string digits;  // the coefficient, no leading zeros ("" for zero)
  int32_t scale = 0;   // digits after the point
  bool negative = false;
};

// "-1234.50" (numeric text).
void text_decimal(const char* p, Decimal& out) {
  out.digits.clear();
  out.scale = 0;
  const bool negative = *p == '-';
  if (negative) ++p;
  bool fraction = false;
  for (; *p != '\0'; ++p) {
    if (*p == '.') {
      fraction = true;
      continue;
    }
    if (fraction) ++out.scale;
    if (*p != '0' || !out.digits.empty()) out.digits.push_back(*p);
  }
  out.negative = negative && !out.digits.empty();
}

// A binary numeric (ndigits, weight, sign, dscale, base-10000 digits) of up to 18 digits.
void binary_decimal(const char* p, Decimal& out) {
  uint16_t header[4];
  std::memcpy(header, p, 8);
  const int ndigits = static_cast<int16_t>(ntohs(header[0]));
  const int weight = static_cast<int16_t>(ntohs(header[1]));
  out.scale = static_cast<int16_t>(ntohs(header[3]));
  int64_t v = 0;
  for (int d = 0; d < ndigits; ++d) {
    uint16_t digit;
    std::memcpy(&digit, p + 8 + 2 * d, 2);
    v = v * 10000 + ntohs(digit);
  }
  // v * 10000^(weight - ndigits + 1) * 10^scale: the coefficient.
  for (int s = 0; s < out.scale; ++s) v *= 10;
  for (int e = weight - ndigits + 1; e > 0; --e) v *= 10000;
  for (int e = weight - ndigits + 1; e < 0; ++e) v /= 10000;
  char buf[24];
  char* end = v == 0 ? buf : std::to_chars(buf, buf + sizeof(buf), v).ptr;
  out.digits.assign(buf, end);
  out.negative = ntohs(header[2]) == 0x4000 && v != 0;
}

SideResult libpq_side(PGconn* conn, const std::string& query, Format format) {
  const int result_format = static_cast<int>(format);
  if (!PQsendQueryParams(conn, query.c_str(), 0, nullptr, nullptr, nullptr, nullptr,
                         result_format)) {
    throw std::runtime_error(std::string("typed_fetch: ") + PQerrorMessage(conn));
  }
  SideResult out;
  RowFold sum;
  Decimal numeric;
  while (PGresult* res = PQgetResult(conn)) {
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
      std::string message = PQresultErrorMessage(res);
      PQclear(res);
      throw std::runtime_error("typed_fetch: " + message);
    }
    const int n = PQntuples(res);
    for (int r = 0; r < n; ++r) {
      if (result_format == 0) {
        text_decimal(PQgetvalue(res, r, 5), numeric);
        const char* t = PQgetvalue(res, r, 3);
        const std::string text(t, static_cast<size_t>(PQgetlength(res, r, 3)));
        sum.add(static_cast<int32_t>(std::strtol(PQgetvalue(res, r, 0), nullptr, 10)),
                std::strtoll(PQgetvalue(res, r, 1), nullptr, 10),
                std::strtod(PQgetvalue(res, r, 2), nullptr), text,
                text_timestamptz(PQgetvalue(res, r, 4)), numeric.digits, numeric.scale,
                numeric.negative, PQgetvalue(res, r, 6)[0] == 't');
      } else {
        binary_decimal(PQgetvalue(res, r, 5), numeric);
        const char* t = PQgetvalue(res, r, 3);
        const std::string text(t, static_cast<size_t>(PQgetlength(res, r, 3)));
        sum.add(static_cast<int32_t>(be32(PQgetvalue(res, r, 0))),
                static_cast<int64_t>(be64(PQgetvalue(res, r, 1))),
                std::bit_cast<double>(be64(PQgetvalue(res, r, 2))), text,
                static_cast<int64_t>(be64(PQgetvalue(res, r, 4))), numeric.digits, numeric.scale,
                numeric.negative, PQgetvalue(res, r, 6)[0] != 0);
      }
    }
    out.units += n;
    PQclear(res);
  }
  out.checksum = sum.sum;
  return out;
}

// ---- the workload ----------------------------------------------------------------------

struct State {
  std::string dsn;
  int64_t rows = 0;
  Format format = Format::kText;
  std::string table;
  std::string query;
  std::shared_ptr<Connection> pgcpp;  // made by setup
  PGconn* libpq = nullptr;

  ~State() {
    if (libpq) PQfinish(libpq);
  }

  void setup() {
    if (!libpq) {
      libpq = libpq_connect(dsn);
      libpq_exec(libpq, "SET TimeZone TO 'UTC'; SET DateStyle TO ISO");
    }
    if (!pgcpp) {
      pgcpp = std::make_shared<Connection>(Connection::connect(dsn, {.autocommit = true}));
      pgcpp->execute("SET TimeZone TO 'UTC'");
    }
    PGresult* res = PQexec(libpq, ("SELECT count(*) FROM " + table).c_str());
    const bool ready = PQresultStatus(res) == PGRES_TUPLES_OK &&
                       std::strtoll(PQgetvalue(res, 0, 0), nullptr, 10) == rows;
    PQclear(res);
    if (ready) return;
    libpq_exec(libpq, "DROP TABLE IF EXISTS " + table);
    libpq_exec(libpq, "CREATE TABLE " + table +
                          " AS SELECT i::int4 AS id, i::int8 * 1000003 AS big,"
                          " i * 0.25::float8 AS f, substr(md5(i::text), 1, 20) AS t,"
                          " timestamptz '2020-01-01 00:00:00+00' + i * interval '1.234567 s' AS ts,"
                          " ((i - " +
                          std::to_string(rows / 2) +
                          ") * 123.45)::numeric(12,2) AS n, i % 3 = 0 AS b"
                          " FROM generate_series(1, " +
                          std::to_string(rows) + ") AS i");
    libpq_exec(libpq, "VACUUM ANALYZE " + table);
  }
};

}  // namespace

Workload typed_fetch(std::string dsn, int64_t rows, Format format) {
  auto state = std::make_shared<State>();
  state->dsn = std::move(dsn);
  state->rows = rows;
  state->format = format;
  state->table = "w1_typed_fetch_" + std::to_string(rows);
  state->query = std::string("SELECT ") + kColumns + " FROM " + state->table;
  Workload w;
  w.name = std::string("W1 typed fetch (") + (format == Format::kBinary ? "binary" : "text") + ")";
  w.unit = "rows";
  w.reference_name = "libpq";
  w.setup = [state] { state->setup(); };
  w.pgcpp = [state] { return pgcpp_side(*state->pgcpp, state->query, state->format); };
  w.reference = [state] { return libpq_side(state->libpq, state->query, state->format); };
  return w;
}

}  // namespace pgcpp::bench
