#include "pgcpp/tpc/xid.h"

#include <charconv>
#include <utility>

#include "absl/strings/escaping.h"
#include "pgcpp/core/errors.h"

namespace pgcpp {

namespace {

constexpr int64_t kFormatIdLimit = int64_t{1} << 31;
constexpr size_t kMaxChars = 64;

absl::string_view to_absl(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// The number of code points of `s`, or nullopt when it is not valid UTF-8
// (overlong forms, surrogates and values above U+10FFFF are invalid).
std::optional<size_t> utf8_length(std::string_view s) {
  size_t count = 0;
  for (size_t i = 0; i < s.size(); ++count) {
    auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char lead = byte(i);
    size_t extra;
    uint32_t min;
    uint32_t cp;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if ((lead & 0xE0) == 0xC0) {
      extra = 1, min = 0x80, cp = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      extra = 2, min = 0x800, cp = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      extra = 3, min = 0x10000, cp = lead & 0x07;
    } else {
      return std::nullopt;
    }
    if (s.size() - i <= extra) return std::nullopt;
    for (size_t k = 1; k <= extra; ++k) {
      if ((byte(i + k) & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    i += extra + 1;
  }
  return count;
}

void check_part(const char* name, std::string_view value) {
  std::optional<size_t> length = utf8_length(value);
  if (!length) throw ProgrammingError(std::string(name) + " must be valid UTF-8 text");
  if (*length > kMaxChars) {
    throw ProgrammingError(std::string(name) + " must be not longer than 64 chars, got " +
                           std::to_string(*length));
  }
}

std::optional<std::string> decode_base64(std::string_view text) {
  std::string decoded;
  if (!absl::Base64Unescape(to_absl(text), &decoded)) return std::nullopt;
  return decoded;
}

}  // namespace

Xid::Xid(int64_t format_id, std::string gtrid, std::string bqual)
    : gtrid_(std::move(gtrid)), bqual_(std::move(bqual)) {
  if (format_id < 0 || format_id >= kFormatIdLimit) {
    throw ProgrammingError("format_id must be a non-negative 32-bit integer, got " +
                           std::to_string(format_id));
  }
  format_id_ = static_cast<int32_t>(format_id);
  check_part("gtrid", gtrid_);
  check_part("bqual", *bqual_);
}

std::optional<Xid> Xid::parse(std::string_view gid) {
  // psycopg's ^(\d+)_([^_]*)_([^_]*)$
  size_t first = gid.find('_');
  if (first == std::string_view::npos || first == 0) return std::nullopt;
  size_t second = gid.find('_', first + 1);
  if (second == std::string_view::npos || gid.find('_', second + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view digits = gid.substr(0, first);
  int64_t format_id = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), format_id);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  std::optional<std::string> gtrid = decode_base64(gid.substr(first + 1, second - first - 1));
  std::optional<std::string> bqual = decode_base64(gid.substr(second + 1));
  if (!gtrid || !bqual) return std::nullopt;
  try {
    Xid xid(format_id, std::move(*gtrid), std::move(*bqual));
    // Only the canonical form: no sign or leading zero, base64 exactly as encoded.
    if (xid.to_string() != gid) return std::nullopt;
    return xid;
  } catch (const ProgrammingError&) {
    return std::nullopt;  // out of range, too long, not UTF-8
  }
}

Xid Xid::from_string(std::string_view gid) {
  if (std::optional<Xid> parsed = parse(gid)) return std::move(*parsed);
  return Xid(std::string(gid));
}

Xid Xid::recovered(std::string_view gid, TimePoint prepared, std::string owner,
                   std::string database) {
  Xid xid = from_string(gid);
  xid.prepared_ = prepared;
  xid.owner_ = std::move(owner);
  xid.database_ = std::move(database);
  return xid;
}

std::string Xid::to_string() const {
  if (!format_id_) return gtrid_;
  return std::to_string(*format_id_) + "_" + absl::Base64Escape(gtrid_) + "_" +
         absl::Base64Escape(*bqual_);
}

std::ostream& operator<<(std::ostream& out, const Xid& xid) {
  out << "Xid(";
  if (xid.format_id()) {
    out << *xid.format_id() << ", '" << xid.gtrid() << "', '" << *xid.bqual() << "'";
  } else {
    out << "None, '" << xid.gtrid() << "', None";
  }
  return out << ")";
}

}  // namespace pgcpp
