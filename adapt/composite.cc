#include "pgcpp/adapt/composite.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace pgcpp::adapt_internal {

void RecordTextParser::fail(std::string_view what) const {
  throw DataError(absl::StrCat("malformed record literal ", printable(text_), ": ",
                               std::string(what), " at position ", pos_));
}

std::string_view RecordTextParser::field(bool& is_null) {
  is_null = false;
  if (pos_ < text_.size() && (text_[pos_] == ',' || text_[pos_] == ')')) {
    is_null = true;
    return {};
  }
  // Fast path: an unquoted field without escapes is a view.
  const size_t start = pos_;
  size_t i = pos_;
  while (i < text_.size() && text_[i] != ',' && text_[i] != ')' && text_[i] != '"' &&
         text_[i] != '\\') {
    ++i;
  }
  if (i < text_.size() && (text_[i] == ',' || text_[i] == ')')) {
    pos_ = i;
    return text_.substr(start, i - start);
  }
  scratch_.assign(text_.substr(start, i - start));
  pos_ = i;
  bool in_quotes = false;
  while (true) {
    if (pos_ >= text_.size())
      fail(in_quotes ? "unterminated quoted field" : "unexpected end of input");
    const char c = text_[pos_];
    if (c == '\\') {
      if (pos_ + 1 >= text_.size()) fail("unterminated escape");
      scratch_.push_back(text_[pos_ + 1]);
      pos_ += 2;
    } else if (c == '"') {
      if (in_quotes && pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
        scratch_.push_back('"');
        pos_ += 2;
      } else {
        in_quotes = !in_quotes;
        ++pos_;
      }
    } else if (!in_quotes && (c == ',' || c == ')')) {
      return scratch_;
    } else {
      scratch_.push_back(c);
      ++pos_;
    }
  }
}

void append_record_field_text(std::string_view text, std::string& out) {
  bool quote = text.empty();
  for (char c : text) {
    if (c == '"' || c == '\\' || c == '(' || c == ')' || c == ',' || c == ' ' || c == '\t' ||
        c == '\n' || c == '\r' || c == '\v' || c == '\f') {
      quote = true;
      break;
    }
  }
  if (!quote) {
    out.append(text);
    return;
  }
  out.push_back('"');
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back(c);
    out.push_back(c);
  }
  out.push_back('"');
}

void throw_field_count(size_t got, size_t expected, std::string_view cpp_type) {
  throw DataError(absl::StrCat("cannot load a record of ", got, " field(s) into ",
                               std::string(cpp_type), " (", expected, " field(s))"));
}

void throw_record_oid(Oid oid, Format f, std::string_view cpp_type) {
  throw_cannot_load(cpp_type, oid, f);
}

}  // namespace pgcpp::adapt_internal
