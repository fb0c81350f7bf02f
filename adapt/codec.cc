#include "pgcpp/adapt/codec.h"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "pgcpp/adapt/types_registry.h"

namespace pgcpp::adapt_internal {

std::string demangle(std::type_index type) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name(
      abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), std::free);
  return status == 0 && name ? std::string(name.get()) : std::string(type.name());
}

void throw_cannot_load(std::string_view cpp_type, Oid oid, Format format) {
  throw ProgrammingError(absl::StrCat("cannot load ", describe_oid(oid), " ",
                                      std::string(format_name(format)), " data into ",
                                      std::string(cpp_type)));
}

void throw_invalid(std::string_view pg_type, Format format, std::string_view data,
                   std::string_view detail) {
  throw DataError(absl::StrCat("invalid ", std::string(pg_type), " ",
                               std::string(format_name(format)), " data ", printable(data), ": ",
                               std::string(detail)));
}

void throw_binary_size(std::string_view pg_type, size_t expected, size_t got) {
  throw DataError(absl::StrCat("invalid binary ", std::string(pg_type), " data: expected ",
                               expected, " bytes, got ", got));
}

void throw_out_of_range(std::string_view value, std::string_view target) {
  throw DataError(
      absl::StrCat("value ", std::string(value), " is out of range for ", std::string(target)));
}

void throw_nul_byte(std::string_view cpp_type, size_t position) {
  throw DataError(absl::StrCat(std::string(cpp_type), " value contains a NUL byte at position ",
                               position, ": PostgreSQL text cannot hold one"));
}

std::string printable(std::string_view data) {
  constexpr size_t kMax = 80;
  std::string out = "'";
  const size_t n = data.size() < kMax ? data.size() : kMax;
  for (size_t i = 0; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(data[i]);
    if (c == '\\' || c == '\'') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20 || c == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out.append("\\x");
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  out.push_back('\'');
  if (data.size() > kMax) absl::StrAppend(&out, "... (", data.size(), " bytes)");
  return out;
}

void append_quoted_literal(std::string_view text, std::string& out) {
  const bool has_backslash = text.find('\\') != std::string_view::npos;
  out.append(has_backslash ? " E'" : "'");
  for (char c : text) {
    if (c == '\'') {
      out.push_back('\'');
    } else if (c == '\\') {
      out.push_back('\\');
    }
    out.push_back(c);
  }
  out.push_back('\'');
}

}  // namespace pgcpp::adapt_internal
