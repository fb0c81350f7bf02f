#include "pgcpp/adapt/range.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace pgcpp::adapt_internal {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

}  // namespace

void RangeTextParser::fail(size_t pos, std::string_view what) const {
  throw DataError(absl::StrCat("malformed range literal ", printable(text_), ": ",
                               std::string(what), " at position ", pos));
}

std::optional<std::string_view> RangeTextParser::bound(size_t& pos, std::string& scratch,
                                                       char terminator_a, char terminator_b) {
  const size_t start = pos;
  bool escaped = false;
  bool quoted = false;
  while (pos < text_.size()) {
    const char c = text_[pos];
    if (c == '"') {
      quoted = true;
      ++pos;
      while (true) {
        if (pos >= text_.size()) fail(pos, "unterminated quoted bound");
        if (text_[pos] == '\\') {
          escaped = true;
          pos += 2;
          continue;
        }
        if (text_[pos] == '"') {
          if (pos + 1 < text_.size() && text_[pos + 1] == '"') {  // "" is a quote
            escaped = true;
            pos += 2;
            continue;
          }
          ++pos;
          break;
        }
        ++pos;
      }
      continue;
    }
    if (c == terminator_a || c == terminator_b) break;
    if (c == '\\') {
      escaped = true;
      if (pos + 1 >= text_.size()) fail(pos, "unterminated escape");
      pos += 2;
      continue;
    }
    ++pos;
  }
  if (pos >= text_.size()) fail(pos, "unexpected end of input");
  const std::string_view raw = text_.substr(start, pos - start);
  if (raw.empty()) return std::nullopt;  // no characters: unbounded
  if (!escaped && raw.size() >= 2 && raw.front() == '"' && raw.back() == '"' &&
      raw.find('"', 1) == raw.size() - 1) {
    return raw.substr(1, raw.size() - 2);
  }
  if (!escaped && !quoted) return raw;
  // Unescape: quotes delimit (and "" inside them is a quote), a backslash takes the next
  // character literally.
  scratch.clear();
  bool in_quotes = false;
  for (size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '\\') {
      scratch.push_back(raw[++i]);
    } else if (c == '"') {
      if (in_quotes && i + 1 < raw.size() && raw[i + 1] == '"') {
        scratch.push_back('"');
        ++i;
      } else {
        in_quotes = !in_quotes;
      }
    } else {
      scratch.push_back(c);
    }
  }
  return std::string_view(scratch);
}

RangeText RangeTextParser::parse(size_t& pos) {
  RangeText out;
  while (pos < text_.size() && is_space(text_[pos])) ++pos;
  if (text_.size() - pos >= 5 &&
      absl::EqualsIgnoreCase(absl::string_view(text_.data() + pos, 5), "empty")) {
    pos += 5;
    out.empty = true;
    return out;
  }
  if (pos >= text_.size() || (text_[pos] != '[' && text_[pos] != '(')) {
    fail(pos, "expected '[', '(' or \"empty\"");
  }
  out.lower_inc = text_[pos++] == '[';
  out.lower = bound(pos, lower_scratch_, ',', ',');
  ++pos;  // ','
  out.upper = bound(pos, upper_scratch_, ']', ')');
  out.upper_inc = text_[pos++] == ']';
  if (!out.lower) out.lower_inc = false;
  if (!out.upper) out.upper_inc = false;
  return out;
}

RangeText RangeTextParser::parse_all() {
  size_t pos = 0;
  RangeText out = parse(pos);
  while (pos < text_.size() && is_space(text_[pos])) ++pos;
  if (pos != text_.size()) fail(pos, "junk after the range");
  return out;
}

RangeBinary parse_range_binary(std::string_view data) {
  BinaryReader reader(data, "range");
  RangeBinary out;
  out.flags = reader.read<uint8_t>();
  if (out.flags &
      ~(kRangeEmpty | kRangeLowerInc | kRangeUpperInc | kRangeLowerInf | kRangeUpperInf)) {
    reader.fail(absl::StrCat("unknown flags 0x", absl::Hex(out.flags)));
  }
  if (out.flags & kRangeEmpty) {
    if (out.flags != kRangeEmpty) reader.fail("empty range with other flags");
    reader.expect_end();
    return out;
  }
  bool is_null;
  if (!(out.flags & kRangeLowerInf)) {
    out.lower = reader.length_prefixed(is_null);
    if (is_null) reader.fail("NULL lower bound");
  }
  if (!(out.flags & kRangeUpperInf)) {
    out.upper = reader.length_prefixed(is_null);
    if (is_null) reader.fail("NULL upper bound");
  }
  reader.expect_end();
  return out;
}

void throw_range_oid(Oid oid, Format f, std::string_view cpp_type) {
  throw_cannot_load(cpp_type, oid, f);
}

}  // namespace pgcpp::adapt_internal
