#include "tools/json_check.h"

#include <cctype>

namespace pgcpp::tools {

namespace {

class Checker {
 public:
  explicit Checker(std::string_view s) : s_(s) {}

  bool document() {
    skip_space();
    if (!value(0)) return false;
    skip_space();
    return i_ == s_.size();
  }

 private:
  bool value(int depth) {
    if (depth > 200 || i_ >= s_.size()) return false;
    switch (s_[i_]) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return number();
    }
  }

  bool object(int depth) {
    ++i_;
    skip_space();
    if (peek('}')) return ++i_, true;
    while (true) {
      skip_space();
      if (!string()) return false;
      skip_space();
      if (!peek(':')) return false;
      ++i_;
      skip_space();
      if (!value(depth + 1)) return false;
      skip_space();
      if (peek('}')) return ++i_, true;
      if (!peek(',')) return false;
      ++i_;
    }
  }

  bool array(int depth) {
    ++i_;
    skip_space();
    if (peek(']')) return ++i_, true;
    while (true) {
      skip_space();
      if (!value(depth + 1)) return false;
      skip_space();
      if (peek(']')) return ++i_, true;
      if (!peek(',')) return false;
      ++i_;
    }
  }

  bool string() {
    if (!peek('"')) return false;
    for (++i_; i_ < s_.size(); ++i_) {
      const unsigned char c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') return ++i_, true;
      if (c < 0x20) return false;
      if (c == '\\') {
        if (++i_ >= s_.size()) return false;
        const char e = s_[i_];
        if (e == 'u') {
          for (int k = 0; k < 4; ++k) {
            if (++i_ >= s_.size() || !std::isxdigit(static_cast<unsigned char>(s_[i_]))) {
              return false;
            }
          }
        } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
          return false;
        }
      }
    }
    return false;
  }

  bool number() {
    const size_t start = i_;
    if (peek('-')) ++i_;
    if (peek('0')) {
      ++i_;
    } else if (!digits()) {
      return false;
    }
    if (peek('.')) {
      ++i_;
      if (!digits()) return false;
    }
    if (peek('e') || peek('E')) {
      ++i_;
      if (peek('+') || peek('-')) ++i_;
      if (!digits()) return false;
    }
    return i_ > start;
  }

  bool digits() {
    const size_t start = i_;
    while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
    return i_ > start;
  }

  bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }

  bool peek(char c) const { return i_ < s_.size() && s_[i_] == c; }
  void skip_space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t'))
      ++i_;
  }

  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

bool is_valid_json(std::string_view text) { return Checker(text).document(); }

}  // namespace pgcpp::tools
