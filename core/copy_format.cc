#include "pgcpp/core/copy_format.h"

#include <array>
#include <cstring>
#include <string>

#include "pgcpp/adapt/errors.h"

namespace pgcpp::copy_internal {
namespace {

// The escape letter for each byte that needs one in the text format, else 0.
constexpr std::array<char, 256> kEscapes = [] {
  std::array<char, 256> t{};
  t['\\'] = '\\';
  t['\t'] = 't';
  t['\n'] = 'n';
  t['\r'] = 'r';
  t['\b'] = 'b';
  t['\f'] = 'f';
  t['\v'] = 'v';
  return t;
}();

char escape_of(char c) { return kEscapes[static_cast<unsigned char>(c)]; }

size_t first_to_escape(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (escape_of(s[i]) != 0) return i;
  }
  return std::string_view::npos;
}

void append_escaped_from(std::string_view field, size_t first, std::string& out) {
  out.append(field.data(), first);
  for (size_t i = first; i < field.size(); ++i) {
    const char e = escape_of(field[i]);
    if (e == 0) {
      out.push_back(field[i]);
    } else {
      out.push_back('\\');
      out.push_back(e);
    }
  }
}

int octal_value(char c) { return c >= '0' && c <= '7' ? c - '0' : -1; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Unescapes `field` (which holds a backslash) onto `out`, as PostgreSQL's COPY reads it.
void append_unescaped(std::string_view field, std::string& out) {
  for (size_t i = 0; i < field.size(); ++i) {
    char c = field[i];
    if (c != '\\' || i + 1 == field.size()) {
      out.push_back(c);  // a trailing lone backslash is kept, as the server keeps it
      continue;
    }
    c = field[++i];
    switch (c) {
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'v':
        out.push_back('\v');
        break;
      case 'x': {
        int v = i + 1 < field.size() ? hex_value(field[i + 1]) : -1;
        if (v < 0) {
          out.push_back('x');
          break;
        }
        ++i;
        if (i + 1 < field.size() && hex_value(field[i + 1]) >= 0)
          v = v * 16 + hex_value(field[++i]);
        out.push_back(static_cast<char>(v));
        break;
      }
      default:
        if (octal_value(c) >= 0) {
          int v = octal_value(c);
          for (int k = 0; k < 2 && i + 1 < field.size() && octal_value(field[i + 1]) >= 0; ++k) {
            v = v * 8 + octal_value(field[++i]);
          }
          out.push_back(static_cast<char>(v & 0xff));
        } else {
          out.push_back(c);
        }
    }
  }
}

[[noreturn]] void throw_binary(std::string_view what, size_t offset) {
  throw DataError("invalid binary COPY data: " + std::string(what) + " at byte " +
                  std::to_string(offset) + " of the row");
}

}  // namespace

void escape_text_tail_slow(std::string& out, size_t start, std::string& scratch) {
  const std::string_view tail = std::string_view(out).substr(start);
  const size_t first = first_to_escape(tail);
  if (first == std::string_view::npos) return;
  scratch.assign(tail.substr(first));
  out.resize(start + first);
  append_escaped_from(scratch, 0, out);
}

void append_escaped_text(std::string_view field, std::string& out) {
  const size_t first = may_need_escape(field) ? first_to_escape(field) : std::string_view::npos;
  if (first == std::string_view::npos) {
    out.append(field);
  } else {
    append_escaped_from(field, first, out);
  }
}

void parse_text_row(std::string_view line, std::vector<FieldData>& fields, std::string& scratch) {
  fields.clear();
  scratch.clear();
  // Unescaped text is never longer than its escaped form: with this capacity, views
  // into scratch stay valid while it grows.
  scratch.reserve(line.size());
  size_t pos = 0;
  for (;;) {
    size_t tab = line.find('\t', pos);
    std::string_view field = line.substr(pos, tab == std::string_view::npos ? tab : tab - pos);
    FieldData f;
    if (field == "\\N") {
      f.is_null = true;
    } else if (field.find('\\') == std::string_view::npos) {
      f = FieldData{field.data(), static_cast<int32_t>(field.size()), false};
    } else {
      const size_t at = scratch.size();
      append_unescaped(field, scratch);
      f = FieldData{scratch.data() + at, static_cast<int32_t>(scratch.size() - at), false};
    }
    fields.push_back(f);
    if (tab == std::string_view::npos) break;
    pos = tab + 1;
  }
}

size_t parse_binary_header(std::string_view data) {
  if (data.size() < kBinaryHeader.size() ||
      data.substr(0, kBinarySignature.size()) != kBinarySignature) {
    throw DataError("binary copy doesn't start with the expected signature");
  }
  const uint32_t extension = load_be<uint32_t>(data.data() + 15);
  if (extension > data.size() - kBinaryHeader.size()) {
    throw DataError("binary copy header extension of " + std::to_string(extension) +
                    " bytes is longer than the data");
  }
  return kBinaryHeader.size() + extension;
}

size_t parse_binary_row(std::string_view data, std::vector<FieldData>& fields) {
  fields.clear();
  if (data.size() < 2) throw_binary("truncated field count", 0);
  const int16_t count = load_be<int16_t>(data.data());
  if (count < 0) throw_binary("negative field count " + std::to_string(count), 0);
  size_t pos = 2;
  for (int16_t i = 0; i < count; ++i) {
    if (data.size() - pos < 4) throw_binary("truncated field length", pos);
    const int32_t length = load_be<int32_t>(data.data() + pos);
    pos += 4;
    if (length == -1) {
      fields.push_back(FieldData{});
      continue;
    }
    if (length < 0 || static_cast<size_t>(length) > data.size() - pos) {
      throw_binary("field length " + std::to_string(length) + " beyond the data", pos - 4);
    }
    fields.push_back(FieldData{data.data() + pos, length, false});
    pos += static_cast<size_t>(length);
  }
  return pos;
}

}  // namespace pgcpp::copy_internal
