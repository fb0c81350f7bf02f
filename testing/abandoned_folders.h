// Removes server folders that a killed test left behind: /tmp/pgcpp-* folders
// that no live process works in or names on its command line (a live server's
// postmaster, backends and reaper all do), older than a minute.
//
// The reaper of each EphemeralServer normally cleans up after a killed owner,
// but a test runner that kills every descendant of a timed-out test (Bazel's
// process-wrapper does) can kill the reaper too. Every process that starts its
// first server sweeps once, so such leftovers do not accumulate.
#ifndef PGCPP_TESTING_ABANDONED_FOLDERS_H_
#define PGCPP_TESTING_ABANDONED_FOLDERS_H_

#include <chrono>
#include <string>
#include <vector>

namespace pgcpp::testing_internal {

// Removes the abandoned folders named `<prefix>*` older than `min_age`;
// returns the ones removed. Errors (a folder another user owns) are skipped.
std::vector<std::string> remove_abandoned_folders(
    const std::string& prefix = "/tmp/pgcpp-",
    std::chrono::seconds min_age = std::chrono::seconds(60));

// Whether a live process works inside `folder` or names it in its arguments.
bool folder_in_use(const std::string& folder);

}  // namespace pgcpp::testing_internal

#endif  // PGCPP_TESTING_ABANDONED_FOLDERS_H_
