// Connects to the server named by the DSN argument (or PGCPP_DSN) and runs one query.
// Built by CI from outside the pgcpp workspace, to prove @pgcpp//core is usable alone.
#include <cstdlib>
#include <iostream>

#include "pgcpp/core/protocol.h"
#include "pgcpp/core/waiting.h"

int main(int argc, char** argv) {
  const char* dsn = argc > 1 ? argv[1] : std::getenv("PGCPP_DSN");
  if (dsn == nullptr) {
    std::cerr << "usage: consumer DSN (or set PGCPP_DSN)\n";
    return 2;
  }
  try {
    pgcpp::PGconnPtr conn = pgcpp::wait(pgcpp::protocol::connect(dsn, std::chrono::seconds(10)));
    PQsendQuery(conn.get(), "SELECT 'consumer ok'");
    auto results = pgcpp::wait(pgcpp::protocol::execute(conn.get()));
    std::cout << PQgetvalue(results.at(0).get(), 0, 0) << "\n";
  } catch (const std::exception& e) {
    std::cerr << "consumer: " << e.what() << "\n";
    return 1;
  }
}
