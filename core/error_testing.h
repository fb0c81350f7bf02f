// Test helper: the message of the exception a piece of code throws.
//
//   EXPECT_EQ(what_of<ProgrammingError>([] { make_conninfo("foo=bar"); }),
//             R"(invalid connection option "foo")");
//
// Comparing whole messages checks both the exception type and psycopg's wording in one line.
#ifndef PGCPP_CORE_ERROR_TESTING_H_
#define PGCPP_CORE_ERROR_TESTING_H_

#include <string>
#include <utility>

namespace pgcpp::core_testing {

// The what() of the `E` that `f()` throws; "<nothing thrown>" if it returns. Exceptions of other
// types propagate (and fail the test).
template <class E, class F>
std::string what_of(F&& f) {
  try {
    std::forward<F>(f)();
  } catch (const E& e) {
    return e.what();
  }
  return "<nothing thrown>";
}

}  // namespace pgcpp::core_testing

#endif  // PGCPP_CORE_ERROR_TESTING_H_
