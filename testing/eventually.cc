#include "pgcpp/testing/eventually.h"

#include <thread>

namespace pgcpp::testing {

bool eventually(const std::function<bool()>& condition,
                std::chrono::steady_clock::duration timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace pgcpp::testing
