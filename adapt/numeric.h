// Numeric: an exact decimal holding any PostgreSQL numeric, and its codec.
//
// A Numeric is a decimal coefficient with a scale (digits after the point, PostgreSQL's
// dscale), or NaN, Infinity, -Infinity. Nothing is rounded: 1000-digit values and
// 0.000...001 survive both wire formats and keep their scale ("1.50" stays "1.50").
// Conversions to double or integers are explicit; an integer conversion of a value that
// is not integral or does not fit raises DataError.
//
//   pgcpp::Numeric price("19.90");
//   price.scale();                 // 2
//   price.to_string();             // "19.90"
//   price.to_double();             // 19.9
//   pgcpp::Numeric("42").to<int32_t>();  // 42
//   pgcpp::Numeric("1.5").to<int32_t>(); // DataError: not an integer
//
// Codec: Numeric <-> numeric (1700), text by default as in psycopg (%b sends binary);
// it also loads int2/int4/int8 columns exactly.
#ifndef PGCPP_ADAPT_NUMERIC_H_
#define PGCPP_ADAPT_NUMERIC_H_

#include <compare>
#include <concepts>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "pgcpp/adapt/codec.h"
#include "pgcpp/adapt/numbers.h"
#include "pgcpp/adapt/oid.h"

namespace pgcpp {

class Numeric;
namespace adapt_internal {
void append_numeric_binary(const Numeric& v, std::string& out);
Numeric parse_numeric_binary(std::string_view data);
// The common binary values (finite, up to 16 significant digits) without the checks'
// messages; false for anything else (parse_numeric_binary then decides).
bool try_parse_numeric_binary(std::string_view data, Numeric& out) noexcept;
Numeric parse_numeric_text(std::string_view data);
}  // namespace adapt_internal

class Numeric {
 public:
  enum class Kind : uint8_t { kFinite, kNaN, kInfinity, kNegativeInfinity };

  // PostgreSQL's limits: digits before and after the decimal point.
  static constexpr int32_t kMaxIntegerDigits = 131072;
  static constexpr int32_t kMaxScale = 16383;

  // Zero.
  Numeric() = default;
  // Parses "123.45", "-0.001", "1e-20", "NaN", "Infinity", "-Infinity" (specials are
  // case-insensitive, "inf" works too). Raises DataError for anything else.
  explicit Numeric(std::string_view text) : Numeric(parse(text)) {}
  explicit Numeric(const char* text) : Numeric(parse(text)) {}
  template <std::integral I>
  requires(!std::same_as<I, bool> && !std::same_as<I, char>) explicit Numeric(I v) {
    set_integer(v < 0, v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v));
  }

  static Numeric parse(std::string_view text);
  // The shortest decimal that reads back as `v` (NaN and infinities map to themselves).
  static Numeric from_double(double v);
  static Numeric nan() { return Numeric(Kind::kNaN); }
  static Numeric infinity() { return Numeric(Kind::kInfinity); }
  static Numeric negative_infinity() { return Numeric(Kind::kNegativeInfinity); }
  // Builds a finite value from its parts: |value| = digits * 10^-scale. `digits` are
  // ASCII decimal digits (leading zeros are dropped).
  static Numeric from_parts(bool negative, std::string_view digits, int32_t scale);

  Kind kind() const { return kind_; }
  bool is_finite() const { return kind_ == Kind::kFinite; }
  bool is_nan() const { return kind_ == Kind::kNaN; }
  bool is_infinite() const { return kind_ == Kind::kInfinity || kind_ == Kind::kNegativeInfinity; }
  // True for negative finite values and -Infinity (never for zero).
  bool is_negative() const { return negative_ || kind_ == Kind::kNegativeInfinity; }
  bool is_zero() const { return is_finite() && digits_.empty(); }
  // Digits after the decimal point (PostgreSQL's dscale); 0 for the special values.
  int32_t scale() const { return scale_; }
  // The coefficient's decimal digits without leading zeros ("" for zero).
  std::string_view digits() const { return digits_; }
  // Whether the value has no non-zero fractional digit.
  bool is_integer() const;

