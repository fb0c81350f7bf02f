#include "pgcpp/testing/fault_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "pgcpp/testing/conninfo.h"

namespace pgcpp::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr size_t kReadSize = 64 * 1024;
constexpr size_t kMaxQueued = 1024 * 1024;  // per direction, then stop reading (backpressure)

std::string errno_text(int error) { return std::strerror(error); }

void set_nodelay(int fd) {
  int on = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

// Closes with a TCP reset instead of the orderly FIN.
void close_with_reset(int fd) {
  if (fd < 0) return;
  linger reset{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  close(fd);
}

// One direction of a proxied connection.
struct Flow {
  struct Chunk {
    std::string data;
    size_t sent = 0;
    Clock::time_point due;
  };
  std::deque<Chunk> queue;
  size_t queued = 0;  // bytes waiting in `queue`
  bool eof = false;   // the source sent FIN
  bool shut = false;  // ... and it was passed on

  bool due(Clock::time_point now) const { return !queue.empty() && queue.front().due <= now; }
};

struct Link {
  int client = -1;
  int server = -1;          // -1: accepted while black-holed, never connected
  bool connecting = false;  // non-blocking connect to the server in progress
  Flow up;                  // client -> server
  Flow down;                // server -> client
  bool closed = false;
};

sockaddr_storage resolve(const std::string& host, int port, socklen_t* length) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  int error = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
  if (error != 0) {
    throw std::runtime_error("FaultProxy: cannot resolve " + host + ": " + gai_strerror(error));
  }
  const addrinfo* chosen = found;  // IPv4 first: the test servers listen on 127.0.0.1
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    if (a->ai_family == AF_INET) {
      chosen = a;
      break;
    }
  }
  sockaddr_storage address{};
  std::memcpy(&address, chosen->ai_addr, chosen->ai_addrlen);
  *length = chosen->ai_addrlen;
  freeaddrinfo(found);
  return address;
}

}  // namespace

