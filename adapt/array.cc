#include "pgcpp/adapt/array.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "pgcpp/adapt/types_registry.h"

namespace pgcpp::adapt_internal {
namespace {

bool is_array_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

}  // namespace

void TextArrayParser::skip_spaces() {
  while (pos_ < text_.size() && is_array_space(text_[pos_])) ++pos_;
}

void TextArrayParser::fail(std::string_view what) const {
  throw DataError(absl::StrCat("malformed array literal ", printable(text_), ": ",
                               std::string(what), " at position ", pos_));
}

void TextArrayParser::parse_bounds(ArrayShape& shape, bool& explicit_bounds) {
  explicit_bounds = false;
  skip_spaces();
  if (pos_ >= text_.size() || text_[pos_] != '[') return;
  explicit_bounds = true;
  shape.ndim = 0;
  auto number = [&](int64_t& out) {
    const size_t start = pos_;
    if (pos_ < text_.size() && (text_[pos_] == '-' || text_[pos_] == '+')) ++pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    const std::string_view digits = text_.substr(start, pos_ - start);
    if (digits.size() > 11 ||
        !absl::SimpleAtoi(absl::string_view(digits.data(), digits.size()), &out)) {
      fail("bad dimension bound");
    }
  };
  while (pos_ < text_.size() && text_[pos_] == '[') {
    if (shape.ndim >= kMaxArrayDims) fail("too many dimensions");
    ++pos_;
    int64_t lower = 1, upper;
    number(upper);
    if (pos_ < text_.size() && text_[pos_] == ':') {
      ++pos_;
      lower = upper;
      number(upper);
    }
    if (pos_ >= text_.size() || text_[pos_] != ']') fail("expected ']'");
    ++pos_;
    if (upper < lower) fail("upper bound less than lower bound");
    const int64_t length = upper - lower + 1;
    if (lower < INT32_MIN || upper > INT32_MAX || length > INT32_MAX) fail("bound out of range");
    shape.dims[shape.ndim++] = {static_cast<int32_t>(length), static_cast<int32_t>(lower)};
  }
  if (pos_ >= text_.size() || text_[pos_] != '=') fail("expected '=' after the dimensions");
  ++pos_;
}

std::string_view TextArrayParser::element(bool& is_null) {
  is_null = false;
  if (pos_ >= text_.size()) fail("unexpected end of input");
  if (text_[pos_] == '"') {
    const size_t start = ++pos_;
    bool escaped = false;
    while (true) {
      if (pos_ >= text_.size()) fail("unterminated quoted element");
      const char c = text_[pos_];
      if (c == '"') break;
      if (c == '\\') {
        escaped = true;
        ++pos_;
        if (pos_ >= text_.size()) fail("unterminated quoted element");
      }
      ++pos_;
    }
    const std::string_view raw = text_.substr(start, pos_ - start);
    ++pos_;  // the closing quote
    if (!escaped) return raw;
    scratch_.clear();
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\\') ++i;
      scratch_.push_back(raw[i]);
    }
    return scratch_;
  }
  const size_t start = pos_;
  bool escaped = false;
  size_t end = pos_;  // after the last character that is not trailing whitespace
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (c == delim_ || c == '}') break;
    if (c == '{' || c == '"') fail("unexpected character in an unquoted element");
    if (c == '\\') {
      escaped = true;
      if (pos_ + 1 >= text_.size()) fail("unterminated escape");
      pos_ += 2;
      end = pos_;
      continue;
    }
    ++pos_;
    if (!is_array_space(c)) end = pos_;
  }
  const std::string_view raw = text_.substr(start, end - start);
  if (raw.empty()) fail("empty unquoted element");
  if (!escaped) {
    is_null = absl::EqualsIgnoreCase(absl::string_view(raw.data(), raw.size()), "NULL");
    return raw;
  }
  scratch_.clear();
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\\') ++i;
    scratch_.push_back(raw[i]);
  }
  return scratch_;
}

bool array_element_needs_quotes(std::string_view text, char delimiter) {
  if (text.empty()) return true;
  if (absl::EqualsIgnoreCase(absl::string_view(text.data(), text.size()), "NULL")) return true;
  for (char c : text) {
    if (c == '"' || c == '\\' || c == '{' || c == '}' || c == delimiter || c == ',' ||
        is_array_space(c)) {
      return true;
    }
  }
  return false;
}