  // PostgreSQL's text form: "-12.340", "NaN", "Infinity", "-Infinity".
  std::string to_string() const;
  void append_to(std::string& out) const;
  // The nearest double (±HUGE_VAL beyond double's range).
  double to_double() const;
  // The value as an integer type; DataError if it is not integral or does not fit.
  template <std::integral I>
  I to() const {
    const auto [negative, magnitude] = to_integer_parts(adapt_internal::integer_name<I>());
    if (negative) {
      if constexpr (std::is_signed_v<I>) {
        if (magnitude <= static_cast<uint64_t>(std::numeric_limits<I>::max()) + 1) {
          return static_cast<I>(0 - magnitude);
        }
      }
    } else if (magnitude <= static_cast<uint64_t>(std::numeric_limits<I>::max())) {
      return static_cast<I>(magnitude);
    }
    adapt_internal::throw_out_of_range(to_string(), adapt_internal::integer_name<I>());
  }

  // Numeric equality and order as PostgreSQL defines them: 1.50 == 1.5, NaN equals NaN and
  // sorts above everything, -Infinity < finite values < Infinity.
  friend bool operator==(const Numeric& a, const Numeric& b) { return compare(a, b) == 0; }
  friend std::strong_ordering operator<=>(const Numeric& a, const Numeric& b) {
    return compare(a, b) <=> 0;
  }
  // Same value and same scale ("1.50" and "1.5" are equal but not identical).
  bool identical(const Numeric& other) const {
    return kind_ == other.kind_ && negative_ == other.negative_ && scale_ == other.scale_ &&
           digits_ == other.digits_;
  }

 private:
  friend Numeric adapt_internal::parse_numeric_binary(std::string_view data);
  friend bool adapt_internal::try_parse_numeric_binary(std::string_view data,
                                                       Numeric& out) noexcept;

  explicit Numeric(Kind kind) : kind_(kind) {}
  void set_integer(bool negative, uint64_t magnitude);
  std::pair<bool, uint64_t> to_integer_parts(std::string_view target) const;
  static int compare(const Numeric& a, const Numeric& b);

  std::string digits_;  // coefficient, no leading zeros
  int32_t scale_ = 0;
  bool negative_ = false;
  Kind kind_ = Kind::kFinite;
};

template <>
struct Codec<Numeric> {
  static constexpr std::string_view name() { return "pgcpp::Numeric"; }
  static constexpr Format kAutoFormat = Format::kText;
  static constexpr Oid oid(Format) { return oids::kNumeric; }
  static void dump(const Numeric& v, Format f, std::string& out) {
    if (f == Format::kBinary) {
      adapt_internal::append_numeric_binary(v, out);
    } else {
      v.append_to(out);
    }
  }
  static void quote(const Numeric& v, std::string& out);
  // kind: 1 binary numeric.
  static constexpr uint8_t fast_kind(Format f, Oid oid) noexcept {
    return f == Format::kBinary && oid == oids::kNumeric ? 1 : 0;
  }
  static bool load_fast(uint8_t kind, std::string_view data, Numeric& out) noexcept {
    return kind == 1 && adapt_internal::try_parse_numeric_binary(data, out);
  }
  static Numeric load(std::string_view data, Format f, Oid oid) {
    if (oid == oids::kNumeric || oid == oids::kInvalid) {
      return f == Format::kBinary ? adapt_internal::parse_numeric_binary(data)
                                  : adapt_internal::parse_numeric_text(data);
    }
    if (oid == oids::kInt2 || oid == oids::kInt4 || oid == oids::kInt8) {
      return Numeric(Codec<int64_t>::load(data, f, oid));
    }
    adapt_internal::throw_cannot_load(name(), oid, f);
  }
};

}  // namespace pgcpp

#endif  // PGCPP_ADAPT_NUMERIC_H_
