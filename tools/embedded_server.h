// Where a `pgcpp` command connects: --dsn, else $PGCPP_DSN, else libpq's PG* variables
// (PGHOST, PGHOSTADDR, PGPORT, PGDATABASE, PGUSER, PGSERVICE), else an ephemeral server
// started for the command and removed when it ends (the embedded default).
//
//   pgcpp::tools::Target target = pgcpp::tools::resolve_target(dsn_flag);
//   auto conn = pgcpp::Connection::connect(target.dsn);
//   // target.server (if any) stops and deletes the server when target goes away
#ifndef PGCPP_TOOLS_EMBEDDED_SERVER_H_
#define PGCPP_TOOLS_EMBEDDED_SERVER_H_

#include <memory>
#include <optional>
#include <string>

#include "pgcpp/testing/ephemeral_server.h"

namespace pgcpp::tools {

struct Target {
  std::string dsn{};     // "" when libpq's PG* variables say where to connect
  std::string origin{};  // "--dsn", "PGCPP_DSN", "PG* variables", "embedded server"
  std::unique_ptr<testing::EphemeralServer> server{};  // the embedded server, if started
};

// Resolves the target as described above. Starting the embedded server prints a line
// saying so to stderr (stdout stays the command's output). `embedded` configures it.
Target resolve_target(const std::optional<std::string>& dsn_flag,
                      const testing::ServerOptions& embedded = {});

}  // namespace pgcpp::tools

#endif  // PGCPP_TOOLS_EMBEDDED_SERVER_H_
