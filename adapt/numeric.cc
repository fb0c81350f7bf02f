#include "pgcpp/adapt/numeric.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "pgcpp/adapt/wire.h"

namespace pgcpp {
namespace {

using adapt_internal::kSignNegative;
using adapt_internal::kSignPositive;
constexpr uint16_t kSignNaN = 0xC000;
constexpr uint16_t kSignInfinity = 0xD000;
constexpr uint16_t kSignNegativeInfinity = 0xF000;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

[[noreturn]] void throw_bad_text(std::string_view text, std::string_view why) {
  adapt_internal::throw_invalid("numeric", Format::kText, text, why);
}

bool parse_special(std::string_view text, Numeric& out) {
  std::string_view body = text;
  bool negative = false;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  const absl::string_view b(body.data(), body.size());
  if (absl::EqualsIgnoreCase(b, "infinity") || absl::EqualsIgnoreCase(b, "inf")) {
    out = negative ? Numeric::negative_infinity() : Numeric::infinity();
    return true;
  }
  if (absl::EqualsIgnoreCase(absl::string_view(text.data(), text.size()), "nan")) {
    out = Numeric::nan();
    return true;
  }
  return false;
}

constexpr std::array<std::array<char, 4>, 10000> make_group_digits() {
  std::array<std::array<char, 4>, 10000> out{};
  for (int v = 0; v < 10000; ++v) {
    out[v] = {static_cast<char>('0' + v / 1000), static_cast<char>('0' + v / 100 % 10),
              static_cast<char>('0' + v / 10 % 10), static_cast<char>('0' + v % 10)};
  }
  return out;
}

// floor(a / 4) for negative a too.
int64_t floor_div4(int64_t a) { return a >= 0 ? a / 4 : -((-a + 3) / 4); }

}  // namespace

Numeric Numeric::parse(std::string_view text) {
  // Only a letter (after an optional sign) can start NaN or Infinity.
  const size_t first = !text.empty() && (text[0] == '-' || text[0] == '+') ? 1 : 0;
  if (first < text.size() && !is_digit(text[first]) && text[first] != '.') {
    Numeric special;
    if (parse_special(text, special)) return special;
  }

  size_t i = 0;
  const size_t n = text.size();
  bool negative = false;
  if (i < n && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  const size_t int_start = i;
  while (i < n && is_digit(text[i])) ++i;
  const std::string_view int_digits = text.substr(int_start, i - int_start);
  std::string_view frac_digits;
  if (i < n && text[i] == '.') {
    const size_t frac_start = ++i;
    while (i < n && is_digit(text[i])) ++i;
    frac_digits = text.substr(frac_start, i - frac_start);
  }
  if (int_digits.empty() && frac_digits.empty()) throw_bad_text(text, "no digits");
  int64_t exponent = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < n && (text[i] == '-' || text[i] == '+')) exp_negative = text[i++] == '-';
    const size_t exp_start = i;
    while (i < n && is_digit(text[i])) ++i;
    if (i == exp_start) throw_bad_text(text, "exponent without digits");
    // Anything longer than 9 digits is out of range anyway.
    if (i - exp_start > 9) throw_bad_text(text, "exponent out of range");
    std::from_chars(text.data() + exp_start, text.data() + i, exponent);
    if (exp_negative) exponent = -exponent;
  }
  if (i != n) throw_bad_text(text, absl::StrCat("unexpected character at position ", i));

  // Drop leading zeros of the coefficient.
  std::string_view lead = int_digits;
  size_t skip = 0;
  while (skip < lead.size() && lead[skip] == '0') ++skip;
  lead.remove_prefix(skip);
  std::string_view frac = frac_digits;
  if (lead.empty()) {
    size_t fskip = 0;
    while (fskip < frac.size() && frac[fskip] == '0') ++fskip;
    frac.remove_prefix(fskip);
  }
  const int64_t significant = static_cast<int64_t>(lead.size() + frac.size());
  int64_t scale = static_cast<int64_t>(frac_digits.size()) - exponent;
  if (significant > 0 && significant - scale > kMaxIntegerDigits) {
    throw_bad_text(text, "value overflows numeric format");
  }
  if (scale > kMaxScale) throw_bad_text(text, "too many digits after the decimal point");

