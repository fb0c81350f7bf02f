#include "pgcpp/adapt/wire.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "pgcpp/adapt/errors.h"

namespace pgcpp::adapt_internal {

void BinaryReader::fail_negative_length(int32_t length) const {
  fail(absl::StrCat("negative length ", length));
}

void BinaryReader::expect_end() const {
  if (!at_end()) fail(absl::StrCat(remaining(), " unexpected trailing bytes"));
}

void BinaryReader::fail(std::string_view what) const {
  throw DataError(absl::StrCat("invalid binary ", std::string(type_), " data at byte ", pos_, ": ",
                               std::string(what)));
}

void BinaryReader::fail_short(size_t n) const {
  throw DataError(absl::StrCat("binary ", std::string(type_), " data truncated: ", n,
                               " bytes needed at byte ", pos_, ", ", remaining(), " left"));
}

}  // namespace pgcpp::adapt_internal
