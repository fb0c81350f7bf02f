// Codec<T>: the compile-time adapter between a C++ type and PostgreSQL's wire formats.
//
// This is adapt's static fast path. When a parameter's or a result field's C++ type is
// known at compile time, the conversion is a direct call into `Codec<T>`: no map lookup,
// no virtual call, no allocation for fixed-size types. The runtime AdaptersMap
// (adapters_map.h) is consulted only where a user registered an override.
//
// Every builtin type is written this way (numbers.h, text.h, datetime.h, ...), and a
// user type becomes adaptable the same way, by specialising Codec in namespace pgcpp:
//
//   struct Point2 { double x, y; };
//   template <>
//   struct pgcpp::Codec<Point2> {
//     static std::string name() { return "Point2"; }       // used in error messages
//     static constexpr Format kAutoFormat = Format::kText;  // what %s picks
//     static constexpr Oid oid(Format) { return 600; }      // point; 0 = server infers
//     static void dump(const Point2& p, Format f, std::string& out);  // append wire bytes
//     static Point2 load(std::string_view data, Format f, Oid oid);   // oid: the column's
//     // Optional: static void quote(const Point2& p, std::string& out);  // SQL literal
//   };
//
// A codec may add a fast path for the common case, inlined into Row::get and into the
// loops reading many values, returning false (never throwing) whenever it is not sure, so
// that `load` runs and reports the error. Either in one piece:
//   static bool try_load(std::string_view data, Format f, Oid oid, T& out) noexcept;
// or, better for readers of many values (ColumnReader, typed rows, array elements), split
// into what is decided once per column and what is done per value:
//   static constexpr uint8_t fast_kind(Format f, Oid oid) noexcept;  // 0: no fast path
//   static bool load_fast(uint8_t kind, std::string_view data, T& out) noexcept;
// where load_fast(fast_kind(f, oid), data, out) means what try_load would. FastLoad<T>
// (below) holds the decision for either form.
//
// `load` receives the field's bytes (never NULL: nullability is handled around the codec
// with std::optional) and the column's type oid; it raises ProgrammingError
// (`throw_cannot_load`) for an oid it cannot read and DataError for malformed data.
// `dump` never produces NULL and raises DataError for a value PostgreSQL cannot hold.
#ifndef PGCPP_ADAPT_CODEC_H_
#define PGCPP_ADAPT_CODEC_H_

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeindex>
#include <typeinfo>
#include <utility>

#include "pgcpp/adapt/errors.h"
#include "pgcpp/adapt/oid.h"

namespace pgcpp {

// Specialise for each adaptable type; the primary template is deliberately undefined.
template <class T, class Enable = void>
struct Codec;

// T can be sent as a parameter through the static path.
template <class T>
concept StaticDumpable = requires(const T& v, std::string& out) {
  { Codec<T>::kAutoFormat } -> std::convertible_to<Format>;
  { Codec<T>::oid(Format::kText) } -> std::convertible_to<Oid>;
  Codec<T>::dump(v, Format::kText, out);
};

// T can be read from a result field through the static path.
template <class T>
concept StaticLoadable = requires(std::string_view data) {
  { Codec<T>::load(data, Format::kText, Oid{}) } -> std::same_as<T>;
};

// For the small try_load bodies, which must inline into element loops too.
#define PGCPP_ALWAYS_INLINE [[gnu::always_inline]] inline

// T has the fast path split per column (fast_kind) and per value (load_fast).
template <class T>
concept HasFastLoad = requires(std::string_view data, T& out) {
  { Codec<T>::fast_kind(Format::kText, Oid{}) } -> std::same_as<uint8_t>;
  { Codec<T>::load_fast(uint8_t{}, data, out) } -> std::same_as<bool>;
};

// A codec with fixed-size binary values may also name the kind of its usual one and its
// byte size (static constexpr uint8_t kFixedKind; static constexpr int32_t kFixedSize):
// readers of many values then test the size and the kind in one comparison per value.
template <class T>
concept HasFixedFastLoad = HasFastLoad<T> && requires {
  { Codec<T>::kFixedKind } -> std::convertible_to<uint8_t>;
  { Codec<T>::kFixedSize } -> std::convertible_to<int32_t>;
};

// T has an inlinable fast path, in either form.
template <class T>
concept HasTryLoad = HasFastLoad<T> || requires(std::string_view data, T& out) {
  { Codec<T>::try_load(data, Format::kText, Oid{}, out) } -> std::same_as<bool>;
};

// A codec's fast path with its per-column decision taken (at construction): calling it
// per value does only what depends on the value. It never loads for a T without a fast
// path, nor when default-constructed (a column whose values go through a user loader).
//
//   pgcpp::FastLoad<int32_t> fast(Format::kBinary, pgcpp::oids::kInt4);
//   int32_t v;
//   if (!fast(data, v)) v = pgcpp::Codec<int32_t>::load(data, Format::kBinary, oids::kInt4);
template <class T>
class FastLoad {
 public:
  FastLoad() = default;
  constexpr FastLoad(Format f, Oid oid) noexcept {
    if constexpr (HasFastLoad<T>) {
      kind_ = Codec<T>::fast_kind(f, oid);
    } else if constexpr (HasTryLoad<T>) {
      enabled_ = true;
      format_ = f;
      oid_ = oid;
    }
  }
  // Codec<T>::kFixedSize when the decision is Codec<T>::kFixedKind, else -1 (no size).
  constexpr int32_t fixed_size() const noexcept {
    if constexpr (HasFixedFastLoad<T>) {
      if (kind_ == Codec<T>::kFixedKind) return Codec<T>::kFixedSize;
    }
    return -1;
  }
  PGCPP_ALWAYS_INLINE bool operator()(std::string_view data, T& out) const noexcept {
    if constexpr (HasFastLoad<T>) {
      return Codec<T>::load_fast(kind_, data, out);
    } else if constexpr (HasTryLoad<T>) {
      return enabled_ && Codec<T>::try_load(data, format_, oid_, out);
    } else {
      return false;
    }
  }

