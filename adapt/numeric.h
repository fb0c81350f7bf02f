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

#include <algorithm>
#include <array>
#include <compare>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "pgcpp/adapt/codec.h"
#include "pgcpp/adapt/decimal_digits.h"
#include "pgcpp/adapt/numbers.h"
#include "pgcpp/adapt/oid.h"
#include "pgcpp/adapt/wire.h"

namespace pgcpp {

class Numeric;
namespace adapt_internal {
void append_numeric_binary(const Numeric& v, std::string& out);
Numeric parse_numeric_binary(std::string_view data);
// The common binary values (finite, up to 16 significant digits) without the checks'
// messages; false for anything else (parse_numeric_binary then decides). Inline (below),
// so that a reader of many values runs it without a call.
inline bool try_parse_numeric_binary(std::string_view data, Numeric& out) noexcept;
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
  std::string_view digits() const { return digits_.view(); }
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
           digits() == other.digits();
  }

 private:
  friend Numeric adapt_internal::parse_numeric_binary(std::string_view data);
  friend bool adapt_internal::try_parse_numeric_binary(std::string_view data,
                                                       Numeric& out) noexcept;

  explicit Numeric(Kind kind) : kind_(kind) {}
  void set_integer(bool negative, uint64_t magnitude);
  std::pair<bool, uint64_t> to_integer_parts(std::string_view target) const;
  static int compare(const Numeric& a, const Numeric& b);

  adapt_internal::DecimalDigits digits_;  // coefficient, no leading zeros
  int32_t scale_ = 0;
  bool negative_ = false;
  Kind kind_ = Kind::kFinite;
};

namespace adapt_internal {

inline constexpr uint16_t kSignPositive = 0x0000;
inline constexpr uint16_t kSignNegative = 0x4000;
// The four decimal digits of every base-10000 digit: [1234] = "1234".
extern const std::array<std::array<char, 4>, 10000> kGroupDigits;

PGCPP_ALWAYS_INLINE bool try_parse_numeric_binary(std::string_view data, Numeric& out) noexcept {
  if (data.size() < 8) return false;
  const char* p = data.data();
  const int ndigits = load_be<int16_t>(p);
  const int weight = load_be<int16_t>(p + 2);
  const uint16_t sign = load_be<uint16_t>(p + 4);
  const int dscale = load_be<int16_t>(p + 6);
  if (ndigits < 0 || data.size() != 8 + 2 * static_cast<size_t>(ndigits) ||
      (sign != kSignPositive && sign != kSignNegative) || dscale < 0) {
    return false;
  }
  // As in parse_numeric_binary: the integer groups, then ceil(dscale / 4) fraction groups
  // (here up to 4 groups in all), and no stored digit past them.
  const int int_groups = std::max(0, weight + 1);
  const int frac_groups = (dscale + 3) / 4;
  if (int_groups + frac_groups > 4 || ndigits > weight + 1 + frac_groups) return false;
  // Stored digit d is group d + skipped: a value below 0.0001 skips the zero groups that
  // its weight implies. Groups no digit fills (and the block past them) stay zeros.
  const int skipped = int_groups - (weight + 1);
  const int groups = int_groups + frac_groups;
  DecimalDigits::Block block = {DecimalDigits::kZeroWord, DecimalDigits::kZeroWord};
  char* const chars = reinterpret_cast<char*>(block.data()) + 4 * skipped;
  for (int d = 0; d < ndigits; ++d) {
    const uint16_t digit = load_be<uint16_t>(p + 8 + 2 * d);
    if (digit > 9999) return false;
    std::memcpy(chars + 4 * d, kGroupDigits[digit].data(), 4);
  }
  const int keep = 4 * int_groups + dscale;
  const char* const all = reinterpret_cast<const char*>(block.data());
  for (int i = keep; i < 4 * groups; ++i) {  // the group padding past dscale: zeros
    if (all[i] != '0') return false;
  }
  const int lead = std::min(DecimalDigits::leading_zeros(block), keep);
  out.digits_.set_inline(block, static_cast<size_t>(lead), static_cast<size_t>(keep - lead));
  out.scale_ = dscale;
  out.negative_ = sign == kSignNegative && lead < keep;
  out.kind_ = Numeric::Kind::kFinite;
  return true;
}

}  // namespace adapt_internal

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
  PGCPP_ALWAYS_INLINE static bool load_fast(uint8_t kind, std::string_view data,
                                            Numeric& out) noexcept {
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
