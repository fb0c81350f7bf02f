// Codecs for strings and bytes.
//
//   std::string, std::string_view, const char*, char[N]
//       -> unknown (0) in text, so the server infers the type (psycopg's str);
//          text (25) in binary.
//   pgcpp::Bytes, std::vector<std::byte>, std::span<const std::byte>  <-> bytea (17)
//
// Loading: std::string and std::string_view read any column in text format (its text
// representation; the view points into the result, no copy), and in binary format the
// text-like types (text, varchar, bpchar, name, "char", unknown, json, jsonb, xml) and
// user-defined types (whose binary form is taken as is: an enum's label).
// Bytes reads bytea in both formats (hex or escape text form) and any type's raw binary
// form. A NUL byte in a string sent to the server raises DataError.
//
//   conn.execute("INSERT INTO t (name, data) VALUES (%s, %b)", "Ann", pgcpp::Bytes("\x01\x02"));
//   std::string_view name = row.get<std::string_view>(0);  // valid while the result lives
#ifndef PGCPP_ADAPT_TEXT_H_
#define PGCPP_ADAPT_TEXT_H_

#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pgcpp/adapt/codec.h"
#include "pgcpp/adapt/oid.h"

namespace pgcpp {

// The value of a bytea: arbitrary bytes (a distinct type, so it is never sent as text).
class Bytes {
 public:
  Bytes() = default;
  explicit Bytes(std::string data) : data_(std::move(data)) {}
  explicit Bytes(std::string_view data) : data_(data) {}
  explicit Bytes(const char* data) : data_(data) {}
  Bytes(const char* data, size_t size) : data_(data, size) {}
  explicit Bytes(std::span<const std::byte> data)
      : data_(reinterpret_cast<const char*>(data.data()), data.size()) {}

  const char* data() const { return data_.data(); }
  size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  std::string_view view() const { return data_; }
  const std::string& str() const& { return data_; }
  std::string&& str() && { return std::move(data_); }
  std::span<const std::byte> span() const {
    return {reinterpret_cast<const std::byte*>(data_.data()), data_.size()};
  }

  friend bool operator==(const Bytes&, const Bytes&) = default;
  friend auto operator<=>(const Bytes&, const Bytes&) = default;

