// Codecs for bool, the integer types, float/double and char.
//
//   bool       <-> bool (16)
//   int8_t, int16_t, uint8_t   -> int2 (21)      int32_t, uint16_t -> int4 (23)
//   int64_t, uint32_t          -> int8 (20)      uint64_t -> numeric (1700)
//   float      <-> float4 (700)                  double   <-> float8 (701)
//   char       <-> "char" (18)
//
// Any integer type loads from int2, int4, int8, the oid-like types (oid, xid, cid, and in
// binary the reg* types) and integral numerics; a value that does not fit (or a numeric
// with a fraction) raises DataError naming the value and the target type, never wrapping
// around or truncating. double loads float4 and float8 (a float4
// is read as float then widened, so text and binary agree); float loads float4 only.
// NaN, ±Infinity and -0.0 round-trip in both formats.
//
//   int16_t small = row.get<int16_t>(0);   // DataError if the int4 value is 40000
#ifndef PGCPP_ADAPT_NUMBERS_H_
#define PGCPP_ADAPT_NUMBERS_H_

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "pgcpp/adapt/codec.h"
#include "pgcpp/adapt/oid.h"
#include "pgcpp/adapt/wire.h"

namespace pgcpp {
namespace adapt_internal {

// The oid-like types: unsigned 32-bit integers on the wire.
constexpr bool is_oid_like(Oid oid) {
  switch (oid) {
    case oids::kOid:
    case oids::kXid:
    case oids::kCid:
    case oids::kRegproc:
    case 2202:  // regprocedure
    case 2203:  // regoper
    case 2204:  // regoperator
    case oids::kRegclass:
    case oids::kRegtype:
    case 3734:  // regconfig
    case 3769:  // regdictionary
    case 4089:  // regnamespace
    case 4096:  // regrole
    case 4191:  // regcollation
      return true;
    default:
      return false;
  }
}

// The oid-like types whose text form is a number (the reg* types print names).
constexpr bool is_numeric_text_oid(Oid oid) {
  return oid == oids::kOid || oid == oids::kXid || oid == oids::kCid;
}

[[noreturn]] void throw_int_out_of_range(int64_t value, Oid from, std::string_view target);
[[noreturn]] void throw_bad_integer_text(Oid oid, std::string_view data);

template <class T>
constexpr std::string_view integer_name() {
  if constexpr (std::is_same_v<T, int8_t>) return "int8_t";
  if constexpr (std::is_same_v<T, uint8_t>) return "uint8_t";
  if constexpr (std::is_same_v<T, int16_t>) return "int16_t";
  if constexpr (std::is_same_v<T, uint16_t>) return "uint16_t";
  if constexpr (std::is_same_v<T, int32_t>) return "int32_t";
  if constexpr (std::is_same_v<T, uint32_t>) return "uint32_t";
  if constexpr (std::is_same_v<T, int64_t>) return "int64_t";
  if constexpr (std::is_same_v<T, uint64_t>) return "uint64_t";
  if constexpr (std::is_same_v<T, long long>) return "long long";
  if constexpr (std::is_same_v<T, unsigned long long>) return "unsigned long long";
  return "integer";
}

template <class T>
inline T narrow_integer(int64_t v, Oid from) {
  if constexpr (std::is_signed_v<T> && sizeof(T) == 8) {
    return static_cast<T>(v);
  } else {
    if (!std::in_range<T>(v)) [[unlikely]]
      throw_int_out_of_range(v, from, integer_name<T>());
    return static_cast<T>(v);
  }
}

// Parses the whole of `data` as a base-10 integer (optional '-'); false if it is not one
// or does not fit in int64.
inline bool parse_int64(std::string_view data, int64_t& out) {
  const char* end = data.data() + data.size();
  auto [ptr, ec] = std::from_chars(data.data(), end, out);
  return ec == std::errc() && ptr == end;
}

// Appends the decimal digits of `v`.
template <class T>
inline void append_integer(T v, std::string& out) {
  char buf[24];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, ptr);
}

// An integral numeric field as sign and magnitude: DataError if it is NaN, infinite, has
// a non-zero fraction or exceeds 2^64 - 1.
void load_numeric_integer(std::string_view data, Format f, bool& negative, uint64_t& magnitude);

// (negative, magnitude) as T, or DataError.
template <class T>
T integer_from_parts(bool negative, uint64_t magnitude, std::string_view data) {
  if (!negative) {
    if (magnitude <= static_cast<uint64_t>(std::numeric_limits<T>::max())) {
      return static_cast<T>(magnitude);
    }
  } else if constexpr (std::is_signed_v<T>) {
    if (magnitude <= static_cast<uint64_t>(std::numeric_limits<T>::max()) + 1) {
      return static_cast<T>(0 - magnitude);
    }
  }
  throw_out_of_range(std::string(negative ? "-" : "") + std::to_string(magnitude) + " (numeric)",
                     integer_name<T>());
  (void)data;
}

// A uint64 as a binary numeric (base-10000 digits), for values beyond int8.
void append_uint64_numeric_binary(uint64_t v, std::string& out);

// Float text: PostgreSQL's spellings of the special values, shortest round-trip otherwise.
void append_float_text(double v, std::string& out);
void append_float_text(float v, std::string& out);
double parse_float8_text(std::string_view data, Oid oid);
float parse_float4_text(std::string_view data);
void quote_float(double v, bool is_float4, std::string& out);

template <class T>
inline constexpr bool kIsAdaptedInteger =
    std::is_integral_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, char> &&
    !std::is_same_v<T, wchar_t> && !std::is_same_v<T, char8_t> && !std::is_same_v<T, char16_t> &&
    !std::is_same_v<T, char32_t>;

}  // namespace adapt_internal

