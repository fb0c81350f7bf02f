// The COPY data formats, without a connection: escaping and parsing PostgreSQL's text
// format, framing and parsing its binary format (PGCOPY). Shared by the sync Copy
// (pgcpp/core/copy.h) and //aio.
//
//   std::string out;
//   size_t start = out.size();
//   out.append("a\tb");                                    // a field's text form
//   pgcpp::copy_internal::escape_text_tail(out, start, scratch);   // -> "a\\tb"
//
//   std::vector<pgcpp::FieldData> fields;
//   pgcpp::copy_internal::parse_text_row("1\t\\N\tx\\ny", fields, scratch);
//   // 3 fields: "1", NULL, "x\ny" (views into the row or into scratch)
//
// Text format: fields separated by tabs, rows ending in a newline, NULL as \N, and
// backslash escapes for \b \f \n \r \t \v and \\ (the parser also reads the octal \ooo
// and hexadecimal \xhh forms, and any other escaped character as itself).
// Binary format: the 11-byte signature, int32 flags, int32 header extension length and
// the extension; then per row an int16 field count and per field an int32 length (-1:
// NULL) and the bytes; the trailer is the int16 -1. Malformed data raises DataError
// saying what and where.
#ifndef PGCPP_CORE_COPY_FORMAT_H_
#define PGCPP_CORE_COPY_FORMAT_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "pgcpp/adapt/row.h"

namespace pgcpp::copy_internal {

inline constexpr std::string_view kBinarySignature("PGCOPY\n\xff\r\n\0", 11);
// Signature, flags 0 and an empty header extension.
inline constexpr std::string_view kBinaryHeader("PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0", 19);
inline constexpr std::string_view kBinaryTrailer("\xff\xff", 2);

// Big-endian integers (the binary format's).
template <class T>
inline void append_be(std::string& out, T v) {
  char buf[sizeof(T)];
  for (size_t i = 0; i < sizeof(T); ++i) {
    buf[sizeof(T) - 1 - i] = static_cast<char>(static_cast<uint64_t>(v) >> (8 * i));
  }
  out.append(buf, sizeof(T));
}
template <class T>
inline void store_be(char* p, T v) {
  for (size_t i = 0; i < sizeof(T); ++i) {
    p[sizeof(T) - 1 - i] = static_cast<char>(static_cast<uint64_t>(v) >> (8 * i));
  }
}
template <class T>
inline T load_be(const char* p) {
  uint64_t v = 0;
  for (size_t i = 0; i < sizeof(T); ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return static_cast<T>(v);
}

// Whether any byte of the 8 in `w` is one of \b \t \n \v \f \r (8 to 13) or a
// backslash, with false positives (bytes 0-7, 14, 15) but no false negatives.
inline bool may_need_escape(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  const uint64_t below16 = (w - kOnes * 16) & ~w & kHighs;  // some byte < 16
  const uint64_t b = w ^ (kOnes * '\\');
  const uint64_t backslash = (b - kOnes) & ~b & kHighs;  // some byte == '\\'
  return (below16 | backslash) != 0;
}

// Whether `s` may hold a character the text format escapes (false: it surely does not).
inline bool may_need_escape(std::string_view s) {
  const char* p = s.data();
  const size_t n = s.size();
  uint64_t w;
  if (n >= 8) {
    for (size_t i = 0; i + 8 <= n; i += 8) {
      std::memcpy(&w, p + i, 8);
      if (may_need_escape(w)) return true;
    }
    std::memcpy(&w, p + n - 8, 8);  // the last (overlapping) word
    return may_need_escape(w);
  }
  w = 0x2020202020202020ULL;  // spaces need no escape
  if (n > 0) std::memcpy(&w, p, n);
  return may_need_escape(w);
}

// Escapes out[start..] in place for the text format (the slow path of
// escape_text_tail).
void escape_text_tail_slow(std::string& out, size_t start, std::string& scratch);

// Escapes out[start..] in place for the text format. Nothing is copied when the tail
// needs no escaping (the common case); otherwise `scratch` holds the tail meanwhile.
inline void escape_text_tail(std::string& out, size_t start, std::string& scratch) {
  if (may_need_escape(std::string_view(out).substr(start))) [[unlikely]]
    escape_text_tail_slow(out, start, scratch);
}

// Appends `field` escaped for the text format.
void append_escaped_text(std::string_view field, std::string& out);

// Splits one text-format row (without its newline) into `fields`. Fields without
// escapes view `line`; the others are unescaped into `scratch` (cleared first), which
// must then outlive the use of `fields` as `line` must.
void parse_text_row(std::string_view line, std::vector<FieldData>& fields, std::string& scratch);

// Checks the binary header at the start of `data`; returns its size (extension
// included). DataError if it is not there.
size_t parse_binary_header(std::string_view data);

// Parses one binary row at the start of `data` into `fields` (views into `data`);
// returns the bytes it took. `data` must not start with the trailer.
size_t parse_binary_row(std::string_view data, std::vector<FieldData>& fields);

inline bool is_binary_trailer(std::string_view data) {
  return data.size() >= 2 && data[0] == '\xff' && data[1] == '\xff';
}

}  // namespace pgcpp::copy_internal

#endif  // PGCPP_CORE_COPY_FORMAT_H_