// Everything but the constructor, call() and connection_count() runs on the
// proxy's own thread, so only the command queue needs a lock.
class FaultProxy::Loop {
 public:
  Loop(sockaddr_storage target, socklen_t target_length)
      : target_(target), target_length_(target_length) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
      throw std::runtime_error("FaultProxy: pipe2: " + errno_text(errno));
    }
    wake_read_ = fds[0];
    wake_write_ = fds[1];
    try {
      listen_on(0);
    } catch (...) {
      close(wake_read_);
      close(wake_write_);
      throw;
    }
    thread_ = std::thread([this] { run(); });
  }

  ~Loop() {
    call([this] { stopping_ = true; });
    thread_.join();
    for (auto& link : links_) abort(*link);
    if (listener_ >= 0) close(listener_);
    close(wake_read_);
    close(wake_write_);
  }

  // Runs `command` on the proxy thread and waits for it; rethrows its exception.
  void call(std::function<void()> command) {
    std::packaged_task<void()> task(std::move(command));
    std::future<void> done = task.get_future();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      commands_.push_back(std::move(task));
    }
    [[maybe_unused]] ssize_t ignored = write(wake_write_, "x", 1);
    done.get();
  }

  int port() const { return port_; }
  int connection_count() const { return count_.load(); }

  void listen_on(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) throw std::runtime_error("FaultProxy: socket: " + errno_text(errno));
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    socklen_t length = sizeof address;
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        listen(fd, 128) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      int error = errno;
      close(fd);
      throw std::runtime_error("FaultProxy: cannot listen on 127.0.0.1 port " +
                               std::to_string(port) + ": " + errno_text(error));
    }
    listener_ = fd;
    port_ = ntohs(address.sin_port);
  }

  void stop_accepting() {
    if (listener_ >= 0) close(listener_);
    listener_ = -1;
  }

  void start_accepting() {
    if (listener_ < 0) listen_on(port_);
  }

  void cut_all() {
    for (auto& link : links_) abort(*link);
    links_.clear();
    count_ = 0;
  }

  milliseconds delay = milliseconds(0);
  bool black_hole = false;

 private:
  void run() {
    std::vector<pollfd> fds;
    while (true) {
      run_commands();
      if (stopping_) return;
      const Clock::time_point now = Clock::now();
      fds.clear();
      fds.push_back({wake_read_, POLLIN, 0});
      fds.push_back({listener_, POLLIN, 0});  // ignored by poll() when -1
      std::optional<Clock::time_point> next_due;
      for (auto& link : links_) {
        fds.push_back({link->client, client_events(*link, now), 0});
        fds.push_back({link->server, server_events(*link, now), 0});
        for (Flow* flow : {&link->up, &link->down}) {
          if (!black_hole && !flow->queue.empty() && flow->queue.front().due > now) {
            next_due =
                std::min(next_due.value_or(Clock::time_point::max()), flow->queue.front().due);
          }
        }
      }
      // Descriptors without wanted events are ignored (fd < 0): poll() would
      // otherwise report their hang-up over and over.
      for (pollfd& p : fds) {
        if (p.events == 0) p.fd = -1;
      }
      int timeout = -1;
      if (next_due) {
        auto wait = std::chrono::ceil<milliseconds>(*next_due - now).count();
        timeout = static_cast<int>(std::clamp<long long>(wait, 0, 60000));
      }
      if (poll(fds.data(), fds.size(), timeout) < 0) continue;  // EINTR; commands first

      char drain[64];
      while (read(wake_read_, drain, sizeof drain) > 0) {
      }
      const size_t polled = links_.size();
      if (fds[1].revents != 0) accept_all();
      for (size_t i = 0; i < polled; ++i) {
        service(*links_[i], fds[2 + 2 * i].revents, fds[3 + 2 * i].revents);
      }
      std::erase_if(links_, [](const auto& link) { return link->closed; });
      count_ = static_cast<int>(links_.size());
    }
  }

  void run_commands() {
    std::deque<std::packaged_task<void()>> commands;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      commands.swap(commands_);
    }
    for (auto& command : commands) command();
  }

  short client_events(const Link& link, Clock::time_point now) const {
    if (link.server < 0) return POLLIN;  // held: read and discard, to notice the close
    if (black_hole) return 0;
    short events = 0;
    if (!link.up.eof && link.up.queued < kMaxQueued) events |= POLLIN;
    if (link.down.due(now)) events |= POLLOUT;  // still due after a flush: the socket was full
    return events;
  }

  short server_events(const Link& link, Clock::time_point now) const {
    if (link.server < 0 || black_hole) return 0;
    if (link.connecting) return POLLOUT;
    short events = 0;
    if (!link.down.eof && link.down.queued < kMaxQueued) events |= POLLIN;
    if (link.up.due(now)) events |= POLLOUT;
    return events;
  }

  void accept_all() {
    while (true) {
      int client = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
      if (client < 0) return;  // EAGAIN, or an aborted connection
      set_nodelay(client);
      auto link = std::make_unique<Link>();
      link->client = client;
      if (!black_hole) connect_server(*link);
      if (!link->closed) links_.push_back(std::move(link));
    }
  }

  void connect_server(Link& link) {
    link.server = socket(target_.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (link.server < 0) return abort(link);
    set_nodelay(link.server);
    if (connect(link.server, reinterpret_cast<const sockaddr*>(&target_), target_length_) == 0) {
      return;
    }
    if (errno == EINPROGRESS) {
      link.connecting = true;
      return;
    }
    abort(link);  // the server is down: the client sees a reset
  }

  void service(Link& link, short client_revents, short server_revents) {
    if (link.closed) return;
    if (link.server < 0) {
      if (client_revents != 0) {
        char discard[4096];
        ssize_t n = recv(link.client, discard, sizeof discard, MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) abort(link);
      }
      return;
    }
    if (black_hole) return;
    if (link.connecting) {
      if (server_revents == 0) return;
      int error = 0;
      socklen_t length = sizeof error;
      getsockopt(link.server, SOL_SOCKET, SO_ERROR, &error, &length);
      if (error != 0) return abort(link);
      link.connecting = false;
      server_revents = 0;
    }
    const Clock::time_point now = Clock::now();
    if ((client_revents & (POLLIN | POLLHUP | POLLERR)) && !receive(link.client, link.up, now)) {
      return abort(link);
    }
    if ((server_revents & (POLLIN | POLLHUP | POLLERR)) && !receive(link.server, link.down, now)) {
      return abort(link);
    }
    if (!forward(link.up, link.server, now) || !forward(link.down, link.client, now)) {
      return abort(link);
    }
    if (link.up.shut && link.down.shut) {
      close(link.client);
      close(link.server);
      link.closed = true;
    }
  }

  // Reads what `fd` has into `flow`; false on a connection error.
  bool receive(int fd, Flow& flow, Clock::time_point now) {
    if (flow.eof || flow.queued >= kMaxQueued) return true;
    std::string data(kReadSize, '\0');
    ssize_t n = recv(fd, data.data(), data.size(), MSG_DONTWAIT);
    if (n < 0) return errno == EAGAIN || errno == EINTR;
    if (n == 0) {
      flow.eof = true;
      return true;
    }
    data.resize(static_cast<size_t>(n));
    flow.queued += data.size();
    flow.queue.push_back({std::move(data), 0, now + delay});
    return true;
  }

  // Sends the due chunks of `flow` to `fd`, then the FIN once the source's
  // came and all is sent; false on a connection error.
  bool forward(Flow& flow, int fd, Clock::time_point now) {
    while (flow.due(now)) {
      Flow::Chunk& chunk = flow.queue.front();
      ssize_t n = send(fd, chunk.data.data() + chunk.sent, chunk.data.size() - chunk.sent,
                       MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n < 0) return errno == EAGAIN || errno == EINTR;
      chunk.sent += static_cast<size_t>(n);
      if (chunk.sent < chunk.data.size()) return true;
      flow.queued -= chunk.data.size();
      flow.queue.pop_front();
    }
    if (flow.eof && flow.queue.empty() && !flow.shut) {
      shutdown(fd, SHUT_WR);
      flow.shut = true;
    }
    return true;
  }

  void abort(Link& link) {
    close_with_reset(link.client);
    close_with_reset(link.server);
    link.client = link.server = -1;
    link.closed = true;
  }

  const sockaddr_storage target_;
  const socklen_t target_length_;
  int wake_read_ = -1;
  int wake_write_ = -1;
  int listener_ = -1;
  int port_ = 0;
  bool stopping_ = false;
  std::vector<std::unique_ptr<Link>> links_;
  std::atomic<int> count_{0};
  std::mutex mutex_;
  std::deque<std::packaged_task<void()>> commands_;
  std::thread thread_;
};