void append_double_quoted(std::string_view text, std::string& out) {
  out.push_back('"');
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

void append_bounds_decoration(const ArrayShape& shape, std::string& out) {
  bool needed = false;
  for (int d = 0; d < shape.ndim; ++d) needed = needed || shape.dims[d].lower_bound != 1;
  if (!needed) return;
  for (int d = 0; d < shape.ndim; ++d) {
    const int64_t lower = shape.dims[d].lower_bound;
    absl::StrAppend(&out, "[", lower, ":", lower + shape.dims[d].length - 1, "]");
  }
  out.push_back('=');
}

TextArrayWriter::TextArrayWriter(const ArrayShape& shape, char delimiter, std::string& out)
    : shape_(shape), delim_(delimiter), out_(out) {
  append_bounds_decoration(shape, out);
  if (shape.ndim == 0) {
    out.append("{}");
    return;
  }
  out.append(static_cast<size_t>(shape.ndim), '{');
}

void TextArrayWriter::next() {
  if (index_ > 0) {
    // Close the dimensions that just completed, and reopen them after the delimiter.
    int closed = 0;
    int64_t stride = 1;
    for (int d = shape_.ndim - 1; d > 0; --d) {
      stride *= shape_.dims[d].length;
      if (index_ % stride != 0) break;
      ++closed;
    }
    out_.append(static_cast<size_t>(closed), '}');
    out_.push_back(delim_);
    out_.append(static_cast<size_t>(closed), '{');
  }
  ++index_;
}

void TextArrayWriter::finish() {
  if (shape_.ndim > 0) out_.append(static_cast<size_t>(shape_.ndim), '}');
}

BinaryArrayHeader read_binary_array_header(BinaryReader& reader) {
  BinaryArrayHeader header;
  const int32_t ndim = reader.read<int32_t>();
  if (ndim < 0 || ndim > kMaxArrayDims) reader.fail(absl::StrCat("invalid dimension count ", ndim));
  const int32_t flags = reader.read<int32_t>();
  if (flags != 0 && flags != 1) reader.fail(absl::StrCat("invalid flags ", flags));
  header.has_nulls = flags == 1;
  header.element_oid = reader.read<uint32_t>();
  header.shape.ndim = ndim;
  int64_t total = ndim == 0 ? 0 : 1;
  for (int d = 0; d < ndim; ++d) {
    const int32_t length = reader.read<int32_t>();
    const int32_t lower = reader.read<int32_t>();
    if (length <= 0) reader.fail(absl::StrCat("invalid dimension length ", length));
    header.shape.dims[d] = {length, lower};
    total *= length;
    // Every element takes at least its 4-byte length: refuse impossible counts early.
    if (total > static_cast<int64_t>(reader.remaining() / 4)) {
      reader.fail(absl::StrCat("dimensions announce more elements than the data holds"));
    }
  }
  return header;
}

void append_binary_array_header(const ArrayShape& shape, Oid element_oid, std::string& out) {
  append_be<int32_t>(out, shape.ndim);
  append_be<int32_t>(out, 0);
  append_be<uint32_t>(out, element_oid);
  for (int d = 0; d < shape.ndim; ++d) {
    append_be<int32_t>(out, shape.dims[d].length);
    append_be<int32_t>(out, shape.dims[d].lower_bound);
  }
}

size_t array_size_hint(std::string_view data, Format f) {
  if (f == Format::kText) {
    size_t n = 1;
    for (char c : data) n += c == ',' || c == ';';
    return n;
  }
  if (data.size() < 12) return 0;
  const int32_t ndim = load_be<int32_t>(data.data());
  if (ndim <= 0 || ndim > kMaxArrayDims || data.size() < 12 + 8 * static_cast<size_t>(ndim)) {
    return 0;
  }
  size_t n = 1;
  for (int32_t d = 0; d < ndim; ++d) {
    const int32_t length = load_be<int32_t>(data.data() + 12 + 8 * d);
    if (length <= 0) return 0;
    n *= static_cast<size_t>(length);
    if (n > data.size() / 4) return data.size() / 4;
  }
  return n;
}

void throw_array_depth(int got, int expected, std::string_view cpp_type) {
  throw DataError(absl::StrCat("cannot load an array of ", got, " dimension(s) into ",
                               std::string(cpp_type), " (", expected, " dimension(s))"));
}

void throw_null_element(std::string_view cpp_type) {
  throw DataError(absl::StrCat("array holds a NULL element, which ", std::string(cpp_type),
                               " cannot hold; use std::optional elements"));
}

void throw_ragged_array() {
  throw DataError(
      "cannot dump an array whose sub-arrays have different lengths (or are empty), or whose "
      "dims do not match its element count");
}

void throw_array_oid(Oid oid, Format f, std::string_view cpp_type) {
  throw_cannot_load(cpp_type, oid, f);
}

}  // namespace pgcpp::adapt_internal
