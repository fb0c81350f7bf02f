#include "tools/embedded_server.h"

#include <cstdlib>
#include <iostream>

namespace pgcpp::tools {

namespace {

bool has_pg_variables() {
  for (const char* name : {"PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return true;
  }
  return false;
}

}  // namespace

Target resolve_target(const std::optional<std::string>& dsn_flag,
                      const testing::ServerOptions& embedded) {
  Target target;
  if (dsn_flag) {
    target.dsn = *dsn_flag;
    target.origin = "--dsn";
  } else if (const char* env = std::getenv("PGCPP_DSN"); env != nullptr && *env != '\0') {
    target.dsn = env;
    target.origin = "PGCPP_DSN";
  } else if (has_pg_variables()) {
    target.origin = "PG* variables";
  } else {
    std::cerr << "pgcpp: no --dsn, PGCPP_DSN or PG* variables: starting an embedded server"
              << std::endl;
    target.server = std::make_unique<testing::EphemeralServer>(embedded);
    target.dsn = target.server->dsn();
    target.origin = "embedded server";
    std::cerr << "pgcpp: embedded server: " << target.dsn << std::endl;
  }
  return target;
}

}  // namespace pgcpp::tools