template <>
struct Codec<bool> {
  static constexpr std::string_view name() { return "bool"; }
  static constexpr Format kAutoFormat = Format::kBinary;
  static constexpr Oid oid(Format) { return oids::kBool; }
  static void dump(bool v, Format f, std::string& out) {
    if (f == Format::kBinary) {
      out.push_back(v ? 1 : 0);
    } else {
      out.push_back(v ? 't' : 'f');
    }
  }
  static void quote(bool v, std::string& out) { out.append(v ? "true" : "false"); }
  static constexpr uint8_t kFixedKind = 1;
  static constexpr int32_t kFixedSize = 1;
  // kind: 1 binary bool, 2 text bool.
  static constexpr uint8_t fast_kind(Format f, Oid oid) noexcept {
    return oid != oids::kBool ? 0 : f == Format::kBinary ? 1 : 2;
  }
  PGCPP_ALWAYS_INLINE static bool load_fast(uint8_t kind, std::string_view data,
                                            bool& out) noexcept {
    if (data.size() != 1) return false;
    const char c = data[0];
    if (kind == 1) {
      if (c != 0 && c != 1) return false;
      out = c == 1;
      return true;
    }
    if (kind == 2) {
      if (c != 't' && c != 'f') return false;
      out = c == 't';
      return true;
    }
    return false;
  }
  static bool load(std::string_view data, Format f, Oid oid) {
    if (oid != oids::kBool && oid != oids::kInvalid) [[unlikely]]
      adapt_internal::throw_cannot_load("bool", oid, f);
    if (data.size() == 1) {
      const char c = data[0];
      if (f == Format::kBinary) {
        if (c == 0 || c == 1) return c == 1;
      } else if (c == 't' || c == 'f') {
        return c == 't';
      }
    }
    adapt_internal::throw_invalid("bool", f, data, "expected t or f (text), 0 or 1 (binary)");
  }
};

template <class T>
struct Codec<T, std::enable_if_t<adapt_internal::kIsAdaptedInteger<T>>> {
  static constexpr bool kSigned = std::is_signed_v<T>;
  // The smallest PostgreSQL integer type holding every value of T.
  static constexpr Oid kOid = sizeof(T) < 2 || (kSigned && sizeof(T) == 2)    ? oids::kInt2
                              : sizeof(T) == 2 || (kSigned && sizeof(T) == 4) ? oids::kInt4
                              : sizeof(T) == 4 || kSigned                     ? oids::kInt8
                                                                              : oids::kNumeric;

  static constexpr std::string_view name() { return adapt_internal::integer_name<T>(); }
  static constexpr Format kAutoFormat = Format::kBinary;
  static constexpr Oid oid(Format) { return kOid; }

  static void dump(T v, Format f, std::string& out) {
    if (f == Format::kText) return adapt_internal::append_integer(v, out);
    if constexpr (kOid == oids::kInt2) {
      adapt_internal::append_be(out, static_cast<int16_t>(v));
    } else if constexpr (kOid == oids::kInt4) {
      adapt_internal::append_be(out, static_cast<int32_t>(v));
    } else if constexpr (kOid == oids::kInt8) {
      adapt_internal::append_be(out, static_cast<int64_t>(v));
    } else {
      adapt_internal::append_uint64_numeric_binary(v, out);
    }
  }
  // Negative numbers get a leading space so that "- -1" never becomes a comment "--1".
  static void quote(T v, std::string& out) {
    if (v < T{}) out.push_back(' ');
    adapt_internal::append_integer(v, out);
  }

