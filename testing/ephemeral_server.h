// A throwaway PostgreSQL server for tests: initdb into a fresh folder under
// /tmp, start on a free 127.0.0.1 port, and on destruction stop it and delete
// every file it made.
//
//   pgcpp::testing::EphemeralServer server({.settings = {{"max_prepared_transactions", "10"}}});
//   PGconn* conn = PQconnectdb(server.dsn().c_str());   // TCP, superuser "postgres"
//   server.create_database("app");
//   PGconn* app = PQconnectdb(server.dsn("app").c_str());
//   server.restart();                                   // same port, same data
//
//   pgcpp::testing::EphemeralServer tls({.tls = true});
//   std::string dsn = "host=localhost port=" + std::to_string(tls.port()) +
//                     " user=postgres sslmode=verify-full sslrootcert=" + tls.ca_file();
//
// The PostgreSQL 15 binaries come from /usr/lib/postgresql/15/bin (or the
// folder in $PGCPP_PG_BINDIR); `tools/bootstrap.sh` installs them. PostgreSQL
// refuses to run as root, so as root the server runs as the `postgres` system
// user, which owns the server's folder. Tests that start servers need the
// Bazel tag "no-sandbox" (the sandbox forbids chown); `pg_cc_test` adds it.
//
// Nothing is left behind: the destructor stops the server (also while an
// exception unwinds) and deletes its folder, and a small watcher process does
// the same if the test process is killed (e.g. by Bazel's timeout). A forked
// child that inherits an EphemeralServer object never touches the server.
//
// Not thread-safe: use one EphemeralServer from one thread at a time.
#ifndef PGCPP_TESTING_EPHEMERAL_SERVER_H_
#define PGCPP_TESTING_EPHEMERAL_SERVER_H_

#include <map>
#include <string>
#include <string_view>

namespace pgcpp::testing {

// Meant for designated initializers: EphemeralServer({.tls = true}). (Every
// member has a default initializer, so GCC's -Wmissing-field-initializers
// stays quiet about the ones left out.)
struct ServerOptions {
  // Extra postgresql.conf settings, e.g. {"max_prepared_transactions", "10"}.
  // They come after (and so override) the harness's own; the port is
  // `port` below. Names are [a-z0-9_.]+; values may hold anything but a newline.
  std::map<std::string, std::string> settings{};

  // Authentication of TCP connections. Unix-socket connections are always
  // trusted, so the harness (create_database, execute) needs no password.
  enum class Auth { kTrust, kScramSha256 } auth = Auth::kTrust;

  // Password of the superuser "postgres"; required with kScramSha256 (stored
  // as a SCRAM secret). When set, dsn() includes it.
  std::string password{};

  // Generates a CA and a server certificate (subjectAltName DNS:localhost,
  // IP:127.0.0.1, EC P-256) and turns ssl on; ca_file() is the CA for
  // sslrootcert. Clients choose the sslmode.
  bool tls = false;

  // 127.0.0.1 port; 0 picks a free one (and retries with another should it be
  // taken before the server binds it).
  int port = 0;
};

class EphemeralServer {
 public:
  // Creates the folder, runs initdb, starts the server and waits until it
  // accepts connections (30 s at most). Throws std::invalid_argument for bad
  // options and std::runtime_error when something fails (missing binaries: a
  // message saying to run tools/bootstrap.sh; a server that does not start:
  // the tail of its log). Nothing is left behind when it throws.
  explicit EphemeralServer(ServerOptions options = {});
  // Stops the server (fast shutdown, escalating to SIGQUIT and SIGKILL) and
  // deletes its folder. Never throws.
  ~EphemeralServer();

  EphemeralServer(const EphemeralServer&) = delete;
  EphemeralServer& operator=(const EphemeralServer&) = delete;
  EphemeralServer(EphemeralServer&&) = delete;
  EphemeralServer& operator=(EphemeralServer&&) = delete;

  // "host=127.0.0.1 port=N user=postgres dbname=X" (+ " password=..." when
  // options.password is set). No sslmode: that is the caller's choice.
  std::string dsn(std::string_view dbname = "postgres") const;
  std::string host() const;  // "127.0.0.1"
  int port() const;
  // The unix-socket folder (short, under /tmp): "host=<socket_dir()> port=N".
  std::string socket_dir() const;
  // The CA certificate that signed the server's; throws std::logic_error
  // unless options.tls.
  std::string ca_file() const;
  std::string data_dir() const;
  // The postmaster's pid, or -1 when stopped.
  int pid() const;
  // False after stop(), and also when the server died on its own.
  bool running() const;

  // Fast shutdown; waits for the exit. Data is kept. No-op when stopped.
  void stop();
  // Starts again with the same port and data. Throws std::runtime_error like
  // the constructor (e.g. when another process took the port meanwhile).
  void start();
  void restart();

  // CREATE DATABASE <name> (the name is quoted as an identifier), as the
  // superuser over the unix socket. Throws std::runtime_error with the
  // server's message.
  void create_database(std::string_view name);
  // Runs `sql` (one or more statements) as the superuser over the unix socket
  // in database `dbname`. Throws std::runtime_error with the server's message.
  void execute(std::string_view sql, std::string_view dbname = "postgres");

 private:
  void create();
  void initialize();
  void generate_certificates();
  void write_configuration();
  void start_reaper();
  bool launch();  // false: the port was taken
  void cleanup() noexcept;

  ServerOptions options_;
  std::string bindir_;
  bool switch_user_ = false;  // running as root: children run as `postgres`
  unsigned run_as_uid_ = 0;
  unsigned run_as_gid_ = 0;
  std::string folder_;
  int port_ = 0;
  mutable int pid_ = -1;
  int owner_pid_ = -1;  // the process that may stop the server and delete files
  int reaper_pid_ = -1;
  int reaper_fd_ = -1;  // our end of the watcher's stdin
};

}  // namespace pgcpp::testing

#endif  // PGCPP_TESTING_EPHEMERAL_SERVER_H_