  // The coefficient: lead, frac, then the zeros a negative scale stands for.
  const size_t zeros = scale < 0 && significant > 0 ? static_cast<size_t>(-scale) : 0;
  Numeric result;
  char* out = result.digits_.overwrite(lead.size() + frac.size() + zeros);
  out = std::copy(lead.begin(), lead.end(), out);
  out = std::copy(frac.begin(), frac.end(), out);
  std::fill_n(out, zeros, '0');
  scale = std::max<int64_t>(scale, 0);
  result.scale_ = static_cast<int32_t>(scale);
  result.negative_ = negative && !result.digits_.empty();
  return result;
}

Numeric Numeric::from_double(double v) {
  if (std::isnan(v)) return nan();
  if (std::isinf(v)) return v > 0 ? infinity() : negative_infinity();
  char buf[32];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  return parse(std::string_view(buf, static_cast<size_t>(ptr - buf)));
}

Numeric Numeric::from_parts(bool negative, std::string_view digits, int32_t scale) {
  if (scale < 0 || scale > kMaxScale) {
    throw DataError(absl::StrCat("numeric scale ", scale, " is out of range [0, ", kMaxScale, "]"));
  }
  if (!std::all_of(digits.begin(), digits.end(), is_digit)) {
    throw DataError(absl::StrCat("numeric digits ", adapt_internal::printable(digits),
                                 " are not all decimal digits"));
  }
  while (!digits.empty() && digits[0] == '0') digits.remove_prefix(1);
  if (static_cast<int64_t>(digits.size()) - scale > kMaxIntegerDigits) {
    throw DataError("numeric value overflows numeric format");
  }
  Numeric result;
  result.digits_.assign(digits);
  result.scale_ = scale;
  result.negative_ = negative && !digits.empty();
  return result;
}

void Numeric::set_integer(bool negative, uint64_t magnitude) {
  char buf[20];
  const auto end = magnitude == 0 ? buf : std::to_chars(buf, buf + sizeof(buf), magnitude).ptr;
  digits_.assign(std::string_view(buf, static_cast<size_t>(end - buf)));
  scale_ = 0;
  negative_ = negative && magnitude != 0;
  kind_ = Kind::kFinite;
}

bool Numeric::is_integer() const {
  if (!is_finite()) return false;
  const std::string_view digits = digits_.view();
  const size_t frac = std::min<size_t>(static_cast<size_t>(scale_), digits.size());
  return std::all_of(digits.end() - static_cast<ptrdiff_t>(frac), digits.end(),
                     [](char c) { return c == '0'; });
}

void Numeric::append_to(std::string& out) const {
  switch (kind_) {
    case Kind::kNaN:
      out.append("NaN");
      return;
    case Kind::kInfinity:
      out.append("Infinity");
      return;
    case Kind::kNegativeInfinity:
      out.append("-Infinity");
      return;
    case Kind::kFinite:
      break;
  }
  if (negative_) out.push_back('-');
  const std::string_view digits = digits_.view();
  const int64_t int_len = static_cast<int64_t>(digits.size()) - scale_;
  if (int_len > 0) {
    out.append(digits.substr(0, static_cast<size_t>(int_len)));
  } else {
    out.push_back('0');
  }
  if (scale_ > 0) {
    out.push_back('.');
    if (int_len < 0) {
      out.append(static_cast<size_t>(-int_len), '0');
      out.append(digits);
    } else {
      out.append(digits.substr(static_cast<size_t>(int_len)));
    }
  }
}

std::string Numeric::to_string() const {
  std::string out;
  append_to(out);
  return out;
}

double Numeric::to_double() const {
  switch (kind_) {
    case Kind::kNaN:
      return std::numeric_limits<double>::quiet_NaN();
    case Kind::kInfinity:
      return std::numeric_limits<double>::infinity();
    case Kind::kNegativeInfinity:
      return -std::numeric_limits<double>::infinity();
    case Kind::kFinite:
      break;
  }
  if (digits_.empty()) return 0.0;
  // digits * 10^-scale, parsed by from_chars (locale independent, correctly rounded).
  std::string text(digits_.view());
  absl::StrAppend(&text, "e", -static_cast<int64_t>(scale_));
  double v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc::result_out_of_range) {
    const bool overflow = static_cast<int64_t>(digits_.size()) - scale_ > 0;
    v = overflow ? std::numeric_limits<double>::infinity() : 0.0;
  }
  return negative_ ? -v : v;
}

