// Nothing outlives an EphemeralServer: not its processes, not its files,
// whether its owner returns, throws, or is killed.
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pgcpp/testing/abandoned_folders.h"
#include "pgcpp/testing/ephemeral_server.h"
#include "pgcpp/testing/test_util.h"

namespace pgcpp::testing {
namespace {

using std::chrono::seconds;
using ::testing::HasSubstr;
using testing_internal::eventually;
using testing_internal::process_exists;
using testing_internal::query_value;

std::string read_all(int fd) {
  std::string text;
  char buffer[512];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) != 0) {
    if (n > 0) text.append(buffer, static_cast<size_t>(n));
    if (n < 0 && errno != EINTR) break;
  }
  return text;
}

void write_all(int fd, const std::string& text) {
  [[maybe_unused]] ssize_t ignored = write(fd, text.data(), text.size());
}

TEST(EphemeralServerCleanup, DestructorStopsTheServerAndDeletesItsFolder) {
  int pid;
  std::string folder;
  {
    EphemeralServer server;
    pid = server.pid();
    folder = server.socket_dir();
    ASSERT_TRUE(process_exists(pid));
    ASSERT_TRUE(std::filesystem::exists(server.data_dir()));
  }
  EXPECT_FALSE(process_exists(pid));
  EXPECT_FALSE(std::filesystem::exists(folder));
}

TEST(EphemeralServerCleanup, AnExceptionLeavingTheScopeCleansUp) {
  int pid = -1;
  std::string folder;
  try {
    EphemeralServer server({.tls = true});
    pid = server.pid();
    folder = server.socket_dir();
    throw std::runtime_error("the test failed");
  } catch (const std::runtime_error&) {
  }
  ASSERT_GT(pid, 0);
  EXPECT_FALSE(process_exists(pid));
  EXPECT_FALSE(std::filesystem::exists(folder));
}

TEST(EphemeralServerCleanup, AServerThatCannotStartReportsItsLog) {
  try {
    EphemeralServer server({.settings = {{"shared_buffers", "plenty"}}});
    FAIL() << "started with a bad setting";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("exited during startup"));
    EXPECT_THAT(e.what(), HasSubstr("shared_buffers"));
  }
}

TEST(EphemeralServerCleanup, AForkedCopyLeavesTheServerAlone) {
  auto* server = new EphemeralServer();
  pid_t child = fork();
  if (child == 0) {
    delete server;  // the copy's destructor: must not stop the parent's server
    _exit(0);
  }
  ASSERT_GT(child, 0);
  int status;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(server->running());
  EXPECT_EQ(query_value(server->dsn(), "SELECT 1"), "1");
  delete server;
}