  // kind: the binary integer types, or integer text.
  enum : uint8_t { kNoFastLoad, kBinaryInt2, kBinaryInt4, kBinaryInt8, kTextInteger };
  static constexpr uint8_t fast_kind(Format f, Oid oid) noexcept {
    switch (oid) {
      case oids::kInt2:
        return f == Format::kBinary ? kBinaryInt2 : kTextInteger;
      case oids::kInt4:
        return f == Format::kBinary ? kBinaryInt4 : kTextInteger;
      case oids::kInt8:
        return f == Format::kBinary ? kBinaryInt8 : kTextInteger;
      default:
        return kNoFastLoad;
    }
  }
  // T's own size: the usual binary values.
  static constexpr uint8_t kFixedKind = sizeof(T) <= 2   ? kBinaryInt2
                                        : sizeof(T) == 4 ? kBinaryInt4
                                                         : kBinaryInt8;
  static constexpr int32_t kFixedSize = sizeof(T) <= 2 ? 2 : sizeof(T) == 4 ? 4 : 8;
  PGCPP_ALWAYS_INLINE static bool load_fast(uint8_t kind, std::string_view data, T& out) noexcept {
    // T's own size first, falling through all the way (the others are rarer).
    constexpr uint8_t kNatural = kFixedKind;
    if (kind == kNatural) [[likely]] {
      if constexpr (kNatural == kBinaryInt2) return binary<int16_t>(data, out);
      if constexpr (kNatural == kBinaryInt4) return binary<int32_t>(data, out);
      if constexpr (kNatural == kBinaryInt8) return binary<int64_t>(data, out);
    }
    switch (kind) {
      case kBinaryInt4:
        return binary<int32_t>(data, out);
      case kBinaryInt8:
        return binary<int64_t>(data, out);
      case kBinaryInt2:
        return binary<int16_t>(data, out);
      case kTextInteger: {
        int64_t v;
        return adapt_internal::parse_int64(data, v) && store(v, out);
      }
      default:
        return false;
    }
  }

  static T load(std::string_view data, Format f, Oid oid) {
    using adapt_internal::narrow_integer;
    if (f == Format::kBinary) {
      switch (oid) {
        case oids::kInt4:
          if (data.size() == 4) [[likely]]
            return narrow_integer<T>(adapt_internal::load_be<int32_t>(data.data()), oid);
          adapt_internal::throw_binary_size("int4", 4, data.size());
        case oids::kInt8:
          if (data.size() == 8) [[likely]]
            return narrow_integer<T>(adapt_internal::load_be<int64_t>(data.data()), oid);
          adapt_internal::throw_binary_size("int8", 8, data.size());
        case oids::kInt2:
          if (data.size() == 2) [[likely]]
            return narrow_integer<T>(adapt_internal::load_be<int16_t>(data.data()), oid);
          adapt_internal::throw_binary_size("int2", 2, data.size());
        case oids::kNumeric: {
          bool negative;
          uint64_t magnitude;
          adapt_internal::load_numeric_integer(data, f, negative, magnitude);
          return adapt_internal::integer_from_parts<T>(negative, magnitude, data);
        }
        default:
          if (adapt_internal::is_oid_like(oid)) {
            if (data.size() != 4) adapt_internal::throw_binary_size("oid", 4, data.size());
            return narrow_integer<T>(adapt_internal::load_be<uint32_t>(data.data()), oid);
          }
          adapt_internal::throw_cannot_load(name(), oid, f);
      }
    }
    if (oid == oids::kNumeric) {
      bool negative;
      uint64_t magnitude;
      adapt_internal::load_numeric_integer(data, f, negative, magnitude);
      return adapt_internal::integer_from_parts<T>(negative, magnitude, data);
    }
    if (oid != oids::kInt4 && oid != oids::kInt8 && oid != oids::kInt2 &&
        !adapt_internal::is_numeric_text_oid(oid) && oid != oids::kInvalid) [[unlikely]]
      adapt_internal::throw_cannot_load(name(), oid, f);
    int64_t v = 0;
    if (!adapt_internal::parse_int64(data, v)) [[unlikely]]
      adapt_internal::throw_bad_integer_text(oid, data);
    return narrow_integer<T>(v, oid);
  }

 private:
  // A binary S (of exactly its size) into out.
  template <class S>
  PGCPP_ALWAYS_INLINE static bool binary(std::string_view data, T& out) noexcept {
    if (data.size() != sizeof(S)) [[unlikely]]
      return false;
    return store(adapt_internal::load_be<S>(data.data()), out);
  }
  // out = v when T holds it (no test at all when it holds every value of S).
  template <class S>
  PGCPP_ALWAYS_INLINE static bool store(S v, T& out) noexcept {
    if constexpr (!(std::in_range<T>(std::numeric_limits<S>::min()) &&
                    std::in_range<T>(std::numeric_limits<S>::max()))) {
      if (!std::in_range<T>(v)) return false;
    }
    out = static_cast<T>(v);
    return true;
  }
};

