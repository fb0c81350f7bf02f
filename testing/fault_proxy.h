// A TCP proxy on 127.0.0.1 that breaks connections on demand, for tests of
// what a client does when the network or the server misbehaves.
//
//   pgcpp::testing::EphemeralServer server;
//   pgcpp::testing::FaultProxy proxy(server.host(), server.port());
//   PGconn* conn = PQconnectdb(proxy.dsn(server.dsn()).c_str());   // through the proxy
//   proxy.cut_all();            // both ends see a reset: the client's next query fails
//   proxy.stop_accepting();     // new connections are refused
//   proxy.set_black_hole(true); // accepted but nothing forwarded: timeouts
//   proxy.set_delay(std::chrono::milliseconds(100));   // latency per forwarded chunk
//
// One thread per proxy forwards every connection (poll() with a wakeup pipe).
// The control methods are thread-safe and synchronous: when they return the
// proxy already behaves the new way (cut_all() has sent the resets,
// stop_accepting() has closed the listening socket).
#ifndef PGCPP_TESTING_FAULT_PROXY_H_
#define PGCPP_TESTING_FAULT_PROXY_H_

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace pgcpp::testing {

class FaultProxy {
 public:
  // Listens on a free 127.0.0.1 port and connects each accepted connection to
  // target_host:target_port (resolved now; std::runtime_error if it cannot be).
  FaultProxy(std::string target_host, int target_port);
  // Closes every connection and stops the thread.
  ~FaultProxy();

  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  int port() const;

  // A 127.0.0.1 port where nothing listens (connections are refused), for
  // tests of failing connection attempts.
  static int refused_port();

  // `base_dsn` (key=value or URI) leading to the proxy: hostaddr=127.0.0.1 and
  // port=port(). A host name in `base_dsn` stays as `host` so that TLS
  // verify-full still checks it; a missing host, a socket folder or a host
  // list becomes host=127.0.0.1. Throws std::invalid_argument on a bad DSN.
  std::string dsn(std::string_view base_dsn) const;

  // Closes the listening socket: connection attempts are refused. Live
  // connections continue.
  void stop_accepting();
  // Listens again on the same port (std::runtime_error if it was taken).
  void start_accepting();
  // Aborts every live connection with a TCP reset to both sides.
  void cut_all();
  // Holds every chunk of data read from either side for `delay` before
  // forwarding it (0 turns it off). Applies to data read from now on.
  void set_delay(std::chrono::milliseconds delay);
  // While on, new connections are accepted but never reach the server, and
  // nothing is forwarded on any connection (what the peers send stays in the
  // socket buffers). Off: live connections resume forwarding; the ones
  // accepted meanwhile never reach the server and are only closed.
  void set_black_hole(bool on);
  // Live client connections (including black-holed ones).
  int connection_count() const;

 private:
  class Loop;
  std::unique_ptr<Loop> loop_;
};

}  // namespace pgcpp::testing

#endif  // PGCPP_TESTING_FAULT_PROXY_H_