std::pair<bool, uint64_t> Numeric::to_integer_parts(std::string_view target) const {
  if (!is_finite()) {
    throw DataError(
        absl::StrCat("cannot convert numeric ", to_string(), " to ", std::string(target)));
  }
  if (!is_integer()) {
    throw DataError(absl::StrCat("numeric ", to_string(), " is not an integer, cannot convert to ",
                                 std::string(target)));
  }
  const std::string_view digits = digits_.view();
  const int64_t int_len = static_cast<int64_t>(digits.size()) - scale_;
  if (int_len <= 0) return {false, 0};
  uint64_t magnitude = 0;
  auto [ptr, ec] =
      std::from_chars(digits.data(), digits.data() + static_cast<size_t>(int_len), magnitude);
  if (ec != std::errc()) adapt_internal::throw_out_of_range(to_string(), target);
  return {negative_, magnitude};
}

int Numeric::compare(const Numeric& a, const Numeric& b) {
  auto rank = [](Kind k) {
    switch (k) {
      case Kind::kNegativeInfinity:
        return 0;
      case Kind::kFinite:
        return 1;
      case Kind::kInfinity:
        return 2;
      case Kind::kNaN:
        return 3;
    }
    return 3;
  };
  if (a.kind_ != b.kind_) return rank(a.kind_) < rank(b.kind_) ? -1 : 1;
  if (!a.is_finite()) return 0;
  if (a.negative_ != b.negative_) return a.negative_ ? -1 : 1;
  // Compare magnitudes.
  const std::string_view ad = a.digits_.view(), bd = b.digits_.view();
  int magnitude = 0;
  if (ad.empty() || bd.empty()) {
    magnitude = ad.empty() ? (bd.empty() ? 0 : -1) : 1;
  } else {
    const int64_t a_adj = static_cast<int64_t>(ad.size()) - a.scale_;
    const int64_t b_adj = static_cast<int64_t>(bd.size()) - b.scale_;
    if (a_adj != b_adj) {
      magnitude = a_adj < b_adj ? -1 : 1;
    } else {
      const size_t common = std::min(ad.size(), bd.size());
      const int c = ad.substr(0, common).compare(bd.substr(0, common));
      if (c != 0) {
        magnitude = c < 0 ? -1 : 1;
      } else {
        auto nonzero_tail = [common](std::string_view d) {
          return std::any_of(d.begin() + static_cast<ptrdiff_t>(common), d.end(),
                             [](char ch) { return ch != '0'; });
        };
        magnitude = nonzero_tail(ad) ? 1 : nonzero_tail(bd) ? -1 : 0;
      }
    }
  }
  return a.negative_ ? -magnitude : magnitude;
}

void Codec<Numeric>::quote(const Numeric& v, std::string& out) {
  if (!v.is_finite()) {
    out.push_back('\'');
    v.append_to(out);
    out.append("'::numeric");
    return;
  }
  if (v.is_negative()) out.push_back(' ');
  v.append_to(out);
}