template <class T>
struct FloatCodec {
  static constexpr bool kIsFloat4 = std::is_same_v<T, float>;
  using Bits = std::conditional_t<kIsFloat4, uint32_t, uint64_t>;

  static constexpr std::string_view name() { return kIsFloat4 ? "float" : "double"; }
  static constexpr Format kAutoFormat = Format::kBinary;
  static constexpr Oid oid(Format) { return kIsFloat4 ? oids::kFloat4 : oids::kFloat8; }
  static void dump(T v, Format f, std::string& out) {
    if (f == Format::kText) return adapt_internal::append_float_text(v, out);
    adapt_internal::append_be(out, std::bit_cast<Bits>(v));
  }
  static void quote(T v, std::string& out) { adapt_internal::quote_float(v, kIsFloat4, out); }
  // Binary, and finite text values (the slow path spells the special values).
  enum : uint8_t { kNoFastLoad, kBinaryFloat4, kBinaryFloat8, kTextFloat4, kTextFloat8 };
  static constexpr uint8_t fast_kind(Format f, Oid oid) noexcept {
    if (oid == oids::kFloat4) return f == Format::kBinary ? kBinaryFloat4 : kTextFloat4;
    if (oid == oids::kFloat8 && !kIsFloat4) {
      return f == Format::kBinary ? kBinaryFloat8 : kTextFloat8;
    }
    return kNoFastLoad;
  }
  static constexpr uint8_t kFixedKind = kIsFloat4 ? kBinaryFloat4 : kBinaryFloat8;
  static constexpr int32_t kFixedSize = sizeof(T);
  PGCPP_ALWAYS_INLINE static bool load_fast(uint8_t kind, std::string_view data, T& out) noexcept {
    // T's own binary type first, falling through all the way.
    if (kind == kFixedKind) [[likely]] {
      if (data.size() != sizeof(T)) [[unlikely]]
        return false;
      out = std::bit_cast<T>(adapt_internal::load_be<Bits>(data.data()));
      return true;
    }
    switch (kind) {
      case kBinaryFloat8:
        if (data.size() != 8) return false;
        out = static_cast<T>(std::bit_cast<double>(adapt_internal::load_be<uint64_t>(data.data())));
        return true;
      case kBinaryFloat4:
        if (data.size() != 4) return false;
        out = std::bit_cast<float>(adapt_internal::load_be<uint32_t>(data.data()));
        return true;
      case kTextFloat8:
        return parse_finite<double>(data, out);
      case kTextFloat4:
        return parse_finite<float>(data, out);
      default:
        return false;
    }
  }
  static T load(std::string_view data, Format f, Oid oid) {
    if (oid == oids::kFloat8 && !kIsFloat4) {
      if (f == Format::kBinary) {
        if (data.size() != 8) [[unlikely]]
          adapt_internal::throw_binary_size("float8", 8, data.size());
        return std::bit_cast<double>(adapt_internal::load_be<uint64_t>(data.data()));
      }
      return static_cast<T>(adapt_internal::parse_float8_text(data, oid));
    }
    if (oid == oids::kFloat4) {
      if (f == Format::kBinary) {
        if (data.size() != 4) [[unlikely]]
          adapt_internal::throw_binary_size("float4", 4, data.size());
        return std::bit_cast<float>(adapt_internal::load_be<uint32_t>(data.data()));
      }
      return adapt_internal::parse_float4_text(data);
    }
    if (oid == oids::kInvalid && f == Format::kText) {
      return static_cast<T>(adapt_internal::parse_float8_text(data, oid));
    }
    adapt_internal::throw_cannot_load(name(), oid, f);
  }

 private:
  // A finite S in text (the special values' spellings go through load).
  template <class S>
  PGCPP_ALWAYS_INLINE static bool parse_finite(std::string_view data, T& out) noexcept {
    S v;
    auto [ptr, ec] = std::from_chars(data.data(), data.data() + data.size(), v);
    if (ec != std::errc() || ptr != data.data() + data.size() || !std::isfinite(v)) return false;
    out = static_cast<T>(v);
    return true;
  }
};
template <>
struct Codec<float> : FloatCodec<float> {};
template <>
struct Codec<double> : FloatCodec<double> {};

// char <-> "char", PostgreSQL's one-byte type. Text shows bytes >= 0x80 as \ooo and the
// zero byte as an empty string.
template <>
struct Codec<char> {
  static constexpr std::string_view name() { return "char"; }
  static constexpr Format kAutoFormat = Format::kText;
  static constexpr Oid oid(Format) { return oids::kChar; }
  static void dump(char v, Format f, std::string& out);
  static char load(std::string_view data, Format f, Oid oid);
};

}  // namespace pgcpp

#endif  // PGCPP_ADAPT_NUMBERS_H_
