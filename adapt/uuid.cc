#include "pgcpp/adapt/uuid.h"

#include <string>

namespace pgcpp {

Uuid Uuid::parse(std::string_view text) {
  std::string_view body = text;
  if (!body.empty() && body.front() == '{') {
    if (body.back() != '}')
      adapt_internal::throw_invalid("uuid", Format::kText, text, "unbalanced braces");
    body = body.substr(1, body.size() - 2);
  }
  std::array<uint8_t, 16> bytes{};
  size_t ndigits = 0;
  for (size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (c == '-' && ndigits > 0 && ndigits % 4 == 0 && ndigits < 32 && i + 1 < body.size() &&
        body[i + 1] != '-') {
      continue;
    }
    const int v = adapt_internal::hex_value(c);
    if (v < 0 || ndigits >= 32) {
      adapt_internal::throw_invalid("uuid", Format::kText, text,
                                    "expected 32 hex digits (hyphens after groups of 4)");
    }
    bytes[ndigits / 2] = static_cast<uint8_t>(bytes[ndigits / 2] | (ndigits % 2 == 0 ? v << 4 : v));
    ++ndigits;
  }
  if (ndigits != 32) {
    adapt_internal::throw_invalid("uuid", Format::kText, text, "expected 32 hex digits");
  }
  return Uuid(bytes);
}

std::string Uuid::to_string() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[bytes_[i] >> 4]);
    out.push_back(kHex[bytes_[i] & 15]);
  }
  return out;
}

}  // namespace pgcpp