FaultProxy::FaultProxy(std::string target_host, int target_port) {
  if (target_port <= 0 || target_port > 65535) {
    throw std::invalid_argument("FaultProxy: target port " + std::to_string(target_port) +
                                " is outside 1..65535");
  }
  socklen_t length = 0;
  sockaddr_storage target = resolve(target_host, target_port, &length);
  loop_ = std::make_unique<Loop>(target, length);
}

FaultProxy::~FaultProxy() = default;

int FaultProxy::port() const { return loop_->port(); }

int FaultProxy::refused_port() {
  FaultProxy proxy("127.0.0.1", 1);
  proxy.stop_accepting();
  return proxy.port();
}

std::string FaultProxy::dsn(std::string_view base_dsn) const {
  const std::string host = testing_internal::conninfo_get(base_dsn, "host");
  const bool keep_host =
      !host.empty() && host[0] != '/' && host[0] != '@' && host.find(',') == std::string::npos;
  return testing_internal::conninfo_with(base_dsn, {{"host", keep_host ? host : "127.0.0.1"},
                                                    {"hostaddr", "127.0.0.1"},
                                                    {"port", std::to_string(port())}});
}

void FaultProxy::stop_accepting() {
  loop_->call([this] { loop_->stop_accepting(); });
}

void FaultProxy::start_accepting() {
  loop_->call([this] { loop_->start_accepting(); });
}

void FaultProxy::cut_all() {
  loop_->call([this] { loop_->cut_all(); });
}

void FaultProxy::set_delay(std::chrono::milliseconds delay) {
  if (delay.count() < 0) {
    throw std::invalid_argument("FaultProxy::set_delay: negative delay " +
                                std::to_string(delay.count()) + " ms");
  }
  loop_->call([this, delay] { loop_->delay = delay; });
}

void FaultProxy::set_black_hole(bool on) {
  loop_->call([this, on] { loop_->black_hole = on; });
}

int FaultProxy::connection_count() const { return loop_->connection_count(); }

}  // namespace pgcpp::testing
