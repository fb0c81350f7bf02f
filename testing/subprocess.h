// Child processes for the //testing harness: fork + exec that is safe in
// multithreaded test binaries, bounded waits, and escalating termination.
//
// Internal to //testing. Between fork and exec the child only makes
// async-signal-safe calls, so spawning while other threads hold locks (a
// FaultProxy thread, a pool's workers) cannot deadlock; everything the child
// needs is prepared before fork.
//
//   ChildOptions child{.argv = {"/usr/bin/openssl", "version"}};
//   RunResult r = run(child, std::chrono::seconds(30));   // r.output == "OpenSSL 3..."
#ifndef PGCPP_TESTING_SUBPROCESS_H_
#define PGCPP_TESTING_SUBPROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pgcpp::testing_internal {

// The account a child switches to (only possible as root).
struct Account {
  uid_t uid = 0;
  gid_t gid = 0;
};

// Every member has a default initializer: GCC 12 warns (-Wmissing-field-initializers)
// about members without one that a designated initializer leaves out.
struct ChildOptions {
  std::vector<std::string> argv{};   // argv[0] is the program's absolute path
  std::vector<std::string> env{};    // "NAME=value"; the child sees nothing else
  std::optional<Account> account{};  // switch user before exec
  std::string cwd{};                 // "" keeps ours
  int stdin_fd = -1;                 // -1: /dev/null
  int output_fd = -1;                // stdout and stderr; -1: /dev/null
  bool new_session = false;          // setsid(): no terminal, own process group
};

// Starts the child. All its descriptors but 0, 1 and 2 are closed at exec and
// its signal mask and dispositions are reset. Throws std::runtime_error naming
// the program and errno when the exec (or the switch of user) fails.
pid_t spawn(const ChildOptions& options);

// Waits up to `timeout` for `pid` to exit and reaps it: its wait status, or
// nullopt if it is still running.
std::optional<int> wait_for(pid_t pid, std::chrono::milliseconds timeout);

// Sends each signal in turn, waiting up to its grace period for the exit, and
// reaps the child; SIGKILL (waited for without limit) when all were ignored.
// Never throws.
void terminate(pid_t pid, const std::vector<std::pair<int, std::chrono::milliseconds>>& steps);

struct RunResult {
  int status = 0;        // wait status
  std::string output{};  // stdout and stderr, interleaved
};

// Runs the child to completion with its output captured. Throws
// std::runtime_error when it runs longer than `timeout` (it is killed).
RunResult run(ChildOptions options, std::chrono::milliseconds timeout);

// Like run(), and throws std::runtime_error (with the command and the tail of
// its output) unless it exits with status 0. Returns the output.
std::string check_run(ChildOptions options, std::chrono::milliseconds timeout);

// "exit code 3", "signal 9 (Killed)".
std::string describe_status(int status);

// The last `max_lines` lines of `text`.
std::string tail_lines(std::string_view text, int max_lines);

}  // namespace pgcpp::testing_internal

#endif  // PGCPP_TESTING_SUBPROCESS_H_
