#include "pgcpp/testing/ephemeral_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "pgcpp/testing/abandoned_folders.h"
#include "pgcpp/testing/conninfo.h"
#include "pgcpp/testing/subprocess.h"

namespace pgcpp::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing_internal::Account;
using testing_internal::append_conninfo;
using testing_internal::ChildOptions;
using Clock = std::chrono::steady_clock;

constexpr char kDefaultBinDir[] = "/usr/lib/postgresql/15/bin";
constexpr char kOpenssl[] = "/usr/bin/openssl";
constexpr auto kStartDeadline = seconds(30);
constexpr auto kToolDeadline = seconds(120);  // initdb, openssl on a busy machine
constexpr int kPortAttempts = 10;

// Shutdown: fast (SIGINT), then immediate (SIGQUIT), then SIGKILL. A function,
// not a global: a server in a function-local static is stopped at exit, after
// globals of other files may be gone.
std::vector<std::pair<int, milliseconds>> stop_steps() {
  return {{SIGINT, seconds(10)}, {SIGQUIT, seconds(5)}};
}

// Runs in /bin/sh with stdin = a socket from the owning process and $1 = the
// server's folder. A line "done" means the owner cleaned up; EOF without it
// means the owner died: stop the postmaster still running in the folder (the
// pid file names it; its cwd confirms it is ours, not a reused pid), kill any
// process still working in the folder (an initdb, a server still starting,
// orphaned backends), then delete the folder, again until nothing is left.
constexpr char kReaperScript[] = R"sh(
dir=$1
IFS= read -r line
[ "$line" = done ] && exit 0
real=$(cd "$dir" 2>/dev/null && pwd -P) || real=$dir
alive() {
  state=$(sed -n 's/^.*) \(.\).*$/\1/p' "/proc/$1/stat" 2>/dev/null)
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}
# Every live process working inside the folder: initdb, the postmaster, its children.
inside() {
  for p in /proc/[0-9]*; do
    c=$(readlink "$p/cwd" 2>/dev/null) || continue
    case $c in "$real"|"$real"/*) alive "${p#/proc/}" && echo "${p#/proc/}";; esac
  done
}
# First an immediate shutdown of the postmaster, which stops its children too.
pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null)
case $pid in
  ''|*[!0-9]*) ;;
  *)
    if [ "$(readlink "/proc/$pid/cwd")" = "$real/data" ]; then
      kill -QUIT "$pid" 2>/dev/null
      i=0
      while [ $i -lt 200 ] && alive "$pid"; do sleep 0.05; i=$((i+1)); done
    fi
    ;;
esac
# Then whatever is left (an initdb or a server still starting, orphaned
# backends) is killed, and the folder removed once nothing can write to it.
i=0
while [ $i -lt 100 ]; do
  left=$(inside)
  [ -z "$left" ] && rm -rf "$dir" && [ ! -e "$dir" ] && exit 0
  for p in $left; do kill -KILL "$p" 2>/dev/null; done
  sleep 0.05
  i=$((i+1))
done
rm -rf "$dir"
)sh";

// Extensions for the generated CA and server certificate (openssl -config / -extfile).
constexpr char kOpensslConfig[] = R"(
[req]
distinguished_name = dn
prompt = no
[dn]
CN = pgcpp test
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
)";

std::string errno_text(int error) { return std::strerror(error); }

std::string find_bindir() {
  const char* env = std::getenv("PGCPP_PG_BINDIR");
  const bool from_env = env != nullptr && *env != '\0';
  const std::string dir = from_env ? env : kDefaultBinDir;
  for (const char* program : {"initdb", "postgres"}) {
    const std::string path = dir + "/" + program;
    if (access(path.c_str(), X_OK) != 0) {
      throw std::runtime_error("PostgreSQL server binary " + path + " is missing (" +
                               errno_text(errno) +
                               "): run tools/bootstrap.sh to install PostgreSQL 15" +
                               (from_env ? ", or fix PGCPP_PG_BINDIR" : ""));
    }
  }
  return dir;
}

void validate(const ServerOptions& options) {
  if (options.auth == ServerOptions::Auth::kScramSha256 && options.password.empty()) {
    throw std::invalid_argument("ServerOptions: auth kScramSha256 needs a password");
  }
  if (options.password.find_first_of(std::string("\n\r\0", 3)) != std::string::npos) {
    throw std::invalid_argument("ServerOptions: the password may not contain a newline or NUL");
  }
  if (options.port < 0 || options.port > 65535) {
    throw std::invalid_argument("ServerOptions: port " + std::to_string(options.port) +
                                " is outside 0..65535");
  }
  for (const auto& [name, value] : options.settings) {
    bool ok = !name.empty();
    for (char c : name) {
      ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.');
    }
    if (!ok) {
      throw std::invalid_argument("ServerOptions: setting name \"" + name +
                                  "\" is not of the form [a-z0-9_.]+");
    }
    if (value.find_first_of(std::string("\n\r\0", 3)) != std::string::npos) {
      throw std::invalid_argument("ServerOptions: the value of setting " + name +
                                  " contains a newline or NUL");
    }
  }
}

// A postgresql.conf string literal (the parser reads backslash escapes).
std::string conf_quote(std::string_view value) {
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') quoted += c;
    quoted += c;
  }
  quoted += '\'';
  return quoted;
}

std::string read_file(const std::string& path, std::streamoff from = 0) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(from);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

void write_file(const std::string& path, std::string_view content, mode_t mode) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) throw std::runtime_error("cannot create " + path + ": " + errno_text(errno));
  bool ok = write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  int error = errno;
  close(fd);
  if (!ok) throw std::runtime_error("cannot write " + path + ": " + errno_text(error));
}

int pick_free_port() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket: " + errno_text(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    int error = errno;
    close(fd);
    throw std::runtime_error("cannot find a free 127.0.0.1 port: " + errno_text(error));
  }
  close(fd);
  return ntohs(addr.sin_port);
}

// "ready" in postmaster.pid's status line, written by `pid`: what pg_ctl waits for.
bool postmaster_ready(const std::string& data_dir, int pid) {
  std::istringstream lines(read_file(data_dir + "/postmaster.pid"));
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    if (number == 1 && line != std::to_string(pid)) return false;
    if (number == 8) return line.rfind("ready", 0) == 0;
  }
  return false;
}

using Connection = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

std::string trimmed(const char* message) {
  std::string text = message != nullptr ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

EphemeralServer::EphemeralServer(ServerOptions options)
    : options_(std::move(options)), owner_pid_(getpid()) {
  validate(options_);
  bindir_ = find_bindir();
  if (geteuid() == 0) {
    const passwd* user = getpwnam("postgres");
    if (user == nullptr) {
      throw std::runtime_error(
          "running as root, but there is no `postgres` system user to run PostgreSQL as: run "
          "tools/bootstrap.sh (Debian's postgresql package creates it)");
    }
    switch_user_ = true;
    run_as_uid_ = user->pw_uid;
    run_as_gid_ = user->pw_gid;
  }
  try {
    create();
  } catch (...) {
    cleanup();
    throw;
  }
}

EphemeralServer::~EphemeralServer() { cleanup(); }

void EphemeralServer::create() {
  static std::once_flag swept;
  std::call_once(swept, [] { testing_internal::remove_abandoned_folders(); });
  char folder[] = "/tmp/pgcpp-XXXXXX";
  if (mkdtemp(folder) == nullptr) {
    throw std::runtime_error("cannot create a folder under /tmp: " + errno_text(errno));
  }
  folder_ = folder;
  if (switch_user_ && chown(folder, run_as_uid_, run_as_gid_) != 0) {
    throw std::runtime_error(
        "cannot chown " + folder_ + " to the postgres user: " + errno_text(errno) +
        " (inside Bazel's sandbox? tag the test " + "\"no-sandbox\", as pg_cc_test does)");
  }
  start_reaper();
  initialize();
  for (int attempt = 1;; ++attempt) {
    port_ = options_.port != 0 ? options_.port : pick_free_port();
    if (launch()) return;
    if (options_.port != 0 || attempt == kPortAttempts) {
      throw std::runtime_error(
          "PostgreSQL could not bind 127.0.0.1 port " + std::to_string(port_) +
          " (in use); server log:\n" +
          testing_internal::tail_lines(read_file(folder_ + "/server.log"), 20));
    }
  }
}

void EphemeralServer::start_reaper() {
  // A socket rather than a pipe: send(MSG_NOSIGNAL) cannot raise SIGPIPE in
  // the test should the watcher be gone.
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    throw std::runtime_error("socketpair: " + errno_text(errno));
  }
  ChildOptions child{
      .argv = {"/bin/sh", "-c", kReaperScript, "pgcpp-reaper", folder_},
      .env = {"PATH=/usr/bin:/bin"},
      .stdin_fd = fds[0],
      .new_session = true,
  };
  try {
    reaper_pid_ = testing_internal::spawn(child);
  } catch (...) {
    close(fds[0]);
    close(fds[1]);
    throw;
  }
  close(fds[0]);
  reaper_fd_ = fds[1];
}

void EphemeralServer::initialize() {
  const std::string pwfile = folder_ + "/pwfile";
  ChildOptions initdb{
      .argv = {bindir_ + "/initdb", "-D", data_dir(), "--no-sync", "-E", "UTF8", "--no-locale",
               "-U", "postgres", "--auth-local=trust",
               options_.auth == ServerOptions::Auth::kScramSha256 ? "--auth-host=scram-sha-256"
                                                                  : "--auth-host=trust"},
      .env = {"PATH=/usr/bin:/bin", "LC_ALL=C", "HOME=" + folder_},
      .cwd = folder_,
  };
  if (switch_user_) initdb.account = Account{run_as_uid_, run_as_gid_};
  if (!options_.password.empty()) {
    write_file(pwfile, options_.password + "\n", 0600);
    if (switch_user_ && chown(pwfile.c_str(), run_as_uid_, run_as_gid_) != 0) {
      throw std::runtime_error("cannot chown " + pwfile + ": " + errno_text(errno));
    }
    initdb.argv.push_back("--pwfile=" + pwfile);
  }
  testing_internal::check_run(std::move(initdb), kToolDeadline);
  unlink(pwfile.c_str());
  if (options_.tls) generate_certificates();
  write_configuration();
}

void EphemeralServer::generate_certificates() {
  if (access(kOpenssl, X_OK) != 0) {
    throw std::runtime_error(std::string(kOpenssl) +
                             " is missing (needed for tls): run tools/bootstrap.sh");
  }
  const std::string config = folder_ + "/openssl.cnf";
  write_file(config, kOpensslConfig, 0644);
  std::random_device random;
  const std::string serial = std::to_string((static_cast<uint64_t>(random()) << 31) ^ random());
  const std::vector<std::string> ec_key = {"-newkey", "ec", "-pkeyopt",
                                           "ec_paramgen_curve:prime256v1", "-nodes"};
  auto openssl = [&](std::vector<std::string> args) {
    ChildOptions child{.argv = {kOpenssl},
                       .env = {"PATH=/usr/bin:/bin", "HOME=" + folder_, "OPENSSL_CONF=" + config},
                       .cwd = folder_};
    child.argv.insert(child.argv.end(), args.begin(), args.end());
    testing_internal::check_run(std::move(child), kToolDeadline);
  };
  std::vector<std::string> ca = {"req",     "-x509",  "-config", config,  "-extensions",
                                 "ca_ext",  "-days",  "7",       "-subj", "/CN=pgcpp test CA",
                                 "-keyout", "ca.key", "-out",    "ca.crt"};
  ca.insert(ca.end(), ec_key.begin(), ec_key.end());
  openssl(ca);
  std::vector<std::string> request = {"req",   "-new",          "-config", config,
                                      "-subj", "/CN=localhost", "-keyout", "server.key",
                                      "-out",  "server.csr"};
  request.insert(request.end(), ec_key.begin(), ec_key.end());
  openssl(request);
  openssl({"x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial",
           serial, "-days", "7", "-extfile", config, "-extensions", "server_ext", "-out",
           "server.crt"});
  for (const char* file : {"server.key", "server.crt"}) {
    const std::string path = folder_ + "/" + file;
    if (chmod(path.c_str(), 0600) != 0 ||
        (switch_user_ && chown(path.c_str(), run_as_uid_, run_as_gid_) != 0)) {
      throw std::runtime_error("cannot hand " + path + " to the server: " + errno_text(errno));
    }
  }
}

void EphemeralServer::write_configuration() {
  std::map<std::string, std::string> settings = {
      {"listen_addresses", "127.0.0.1"},
      {"unix_socket_directories", folder_},
      {"fsync", "off"},
      {"synchronous_commit", "off"},
      {"full_page_writes", "off"},
      {"logging_collector", "off"},
  };
  if (options_.tls) {
    settings["ssl"] = "on";
    settings["ssl_cert_file"] = folder_ + "/server.crt";
    settings["ssl_key_file"] = folder_ + "/server.key";
  }
  for (const auto& [name, value] : options_.settings) settings[name] = value;
  std::string text = "\n# pgcpp::testing::EphemeralServer\n";
  for (const auto& [name, value] : settings) text += name + " = " + conf_quote(value) + "\n";
  const std::string path = data_dir() + "/postgresql.conf";
  std::ofstream conf(path, std::ios::app);
  conf << text;
  conf.close();
  if (!conf) throw std::runtime_error("cannot append to " + path);
}

bool EphemeralServer::launch() {
  const std::string log_path = folder_ + "/server.log";
  int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) throw std::runtime_error("cannot open " + log_path + ": " + errno_text(errno));
  const off_t log_start = lseek(log, 0, SEEK_END);
  ChildOptions postgres{
      .argv = {bindir_ + "/postgres", "-D", data_dir(), "-p", std::to_string(port_)},
      .env = {"PATH=/usr/bin:/bin", "LC_ALL=C", "HOME=" + folder_},
      .cwd = folder_,
      .output_fd = log,
      .new_session = true,  // our terminal's Ctrl-C is for us; cleanup stops the server
  };
  if (switch_user_) postgres.account = Account{run_as_uid_, run_as_gid_};
  try {
    pid_ = testing_internal::spawn(postgres);
  } catch (...) {
    close(log);
    throw;
  }
  close(log);

  const auto deadline = Clock::now() + kStartDeadline;
  while (!postmaster_ready(data_dir(), pid_)) {
    if (std::optional<int> status = testing_internal::wait_for(pid_, milliseconds(5))) {
      pid_ = -1;
      const std::string output = read_file(log_path, log_start);
      if (output.find("Address already in use") != std::string::npos) return false;
      throw std::runtime_error("PostgreSQL exited during startup (" +
                               testing_internal::describe_status(*status) + "); server log:\n" +
                               testing_internal::tail_lines(output, 20));
    }
    if (Clock::now() > deadline) {
      testing_internal::terminate(pid_, stop_steps());
      pid_ = -1;
      throw std::runtime_error("PostgreSQL did not become ready within 30 s; server log:\n" +
                               testing_internal::tail_lines(read_file(log_path, log_start), 20));
    }
  }
  return true;
}

void EphemeralServer::cleanup() noexcept {
  if (getpid() != owner_pid_) return;  // a forked copy: the server is not ours to stop
  try {
    stop();
    bool removed = true;
    if (!folder_.empty()) {
      std::error_code error;
      std::filesystem::remove_all(folder_, error);
      removed = !error;
    }
    if (reaper_fd_ >= 0) {
      if (removed) {
        [[maybe_unused]] ssize_t ignored = send(reaper_fd_, "done\n", 5, MSG_NOSIGNAL);
      }
      close(reaper_fd_);
      reaper_fd_ = -1;
    }
    if (reaper_pid_ > 0) {
      testing_internal::terminate(reaper_pid_, {{0, seconds(15)}});
      reaper_pid_ = -1;
    }
  } catch (...) {
    // Out of memory at worst; the reaper still removes what is left.
  }
}

std::string EphemeralServer::dsn(std::string_view dbname) const {
  std::string dsn;
  append_conninfo(dsn, "host", host());
  append_conninfo(dsn, "port", std::to_string(port_));
  append_conninfo(dsn, "user", "postgres");
  append_conninfo(dsn, "dbname", dbname);
  if (!options_.password.empty()) append_conninfo(dsn, "password", options_.password);
  return dsn;
}

std::string EphemeralServer::host() const { return "127.0.0.1"; }

int EphemeralServer::port() const { return port_; }

std::string EphemeralServer::socket_dir() const { return folder_; }

std::string EphemeralServer::ca_file() const {
  if (!options_.tls) {
    throw std::logic_error("EphemeralServer::ca_file(): the server was started without tls");
  }
  return folder_ + "/ca.crt";
}

std::string EphemeralServer::data_dir() const { return folder_ + "/data"; }

int EphemeralServer::pid() const { return running() ? pid_ : -1; }

bool EphemeralServer::running() const {
  if (pid_ > 0 && testing_internal::wait_for(pid_, milliseconds(0)).has_value()) pid_ = -1;
  return pid_ > 0;
}

void EphemeralServer::stop() {
  if (pid_ > 0) testing_internal::terminate(pid_, stop_steps());
  pid_ = -1;
}

void EphemeralServer::start() {
  if (running()) return;
  if (!launch()) {
    throw std::runtime_error("cannot restart PostgreSQL: 127.0.0.1 port " + std::to_string(port_) +
                             " was taken by another process meanwhile");
  }
}

void EphemeralServer::restart() {
  stop();
  start();
}

void EphemeralServer::create_database(std::string_view name) {
  if (name.empty() || name.find('\0') != std::string_view::npos) {
    throw std::invalid_argument("create_database: the name must be non-empty and free of NUL");
  }
  std::string sql = "CREATE DATABASE \"";
  for (char c : name) {
    if (c == '"') sql += '"';
    sql += c;
  }
  execute(sql + "\"");
}

void EphemeralServer::execute(std::string_view sql, std::string_view dbname) {
  if (sql.find('\0') != std::string_view::npos || dbname.find('\0') != std::string_view::npos) {
    throw std::invalid_argument("EphemeralServer::execute: NUL byte in the SQL or database name");
  }
  std::string conninfo;
  append_conninfo(conninfo, "host", socket_dir());
  append_conninfo(conninfo, "port", std::to_string(port_));
  append_conninfo(conninfo, "user", "postgres");
  append_conninfo(conninfo, "dbname", dbname);
  Connection conn(PQconnectdb(conninfo.c_str()), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    throw std::runtime_error("cannot connect to the ephemeral server (" + conninfo +
                             "): " + trimmed(PQerrorMessage(conn.get())));
  }
  Result result(PQexec(conn.get(), std::string(sql).c_str()), &PQclear);
  ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw std::runtime_error(std::string(sql) + ": " + trimmed(PQresultErrorMessage(result.get())));
  }
}

}  // namespace pgcpp::testing
