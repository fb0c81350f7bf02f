#include "pgcpp/testing/subprocess.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace pgcpp::testing_internal {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

// What the child was doing when it failed, reported through the error pipe.
enum ChildStep : int { kSession, kRedirect, kGroups, kGid, kUid, kChdir, kExec };

const char* step_name(int step) {
  switch (step) {
    case kSession:
      return "setsid";
    case kRedirect:
      return "redirecting stdio";
    case kGroups:
      return "setgroups";
    case kGid:
      return "setgid";
    case kUid:
      return "setuid";
    case kChdir:
      return "chdir";
    default:
      return "exec";
  }
}

[[noreturn]] void child_fail(int error_fd, int step) {
  int report[2] = {step, errno};
  [[maybe_unused]] ssize_t ignored = write(error_fd, report, sizeof report);
  _exit(127);
}

bool move_fd(int from, int to) {
  if (from == to) return fcntl(to, F_SETFD, 0) == 0;  // dup2 would keep CLOEXEC
  return dup2(from, to) == to;
}

// Runs in the forked child: async-signal-safe calls only.
[[noreturn]] void child_main(const ChildOptions& options, char* const* argv, char* const* envp,
                             int in, int out, int error_fd, long max_fd) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  struct sigaction dfl;
  std::memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &dfl, nullptr);
  }
  if (options.new_session && setsid() < 0) child_fail(error_fd, kSession);
  if (!move_fd(in, 0) || !move_fd(out, 1) || !move_fd(out, 2)) child_fail(error_fd, kRedirect);
  if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
    for (int fd = 3; fd < max_fd; ++fd) fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
  if (options.account.has_value()) {
    gid_t gid = options.account->gid;
    if (setgroups(1, &gid) != 0) child_fail(error_fd, kGroups);
    if (setgid(gid) != 0) child_fail(error_fd, kGid);
    if (setuid(options.account->uid) != 0) child_fail(error_fd, kUid);
  }
  if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) child_fail(error_fd, kChdir);
  execve(argv[0], argv, envp);
  child_fail(error_fd, kExec);
}

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (const std::string& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

std::string errno_text(int error) { return std::strerror(error); }

}  // namespace

pid_t spawn(const ChildOptions& options) {
  if (options.argv.empty() || options.argv[0].empty() || options.argv[0][0] != '/') {
    throw std::invalid_argument("spawn: argv[0] must be an absolute path");
  }
  std::vector<char*> argv = c_strings(options.argv);
  std::vector<char*> envp = c_strings(options.env);
  const long max_fd = sysconf(_SC_OPEN_MAX) > 0 ? sysconf(_SC_OPEN_MAX) : 1024;

  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (devnull < 0) throw std::runtime_error("open /dev/null: " + errno_text(errno));
  int error_pipe[2];
  if (pipe2(error_pipe, O_CLOEXEC) != 0) {
    int error = errno;
    close(devnull);
    throw std::runtime_error("pipe2: " + errno_text(error));
  }
  const int in = options.stdin_fd >= 0 ? options.stdin_fd : devnull;
  const int out = options.output_fd >= 0 ? options.output_fd : devnull;

  pid_t pid = fork();
  if (pid == 0) child_main(options, argv.data(), envp.data(), in, out, error_pipe[1], max_fd);
  int fork_error = errno;
  close(error_pipe[1]);
  close(devnull);
  if (pid < 0) {
    close(error_pipe[0]);
    throw std::runtime_error("fork: " + errno_text(fork_error));
  }
  int report[2];
  ssize_t n;
  do {
    n = read(error_pipe[0], report, sizeof report);
  } while (n < 0 && errno == EINTR);
  close(error_pipe[0]);
  if (n == sizeof report) {
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    throw std::runtime_error("cannot start " + options.argv[0] + ": " + step_name(report[0]) +
                             " failed: " + errno_text(report[1]));
  }
  return pid;
}

std::optional<int> wait_for(pid_t pid, milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  auto pause = std::chrono::microseconds(200);
  while (true) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0 && errno != EINTR) return 0;  // not our child (any more): nothing to wait for
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(pause);
    pause = std::min<std::chrono::microseconds>(pause * 2, milliseconds(10));
  }
}

void terminate(pid_t pid, const std::vector<std::pair<int, milliseconds>>& steps) {
  if (pid <= 0) return;
  for (const auto& [signal, grace] : steps) {
    kill(pid, signal);
    if (wait_for(pid, grace).has_value()) return;
  }
  kill(pid, SIGKILL);
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

RunResult run(ChildOptions options, milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe2: " + errno_text(errno));
  options.output_fd = out[1];
  pid_t pid;
  try {
    pid = spawn(options);
  } catch (...) {
    close(out[0]);
    close(out[1]);
    throw;
  }
  close(out[1]);

  RunResult result;
  bool timed_out = false;
  char buffer[4096];
  while (true) {
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{out[0], POLLIN, 0};
    int ready = poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    ssize_t n = read(out[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    result.output.append(buffer, static_cast<size_t>(n));
  }
  close(out[0]);
  if (!timed_out) {
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    std::optional<int> status = wait_for(pid, std::max(left, milliseconds(0)));
    if (status.has_value()) {
      result.status = *status;
      return result;
    }
  }
  terminate(pid, {});
  throw std::runtime_error(options.argv[0] + " did not finish within " +
                           std::to_string(timeout.count()) + " ms; output:\n" +
                           tail_lines(result.output, 20));
}

std::string check_run(ChildOptions options, milliseconds timeout) {
  std::string command;
  for (const std::string& arg : options.argv) command += (command.empty() ? "" : " ") + arg;
  RunResult result = run(std::move(options), timeout);
  if (!WIFEXITED(result.status) || WEXITSTATUS(result.status) != 0) {
    throw std::runtime_error(command + " failed (" + describe_status(result.status) + "):\n" +
                             tail_lines(result.output, 20));
  }
  return result.output;
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    return "signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
  }
  return "wait status " + std::to_string(status);
}

std::string tail_lines(std::string_view text, int max_lines) {
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  size_t start = text.size();
  for (int lines = 0; start > 0; --start) {
    if (text[start - 1] == '\n' && ++lines == max_lines) break;
  }
  return std::string(text.substr(start));
}

}  // namespace pgcpp::testing_internal
