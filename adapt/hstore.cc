#include "pgcpp/adapt/hstore.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "pgcpp/adapt/array.h"
#include "pgcpp/adapt/wire.h"

namespace pgcpp::adapt_internal {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

class HstoreParser {
 public:
  explicit HstoreParser(std::string_view text) : text_(text) {}

  Hstore parse() {
    Hstore out;
    skip_spaces();
    while (pos_ < text_.size()) {
      bool was_quoted;
      std::string key = token(was_quoted);
      skip_spaces();
      if (text_.substr(pos_, 2) != "=>") fail("expected '=>'");
      pos_ += 2;
      skip_spaces();
      std::string value = token(was_quoted);
      std::optional<std::string> v;
      if (was_quoted || !absl::EqualsIgnoreCase(value, "NULL")) v = std::move(value);
      out.emplace(std::move(key), std::move(v));  // the first of duplicate keys wins
      skip_spaces();
      if (pos_ == text_.size()) break;
      if (text_[pos_] != ',') fail("expected ','");
      ++pos_;
      skip_spaces();
    }
    return out;
  }

 private:
  std::string token(bool& was_quoted) {
    std::string out;
    was_quoted = pos_ < text_.size() && text_[pos_] == '"';
    if (was_quoted) {
      ++pos_;
      while (true) {
        if (pos_ >= text_.size()) fail("unterminated quoted string");
        const char c = text_[pos_++];
        if (c == '"') break;
        if (c == '\\') {
          if (pos_ >= text_.size()) fail("unterminated escape");
          out.push_back(text_[pos_++]);
        } else {
          out.push_back(c);
        }
      }
      return out;
    }
    while (pos_ < text_.size() && !is_space(text_[pos_]) && text_[pos_] != ',' &&
           text_[pos_] != '=' && text_[pos_] != '"') {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
      out.push_back(text_[pos_++]);
    }
    if (out.empty()) fail("expected a string");
    return out;
  }
  void skip_spaces() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }
  [[noreturn]] void fail(std::string_view what) const {
    throw DataError(absl::StrCat("malformed hstore ", printable(text_), ": ", std::string(what),
                                 " at position ", pos_));
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

void dump_hstore(const Hstore& v, Format f, std::string& out) {
  if (f == Format::kBinary) {
    append_be<int32_t>(out, static_cast<int32_t>(v.size()));
    for (const auto& [key, value] : v) {
      check_no_nul(key, "pgcpp::Hstore key");
      append_be<int32_t>(out, static_cast<int32_t>(key.size()));
      out.append(key);
      if (value) {
        check_no_nul(*value, "pgcpp::Hstore value");
        append_be<int32_t>(out, static_cast<int32_t>(value->size()));
        out.append(*value);
      } else {
        append_be<int32_t>(out, -1);
      }
    }
    return;
  }
  bool first = true;
  for (const auto& [key, value] : v) {
    check_no_nul(key, "pgcpp::Hstore key");
    if (!first) out.append(", ");
    first = false;
    append_double_quoted(key, out);
    out.append("=>");
    if (value) {
      check_no_nul(*value, "pgcpp::Hstore value");
      append_double_quoted(*value, out);
    } else {
      out.append("NULL");
    }
  }
}

Hstore load_hstore(std::string_view data, Format f) {
  if (f == Format::kText) return HstoreParser(data).parse();
  BinaryReader reader(data, "hstore");
  const int32_t count = reader.read<int32_t>();
  if (count < 0 || static_cast<size_t>(count) > reader.remaining() / 8) {
    reader.fail("invalid pair count");
  }
  Hstore out;
  for (int32_t i = 0; i < count; ++i) {
    bool is_null;
    const std::string_view key = reader.length_prefixed(is_null);
    if (is_null) reader.fail("NULL key");
    const std::string_view value = reader.length_prefixed(is_null);
    out.emplace(std::string(key),
                is_null ? std::nullopt : std::optional<std::string>(std::string(value)));
  }
  reader.expect_end();
  return out;
}

}  // namespace pgcpp::adapt_internal
