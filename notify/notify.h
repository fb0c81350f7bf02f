// Notify: one asynchronous notification (PostgreSQL's NOTIFY), psycopg's Notify.
//
//   pgcpp::Notify n{.channel = "jobs", .payload = "42", .pid = 1234};
//
// channel and payload are the server's bytes in the connection's client
// encoding (UTF-8 unless the session changed client_encoding); pid is the
// process id of the sending backend (ConnectionInfo::backend_pid of the
// sender, which tells a session its own notifications apart).
//
// Receiving them: pgcpp/notify/notifications.h.
#ifndef PGCPP_NOTIFY_NOTIFY_H_
#define PGCPP_NOTIFY_NOTIFY_H_

#include <libpq-fe.h>

#include <ostream>
#include <string>

namespace pgcpp {

struct Notify {
  std::string channel{};
  std::string payload{};
  int pid = 0;

  // From what libpq received (PQnotifies).
  static Notify from_pq(const PGnotify& notify) {
    return Notify{.channel = notify.relname, .payload = notify.extra, .pid = notify.be_pid};
  }

  friend bool operator==(const Notify&, const Notify&) = default;
};

// Notify(channel='jobs', payload='42', pid=1234), psycopg's repr (not escaped).
std::ostream& operator<<(std::ostream& out, const Notify& notify);

}  // namespace pgcpp

#endif  // PGCPP_NOTIFY_NOTIFY_H_