// The reaper test's middle process: starts an owner process that starts a
// server, SIGKILLs the owner, and waits for the server and its folder to
// vanish. Returns "ok" or what went wrong. Runs in a fork of this
// single-threaded test process.
std::string kill_an_owner_and_watch() {
  // The killed owner's orphans (postmaster, watcher) become our children, so
  // their exit can be observed: the machine's init may not reap them, and a
  // zombie still answers kill(pid, 0).
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) return "prctl(PR_SET_CHILD_SUBREAPER) failed";
  int info[2];
  if (pipe2(info, O_CLOEXEC) != 0) return "pipe2 failed";
  pid_t owner = fork();
  if (owner == 0) {
    close(info[0]);
    try {
      auto* server = new EphemeralServer();  // never deleted: the owner dies holding it
      // A process still working in the folder when the owner dies (as an initdb
      // would be, or a backend the postmaster left behind).
      pid_t worker = fork();
      if (worker == 0) {
        if (chdir(server->socket_dir().c_str()) == 0) execl("/bin/sleep", "sleep", "300", nullptr);
        _exit(127);
      }
      write_all(info[1], std::to_string(server->pid()) + " " + std::to_string(worker) + " " +
                             server->socket_dir() + "\n");
    } catch (const std::exception& e) {
      write_all(info[1], std::string("error ") + e.what() + "\n");
    }
    close(info[1]);
    while (true) pause();
  }
  close(info[1]);
  std::istringstream line(read_all(info[0]));
  close(info[0]);
  int pid = -1;
  int worker = -1;
  std::string folder;
  if (!(line >> pid >> worker >> folder) || pid <= 0 || worker <= 0)
    return "the owner did not start a server: " + line.str();
  if (!process_exists(pid) || !std::filesystem::exists(folder)) return "no server to begin with";

  kill(owner, SIGKILL);
  waitpid(owner, nullptr, 0);
  auto reap = [] {
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
  };
  const bool gone = eventually(
      [&] {
        reap();
        return !process_exists(pid) && !process_exists(worker) && !std::filesystem::exists(folder);
      },
      seconds(30));
  eventually(
      [&] {
        reap();
        return waitpid(-1, nullptr, WNOHANG) < 0 && errno == ECHILD;  // the watcher exited too
      },
      seconds(10));
  if (gone) return "ok";
  return std::string("30 s after the owner was killed: postmaster ") +
         (process_exists(pid) ? "still running" : "gone") + ", worker in the folder " +
         (process_exists(worker) ? "still running" : "gone") + ", folder " +
         (std::filesystem::exists(folder) ? "still there" : "gone");
}

// What a killed test leaves when its reaper was killed too: a folder with a
// stopped server's files and no process. Old ones go; fresh or used ones stay.
TEST(EphemeralServerCleanup, AbandonedFoldersAreSweptAndLiveOnesKept) {
  // A prefix of this process's own, so that parallel runs leave each other alone.
  const std::string prefix = "/tmp/pgcpp-sweeptest-" + std::to_string(getpid()) + "-";
  auto make_folder = [&](std::chrono::seconds age) {
    std::string name = prefix + "XXXXXX";
    EXPECT_NE(mkdtemp(name.data()), nullptr);
    std::filesystem::create_directories(std::string(name) + "/data/base");
    std::filesystem::last_write_time(name, std::filesystem::file_time_type::clock::now() - age);
    return name;
  };
  const std::string abandoned = make_folder(std::chrono::hours(1));
  const std::string fresh = make_folder(std::chrono::seconds(0));
  const std::string used = make_folder(std::chrono::hours(1));
  pid_t worker = fork();
  if (worker == 0) {
    if (chdir((used + "/data").c_str()) == 0) execl("/bin/sleep", "sleep", "30", nullptr);
    _exit(127);
  }
  ASSERT_TRUE(eventually([&] { return testing_internal::folder_in_use(used); }, seconds(10)));

  const std::vector<std::string> removed = testing_internal::remove_abandoned_folders(prefix);
  EXPECT_THAT(removed, ::testing::ElementsAre(abandoned));
  EXPECT_FALSE(std::filesystem::exists(abandoned));
  EXPECT_TRUE(std::filesystem::exists(fresh));
  EXPECT_TRUE(std::filesystem::exists(used));

  kill(worker, SIGKILL);
  waitpid(worker, nullptr, 0);
  std::filesystem::remove_all(fresh);
  std::filesystem::remove_all(used);
}

TEST(EphemeralServerCleanup, TheReaperCleansUpAfterAKilledOwner) {
  int report[2];
  ASSERT_EQ(pipe2(report, O_CLOEXEC), 0);
  pid_t middle = fork();
  if (middle == 0) {
    close(report[0]);
    write_all(report[1], kill_an_owner_and_watch());
    _exit(0);
  }
  ASSERT_GT(middle, 0);
  close(report[1]);
  const std::string verdict = read_all(report[0]);
  close(report[0]);
  int status;
  waitpid(middle, &status, 0);
  EXPECT_EQ(verdict, "ok");
}

}  // namespace
}  // namespace pgcpp::testing