 private:
  std::string data_;
};

namespace adapt_internal {

// Whether `oid` is a type whose binary form is its text (plus jsonb's version byte).
bool is_text_like(Oid oid);
// The common text types, whose binary form is exactly their text.
constexpr bool is_plain_text_oid(Oid oid) {
  return oid == oids::kText || oid == oids::kVarchar || oid == oids::kBpchar ||
         oid == oids::kName || oid == oids::kUnknown;
}
// std::string(_view)'s fast path: 1 for any text value and the plain text types' binary
// values, 0 for the rest (load decides).
constexpr uint8_t string_fast_kind(Format f, Oid oid) {
  return f == Format::kText || is_plain_text_oid(oid) ? 1 : 0;
}
// The text carried by a text-like binary value (jsonb: after the version byte).
std::string_view text_from_binary(std::string_view data, Oid oid, std::string_view cpp_type);

// bytea text forms: hex ("\x0a0b") or the old escape form ("a\\b\001").
void append_bytea_hex(std::string_view bytes, std::string& out);
void decode_bytea_text(std::string_view text, std::string& out);
void quote_bytea(std::string_view bytes, std::string& out);

// The dump side shared by every string-like type: NUL check, then the bytes.
inline void dump_string(std::string_view v, std::string& out, std::string_view cpp_type) {
  check_no_nul(v, cpp_type);
  out.append(v);
}

inline std::string_view load_string_view(std::string_view data, Format f, Oid oid,
                                         std::string_view cpp_type) {
  if (f == Format::kText) return data;
  return text_from_binary(data, oid, cpp_type);
}

struct StringDumpTraits {
  static constexpr Format kAutoFormat = Format::kText;
  static constexpr Oid oid(Format f) { return f == Format::kText ? oids::kInvalid : oids::kText; }
};

}  // namespace adapt_internal

template <>
struct Codec<std::string> : adapt_internal::StringDumpTraits {
  static constexpr std::string_view name() { return "std::string"; }
  static void dump(const std::string& v, Format, std::string& out) {
    adapt_internal::dump_string(v, out, "std::string");
  }
  static std::string load(std::string_view data, Format f, Oid oid) {
    return std::string(adapt_internal::load_string_view(data, f, oid, "std::string"));
  }
  static constexpr uint8_t fast_kind(Format f, Oid oid) noexcept {
    return adapt_internal::string_fast_kind(f, oid);
  }
  PGCPP_ALWAYS_INLINE static bool load_fast(uint8_t kind, std::string_view data,
                                            std::string& out) noexcept {
    if (kind != 1) return false;
    out = std::string(data);  // constructed in one piece: cheaper than assign()
    return true;
  }
};

template <>
struct Codec<std::string_view> : adapt_internal::StringDumpTraits {
  static constexpr std::string_view name() { return "std::string_view"; }
  static void dump(std::string_view v, Format, std::string& out) {
    adapt_internal::dump_string(v, out, "std::string_view");
  }
  static std::string_view load(std::string_view data, Format f, Oid oid) {
    return adapt_internal::load_string_view(data, f, oid, "std::string_view");
  }
  static constexpr uint8_t fast_kind(Format f, Oid oid) noexcept {
    return adapt_internal::string_fast_kind(f, oid);
  }
  PGCPP_ALWAYS_INLINE static bool load_fast(uint8_t kind, std::string_view data,
                                            std::string_view& out) noexcept {
    if (kind != 1) return false;
    out = data;
    return true;
  }
};

// const char*: a null pointer is sent as NULL (see NullableTraits below).
template <>
struct Codec<const char*> : adapt_internal::StringDumpTraits {
  static constexpr std::string_view name() { return "const char*"; }
  static void dump(const char* v, Format, std::string& out) { out.append(v); }
};
template <>
struct NullableTraits<const char*> {
  static constexpr bool kNullable = true;
  using Inner = const char*;
  static bool is_null(const char* v) { return v == nullptr; }
  static const char* inner(const char* v) { return v; }
};

// char arrays (string literals): the terminating NUL is not part of the value; any other
// NUL is an error rather than a silent truncation.
template <size_t N>
struct Codec<char[N]> : adapt_internal::StringDumpTraits {
  static constexpr std::string_view name() { return "char[]"; }
  static void dump(const char (&v)[N], Format, std::string& out) {
    const size_t n = N > 0 && v[N - 1] == '\0' ? N - 1 : N;
    adapt_internal::dump_string(std::string_view(v, n), out, "char[]");
  }
};

template <>
struct Codec<Bytes> {
  static constexpr std::string_view name() { return "pgcpp::Bytes"; }
  static constexpr Format kAutoFormat = Format::kBinary;
  static constexpr Oid oid(Format) { return oids::kBytea; }
  static void dump(const Bytes& v, Format f, std::string& out) { dump_bytes(v.view(), f, out); }
  static void quote(const Bytes& v, std::string& out) {
    adapt_internal::quote_bytea(v.view(), out);
  }
  static Bytes load(std::string_view data, Format f, Oid oid) {
    if (f == Format::kText && oid == oids::kBytea) {
      std::string out;
      adapt_internal::decode_bytea_text(data, out);
      return Bytes(std::move(out));
    }
    return Bytes(data);
  }
  static void dump_bytes(std::string_view v, Format f, std::string& out) {
    if (f == Format::kBinary) {
      out.append(v);
    } else {
      adapt_internal::append_bytea_hex(v, out);
    }
  }
};

template <>
struct Codec<std::span<const std::byte>> {
  static constexpr std::string_view name() { return "std::span<const std::byte>"; }
  static constexpr Format kAutoFormat = Format::kBinary;
  static constexpr Oid oid(Format) { return oids::kBytea; }
  static void dump(std::span<const std::byte> v, Format f, std::string& out) {
    Codec<Bytes>::dump_bytes(std::string_view(reinterpret_cast<const char*>(v.data()), v.size()), f,
                             out);
  }
  static void quote(std::span<const std::byte> v, std::string& out) {
    adapt_internal::quote_bytea(std::string_view(reinterpret_cast<const char*>(v.data()), v.size()),
                                out);
  }
};

template <>
struct Codec<std::vector<std::byte>> {
  static constexpr std::string_view name() { return "std::vector<std::byte>"; }
  static constexpr Format kAutoFormat = Format::kBinary;
  static constexpr Oid oid(Format) { return oids::kBytea; }
  static void dump(const std::vector<std::byte>& v, Format f, std::string& out) {
    Codec<std::span<const std::byte>>::dump(v, f, out);
  }
  static void quote(const std::vector<std::byte>& v, std::string& out) {
    Codec<std::span<const std::byte>>::quote(v, out);
  }
  static std::vector<std::byte> load(std::string_view data, Format f, Oid oid) {
    Bytes b = Codec<Bytes>::load(data, f, oid);
    std::span<const std::byte> s = b.span();
    return std::vector<std::byte>(s.begin(), s.end());
  }
};

}  // namespace pgcpp

#endif  // PGCPP_ADAPT_TEXT_H_
