#include "tools/server_command.h"

#include <signal.h>

#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>

#include "pgcpp/testing/ephemeral_server.h"
#include "tools/command_args.h"

namespace pgcpp::tools {

namespace {

constexpr std::string_view kUsage =
    "usage: pgcpp server [--port N] [--tls] [--for SECONDS]\n"
    "\n"
    "Starts an ephemeral PostgreSQL server (a fresh cluster in a temporary folder,\n"
    "listening on 127.0.0.1), prints its DSN, and stops it and deletes everything\n"
    "on Ctrl-C, SIGTERM, or after --for SECONDS.\n"
    "\n"
    "  --port N        listen on port N (default: a free port)\n"
    "  --tls           enable TLS with a generated CA; prints the CA file to use\n"
    "                  with sslmode=verify-full sslrootcert=...\n"
    "  --for SECONDS   stop by itself after SECONDS\n";

}  // namespace

int server_command(std::span<const std::string_view> args) {
  testing::ServerOptions options;
  std::optional<int> seconds;
  CommandArgs in(args);
  if (!in.read_options(kUsage, [&](std::string_view arg) {
        if (arg == "--port") {
          options.port = static_cast<int>(parse_int(arg, in.value(arg)));
        } else if (arg == "--tls") {
          options.tls = true;
        } else if (arg == "--for") {
          seconds = static_cast<int>(parse_int(arg, in.value(arg)));
        } else {
          return false;
        }
        return true;
      })) {
    return 0;
  }

  // Block the stop signals before starting, then wait for them synchronously:
  // the server's destructor does the cleanup on the normal path.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  testing::EphemeralServer server(options);
  std::string dsn = server.dsn();
  if (options.tls) dsn += " sslmode=verify-full sslrootcert=" + server.ca_file();
  std::cout << "dsn: " << dsn << "\n";
  std::cout << "data: " << server.data_dir() << "\n";
  std::cout << (seconds ? "stopping in " + std::to_string(*seconds) + " s or on Ctrl-C"
                        : std::string("stop with Ctrl-C"))
            << std::endl;

  if (seconds) {
    timespec timeout{*seconds, 0};
    sigtimedwait(&stop_signals, nullptr, &timeout);
  } else {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
  }
  std::cout << "stopping the server" << std::endl;
  return 0;
}

}  // namespace pgcpp::tools
