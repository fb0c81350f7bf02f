// ConnectionInfo: what libpq and the server say about a connection.
//
//   pgcpp::ConnectionInfo info = conn.info();
//   std::cout << info.dsn() << " pid " << info.backend_pid()
//             << " server " << info.server_version() << "\n";
//
// psycopg's conn.info, with two differences that keep secrets out of logs:
// dsn() and get_parameters() leave the password out (as psycopg does), and
// password() returns a mask ("********") when a password was used.
//
// A ConnectionInfo is a view: it reads the connection on each call, and must
// not outlive the connection. On a closed connection every call raises
// OperationalError("the connection is closed"), except status() (kBad) and
// transaction_status() (kUnknown).
#ifndef PGCPP_CORE_CONNECTION_INFO_H_
#define PGCPP_CORE_CONNECTION_INFO_H_

#include <cstdint>
#include <optional>
#include <string>

#include "pgcpp/core/base_connection.h"
#include "pgcpp/core/conninfo.h"

namespace pgcpp {

enum class ConnStatus : int { kOk = CONNECTION_OK, kBad = CONNECTION_BAD };
enum class PipelineStatus : int {
  kOff = PQ_PIPELINE_OFF,
  kOn = PQ_PIPELINE_ON,
  kAborted = PQ_PIPELINE_ABORTED,
};

class ConnectionInfo {
 public:
  explicit ConnectionInfo(const BaseConnection& conn) : conn_(&conn) {}

  std::string vendor() const { return "PostgreSQL"; }
  std::string host() const;
  std::string hostaddr() const;
  int port() const;  // the compiled-in default when the connection gave none
  std::string dbname() const;
  std::string user() const;
  std::optional<std::string> password() const;  // "********" when set
  std::string options() const;

  ConnStatus status() const;
  TransactionStatus transaction_status() const;
  PipelineStatus pipeline_status() const;

  int server_version() const;  // e.g. 150018
  int backend_pid() const;
  // The key that authorises cancel requests for this backend; nullopt when
  // this libpq's cancel data cannot be read (see pgcpp/core/cancel.h).
  std::optional<int32_t> secret_key() const;
  std::string error_message() const;

  // The client encoding as PostgreSQL names it ("UTF8", "LATIN1", ...).
  std::string encoding() const;
  // The session's TimeZone setting ("UTC", "Europe/Rome", "<+03>-03", ...).
  std::string timezone() const;
  std::optional<std::string> parameter_status(const std::string& name) const;

  // The connection parameters in use, without the password and without any
  // value equal to libpq's default; includes values from PG* variables.
  ConnInfoDict get_parameters() const;
  // make_conninfo(get_parameters()): a conninfo string safe to log.
  std::string dsn() const;

 private:
  PGconn* pgconn() const { return conn_->checked_pgconn(); }

  const BaseConnection* conn_;
};

}  // namespace pgcpp

#endif  // PGCPP_CORE_CONNECTION_INFO_H_