 private:
  uint8_t kind_ = 0;
  bool enabled_ = false;
  Format format_ = Format::kText;
  Oid oid_ = 0;
};

// Types whose value may be SQL NULL, and how to see through them. std::optional<T> is the
// nullable form of any T; std::nullopt and nullptr are always NULL.
template <class T>
struct NullableTraits {
  static constexpr bool kNullable = false;
};
template <class T>
struct NullableTraits<std::optional<T>> {
  static constexpr bool kNullable = true;
  using Inner = T;
  static bool is_null(const std::optional<T>& v) { return !v.has_value(); }
  static const T& inner(const std::optional<T>& v) { return *v; }
  static std::optional<T> null() { return std::nullopt; }
  static std::optional<T> wrap(T&& v) { return std::optional<T>(std::move(v)); }
};
template <class T>
inline constexpr bool kIsNullable = NullableTraits<T>::kNullable;

namespace adapt_internal {

// Produces a type's name only when an error needs it (containers build theirs).
using NameFn = std::string (*)();

// A readable name for T in error messages: Codec<T>::name() when there is one.
std::string demangle(std::type_index type);
template <class T>
std::string type_name() {
  if constexpr (requires { Codec<T>::name(); }) {
    return std::string(Codec<T>::name());
  } else {
    return demangle(typeid(T));
  }
}

// Raises ProgrammingError: "cannot load int8 (oid 20) text data into int32_t".
[[noreturn]] void throw_cannot_load(std::string_view cpp_type, Oid oid, Format format);
// Raises DataError: "invalid <pg_type> text data '<data>': <detail>".
[[noreturn]] void throw_invalid(std::string_view pg_type, Format format, std::string_view data,
                                std::string_view detail);
// Raises DataError for a fixed-size binary value of the wrong length.
[[noreturn]] void throw_binary_size(std::string_view pg_type, size_t expected, size_t got);
// Raises DataError: "<value> does not fit in <target>".
[[noreturn]] void throw_out_of_range(std::string_view value, std::string_view target);
// Raises DataError for a string that cannot be sent as text: "... contains a NUL byte".
[[noreturn]] void throw_nul_byte(std::string_view cpp_type, size_t position);

// `data` for an error message: escaped, and cut after 80 bytes (the message says so).
std::string printable(std::string_view data);

// Appends `text` as an SQL string literal without a connection, as psycopg does:
// 'it''s', or  E'a\\b' (with a leading space) when `text` holds a backslash.
void append_quoted_literal(std::string_view text, std::string& out);

// The value of a hexadecimal digit, or -1.
constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Raises DataError if `text` holds a NUL byte (PostgreSQL text cannot).
inline void check_no_nul(std::string_view text, std::string_view cpp_type) {
  if (size_t pos = text.find('\0'); pos != std::string_view::npos) throw_nul_byte(cpp_type, pos);
}

}  // namespace adapt_internal

// The SQL literal for `v`: Codec<T>::quote when the codec has one, else the text form
// quoted as a string. (as_literal() in params.h adds the ::type cast.)
template <StaticDumpable T>
void quote_value(const T& v, std::string& out) {
  if constexpr (requires { Codec<T>::quote(v, out); }) {
    Codec<T>::quote(v, out);
  } else {
    std::string text;
    Codec<T>::dump(v, Format::kText, text);
    adapt_internal::append_quoted_literal(text, out);
  }
}

// The format a ParamFormat resolves to for T.
template <StaticDumpable T>
constexpr Format resolve_format(ParamFormat f) {
  switch (f) {
    case ParamFormat::kText:
      return Format::kText;
    case ParamFormat::kBinary:
      return Format::kBinary;
    case ParamFormat::kAuto:
      break;
  }
  return Codec<T>::kAutoFormat;
}

}  // namespace pgcpp

#endif  // PGCPP_ADAPT_CODEC_H_