namespace adapt_internal {

constexpr std::array<std::array<char, 4>, 10000> kGroupDigits = make_group_digits();

void append_numeric_binary(const Numeric& v, std::string& out) {
  uint16_t sign = v.is_negative() ? kSignNegative : kSignPositive;
  switch (v.kind()) {
    case Numeric::Kind::kNaN:
      sign = kSignNaN;
      break;
    case Numeric::Kind::kInfinity:
      sign = kSignInfinity;
      break;
    case Numeric::Kind::kNegativeInfinity:
      sign = kSignNegativeInfinity;
      break;
    case Numeric::Kind::kFinite:
      break;
  }
  const std::string_view d = v.digits();
  if (!v.is_finite() || d.empty()) {
    append_be<int16_t>(out, 0);
    append_be<int16_t>(out, 0);
    append_be<uint16_t>(out, sign);
    append_be<int16_t>(out, static_cast<int16_t>(v.scale()));
    return;
  }
  // Decimal exponent of the first digit, and base-10000 group of each digit.
  const int64_t top_e = static_cast<int64_t>(d.size()) - v.scale() - 1;
  const int64_t bottom_e = -static_cast<int64_t>(v.scale());
  const int64_t top_group = floor_div4(top_e);
  const int64_t bottom_group = floor_div4(bottom_e);
  const size_t ngroups = static_cast<size_t>(top_group - bottom_group + 1);
  std::array<int16_t, 16> small{};
  std::vector<int16_t> large;
  int16_t* groups = small.data();
  if (ngroups > small.size()) {
    large.assign(ngroups, 0);
    groups = large.data();
  }
  static constexpr int16_t kPow10[] = {1, 10, 100, 1000};
  for (size_t i = 0; i < d.size(); ++i) {
    const int64_t e = top_e - static_cast<int64_t>(i);
    const int64_t g = floor_div4(e);
    groups[top_group - g] =
        static_cast<int16_t>(groups[top_group - g] + (d[i] - '0') * kPow10[e - 4 * g]);
  }
  size_t ndigits = ngroups;
  while (ndigits > 0 && groups[ndigits - 1] == 0) --ndigits;
  append_be<int16_t>(out, static_cast<int16_t>(ndigits));
  append_be<int16_t>(out, static_cast<int16_t>(top_group));
  append_be<uint16_t>(out, sign);
  append_be<int16_t>(out, static_cast<int16_t>(v.scale()));
  for (size_t i = 0; i < ndigits; ++i) append_be<int16_t>(out, groups[i]);
}

Numeric parse_numeric_binary(std::string_view data) {
  BinaryReader r(data, "numeric");
  const int16_t ndigits = r.read<int16_t>();
  const int16_t weight = r.read<int16_t>();
  const uint16_t sign = r.read<uint16_t>();
  const int16_t dscale = r.read<int16_t>();
  if (ndigits < 0) r.fail(absl::StrCat("negative digit count ", ndigits));
  switch (sign) {
    case kSignNaN:
      return Numeric::nan();
    case kSignInfinity:
      return Numeric::infinity();
    case kSignNegativeInfinity:
      return Numeric::negative_infinity();
    case kSignPositive:
    case kSignNegative:
      break;
    default:
      r.fail(absl::StrCat("invalid sign 0x", absl::Hex(sign)));
  }
  if (dscale < 0 || dscale > Numeric::kMaxScale) r.fail(absl::StrCat("invalid dscale ", dscale));
  if (r.remaining() != static_cast<size_t>(ndigits) * 2) {
    r.fail(absl::StrCat(ndigits, " digits announced, ", r.remaining(), " bytes follow"));
  }
  for (int16_t k = 0; k < ndigits; ++k) {
    const auto v = load_be<int16_t>(data.data() + 8 + 2 * k);
    if (v < 0 || v > 9999) r.fail(absl::StrCat("digit ", v, " out of range"));
  }
  auto digit = [&](int64_t k) -> int {
    return k < 0 || k >= ndigits ? 0 : load_be<int16_t>(data.data() + 8 + 2 * k);
  };
  // All groups as 4 decimal digits: the integer part, then ceil(dscale / 4) fraction groups
  // (digit() is 0 for the zero groups that weight implies but are not stored).
  const int64_t int_groups = std::max<int64_t>(0, weight + 1);
  const int64_t frac_groups = (dscale + 3) / 4;
  const size_t total = static_cast<size_t>(4 * (int_groups + frac_groups));
  char stack_buf[64];
  std::string heap_buf;
  char* buf = stack_buf;
  if (total > sizeof(stack_buf)) {
    heap_buf.resize(total);
    buf = heap_buf.data();
  }
  char* p = buf;
  auto put_group = [&p](int v) {
    std::memcpy(p, kGroupDigits[v].data(), 4);
    p += 4;
  };
  for (int64_t k = 0; k < int_groups; ++k) put_group(digit(k));
  for (int64_t j = 0; j < frac_groups; ++j) put_group(digit(weight + 1 + j));
  // Digits past dscale must be zero (PostgreSQL rounds before storing).
  const size_t keep = static_cast<size_t>(4 * int_groups + dscale);
  for (size_t i = keep; i < total; ++i) {
    if (buf[i] != '0') r.fail(absl::StrCat("digits beyond dscale ", dscale));
  }
  for (int64_t k = std::max<int64_t>(0, weight + 1 + frac_groups); k < ndigits; ++k) {
    if (digit(k) != 0) r.fail(absl::StrCat("digits beyond dscale ", dscale));
  }
  size_t lead = 0;
  while (lead < keep && buf[lead] == '0') ++lead;
  Numeric result;
  result.digits_.assign(std::string_view(buf + lead, keep - lead));
  result.scale_ = dscale;
  result.negative_ = sign == kSignNegative && !result.digits_.empty();
  return result;
}

Numeric parse_numeric_text(std::string_view data) { return Numeric::parse(data); }

}  // namespace adapt_internal
}  // namespace pgcpp
