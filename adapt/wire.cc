#include "pgcpp/adapt/wire.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "pgcpp/adapt/errors.h"

namespace pgcpp::adapt_internal {

std::string_view BinaryReader::length_prefixed(bool& is_null) {
  const int32_t length = read<int32_t>();
  is_null = length == -1;
  if (is_null) return {};
  if (length < 0) fail(absl::StrCat("negative length ", length));
  return bytes(static_cast<size_t>(length));
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
