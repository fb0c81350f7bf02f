#include "pgcpp/testing/abandoned_folders.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

namespace pgcpp::testing_internal {

namespace fs = std::filesystem;

namespace {

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool inside(const std::string& path, const std::string& folder) {
  return path == folder || path.rfind(folder + "/", 0) == 0;
}

}  // namespace

bool folder_in_use(const std::string& folder) {
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator("/proc", ec)) {
    if (!all_digits(entry.path().filename().string())) continue;
    std::error_code link_error;
    const fs::path cwd = fs::read_symlink(entry.path() / "cwd", link_error);
    if (!link_error && inside(cwd.string(), folder)) return true;
    std::ifstream in(entry.path() / "cmdline", std::ios::binary);
    const std::string cmdline((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
    if (cmdline.find(folder) != std::string::npos) return true;
  }
  return false;
}

std::vector<std::string> remove_abandoned_folders(const std::string& prefix,
                                                  std::chrono::seconds min_age) {
  std::vector<std::string> removed;
  const fs::path parent = fs::path(prefix).parent_path();
  const std::string stem = fs::path(prefix).filename().string();
  const auto now = fs::file_time_type::clock::now();
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(parent, ec)) {
    const std::string name = entry.path().filename().string();
    std::error_code e;
    if (name.rfind(stem, 0) != 0 || !entry.is_directory(e) || entry.is_symlink(e)) continue;
    const auto modified = fs::last_write_time(entry.path(), e);
    if (e || now - modified < min_age) continue;  // maybe a server being created
    const std::string folder = entry.path().string();
    if (folder_in_use(folder)) continue;
    fs::remove_all(entry.path(), e);
    if (!e) removed.push_back(folder);
  }
  return removed;
}

}  // namespace pgcpp::testing_internal
