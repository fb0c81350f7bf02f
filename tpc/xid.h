// Xid: the identifier of a two-phase (XA) transaction, psycopg's Xid.
//
//   pgcpp::Xid xid(42, "gtrid", "bqual");
//   xid.to_string();                                  // "42_Z3RyaWQ=_YnF1YWw="
//   pgcpp::Xid::from_string("42_Z3RyaWQ=_YnF1YWw=");  // == xid
//   pgcpp::Xid::from_string("my-gid");                // unparsed: format_id() and bqual() empty
//
// An Xid is an X/Open XA triple: format_id (0 <= format_id < 2^31), the global
// transaction id `gtrid` and the branch qualifier `bqual`, each at most 64
// characters (Unicode code points of its UTF-8 text). Its string form, the
// PostgreSQL transaction identifier (gid) used by PREPARE TRANSACTION, is
// `<format_id>_<base64(gtrid)>_<base64(bqual)>` in standard base64 (`+/`, `=`
// padding): the form the PostgreSQL JDBC driver and psycopg use, so xids
// prepared by them are recovered here and the other way round.
//
// A gid prepared by other software may not follow that form: from_string()
// then returns an "unparsed" Xid whose gtrid is the whole gid (psycopg's
// Xid(None, gid, None)), and whose to_string() gives the gid back. Unlike
// psycopg, only the canonical form parses (base64 that re-encodes to exactly
// the text given), so to_string() of any parsed Xid is the very gid it came
// from and COMMIT PREPARED of a recovered Xid always names the right
// transaction.
//
// Xids returned by recovery (pgcpp/tpc/two_phase.h) also carry when the
// transaction was prepared, by which role and in which database.
// Equality compares format_id, gtrid and bqual only.
#ifndef PGCPP_TPC_XID_H_
#define PGCPP_TPC_XID_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace pgcpp {

class Xid {
 public:
  using TimePoint = std::chrono::time_point<std::chrono::system_clock, std::chrono::microseconds>;

  // Validates as psycopg does; a bad value raises ProgrammingError (psycopg's
  // ValueError) naming it: format_id outside [0, 2^31), gtrid or bqual longer
  // than 64 characters or not valid UTF-8.
  Xid(int64_t format_id, std::string gtrid, std::string bqual);

  // The Xid a gid stands for: the parsed triple when `gid` is in the form above
  // (and valid), else an unparsed Xid holding `gid`. Never throws for any text.
  static Xid from_string(std::string_view gid);

  // What recovery returns for a row of pg_prepared_xacts.
  static Xid recovered(std::string_view gid, TimePoint prepared, std::string owner,
                       std::string database);

  // Empty for an unparsed Xid.
  std::optional<int32_t> format_id() const { return format_id_; }
  // The gid itself for an unparsed Xid.
  const std::string& gtrid() const { return gtrid_; }
  // Empty for an unparsed Xid.
  const std::optional<std::string>& bqual() const { return bqual_; }

  // The PostgreSQL transaction identifier (see above).
  std::string to_string() const;

  // Set on the Xids recovery returns (pg_prepared_xacts' prepared, owner, database).
  const std::optional<TimePoint>& prepared() const { return prepared_; }
  const std::optional<std::string>& owner() const { return owner_; }
  const std::optional<std::string>& database() const { return database_; }

  friend bool operator==(const Xid& a, const Xid& b) {
    return a.format_id_ == b.format_id_ && a.gtrid_ == b.gtrid_ && a.bqual_ == b.bqual_;
  }

 private:
  explicit Xid(std::string unparsed_gid) : gtrid_(std::move(unparsed_gid)) {}
  static std::optional<Xid> parse(std::string_view gid);

  std::optional<int32_t> format_id_;
  std::string gtrid_;
  std::optional<std::string> bqual_;
  std::optional<TimePoint> prepared_;
  std::optional<std::string> owner_;
  std::optional<std::string> database_;
};

// psycopg's repr: Xid(42, 'gtrid', 'bqual') or Xid(None, 'gid', None) (for test messages).
std::ostream& operator<<(std::ostream& out, const Xid& xid);

}  // namespace pgcpp

#endif  // PGCPP_TPC_XID_H_
