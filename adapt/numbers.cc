#include "pgcpp/adapt/numbers.h"

#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "pgcpp/adapt/types_registry.h"

namespace pgcpp {
namespace adapt_internal {

void throw_int_out_of_range(int64_t value, Oid from, std::string_view target) {
  throw_out_of_range(absl::StrCat(value, " (", describe_oid(from), ")"), target);
}

void throw_bad_integer_text(Oid oid, std::string_view data) {
  const TypeInfo* info = builtin_type(oid);
  throw_invalid(info != nullptr ? info->name : "integer", Format::kText, data,
                "not an integer in range");
}

void load_numeric_integer(std::string_view data, Format f, bool& negative, uint64_t& magnitude) {
  auto fail = [&](std::string_view why) { throw_invalid("numeric", f, data, why); };
  negative = false;
  magnitude = 0;
  auto accumulate = [&](uint64_t digit, uint64_t base) {
    if (__builtin_mul_overflow(magnitude, base, &magnitude) ||
        __builtin_add_overflow(magnitude, digit, &magnitude)) {
      throw_out_of_range(std::string(data.size() > 40 ? "a numeric" : data), "a 64-bit integer");
    }
  };
  if (f == Format::kText) {
    std::string_view t = data;
    if (!t.empty() && t[0] == '-') {
      negative = true;
      t.remove_prefix(1);
    }
    size_t i = 0;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9')
      accumulate(static_cast<uint64_t>(t[i++] - '0'), 10);
    if (i == 0) fail("not an integer");
    if (i < t.size()) {
      if (t[i] != '.') fail("not an integer");
      for (++i; i < t.size(); ++i) {
        if (t[i] != '0') fail(t[i] >= '1' && t[i] <= '9' ? "has a fraction" : "not a number");
      }
    }
    negative = negative && magnitude != 0;
    return;
  }
  if (data.size() < 8) fail("truncated");
  const int16_t ndigits = load_be<int16_t>(data.data());
  const int16_t weight = load_be<int16_t>(data.data() + 2);
  const uint16_t sign = load_be<uint16_t>(data.data() + 4);
  if (sign != 0x0000 && sign != 0x4000) fail("NaN or infinity is not an integer");
  if (ndigits < 0 || data.size() != 8 + 2 * static_cast<size_t>(ndigits)) fail("bad digit count");
  for (int k = 0; k < ndigits; ++k) {
    const int16_t digit = load_be<int16_t>(data.data() + 8 + 2 * k);
    if (digit < 0 || digit > 9999) fail("bad digit");
    if (k > weight) {
      if (digit != 0) fail("has a fraction");
      continue;
    }
    accumulate(static_cast<uint64_t>(digit), 10000);
  }
  // Groups implied by the weight after the last stored digit.
  for (int k = ndigits; k <= weight; ++k) accumulate(0, 10000);
  negative = sign == 0x4000 && magnitude != 0;
}

void append_uint64_numeric_binary(uint64_t v, std::string& out) {
  // Base-10000 digits, most significant first; trailing zero digits are implied by weight.
  int16_t digits[5];
  int n = 0;
  for (uint64_t rest = v; rest != 0; rest /= 10000)
    digits[n++] = static_cast<int16_t>(rest % 10000);
  const int16_t weight = static_cast<int16_t>(n - 1);
  int first = 0;  // index (in little-endian `digits`) of the least significant non-zero digit
  while (first < n && digits[first] == 0) ++first;
  const int16_t ndigits = static_cast<int16_t>(n - first);
  append_be<int16_t>(out, ndigits);
  append_be<int16_t>(out, n == 0 ? 0 : weight);
  append_be<uint16_t>(out, 0);  // sign: positive
  append_be<int16_t>(out, 0);   // dscale
  for (int i = n - 1; i >= first; --i) append_be<int16_t>(out, digits[i]);
}

namespace {

template <class F>
void append_float(F v, std::string& out) {
  if (std::isnan(v)) {
    out.append("NaN");
  } else if (std::isinf(v)) {
    out.append(v > 0 ? "Infinity" : "-Infinity");
  } else {
    char buf[32];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), v);
    out.append(buf, ptr);
  }
}

// Python's repr() of a finite float (psycopg quotes floats with it): the shortest text that reads
// back as the same value, positional when the decimal exponent is in [-4, 16), scientific
// otherwise, always with a '.' or an exponent so that PostgreSQL never reads it as an integer.
template <class F>
void append_python_repr(F v, std::string& out) {
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(result.ptr - buf));  // "-1.25e+17", "5e-324"
  if (sci.front() == '-') {
    out += '-';
    sci.remove_prefix(1);
  }
  const size_t e = sci.find('e');
  std::string digits(1, sci[0]);
  if (e > 1) digits.append(sci.substr(2, e - 2));
  int exponent = 0;
  std::string_view exp_text = sci.substr(e + 1);
  const bool negative_exponent = exp_text.front() == '-';
  exp_text.remove_prefix(1);  // the sign
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);
  if (negative_exponent) exponent = -exponent;

  const int point = exponent + 1;  // digits before the decimal point
  const int ndigits = static_cast<int>(digits.size());
  if (point > -4 && point <= 16) {
    if (point <= 0) {
      out += "0." + std::string(static_cast<size_t>(-point), '0') + digits;
    } else if (point < ndigits) {
      out += digits.substr(0, static_cast<size_t>(point)) + "." +
             digits.substr(static_cast<size_t>(point));
    } else {
      out += digits + std::string(static_cast<size_t>(point - ndigits), '0') + ".0";
    }
  } else {
    out += digits.substr(0, 1);
    if (ndigits > 1) out += "." + digits.substr(1);
    out += exponent < 0 ? "e-" : "e+";
    const int magnitude = exponent < 0 ? -exponent : exponent;
    if (magnitude < 10) out += '0';
    out += std::to_string(magnitude);
  }
}

template <class F>
F parse_float(std::string_view data, std::string_view type) {
  if (data == "NaN") return std::numeric_limits<F>::quiet_NaN();
  if (data == "Infinity") return std::numeric_limits<F>::infinity();
  if (data == "-Infinity") return -std::numeric_limits<F>::infinity();
  F v{};
  const char* end = data.data() + data.size();
  auto [ptr, ec] = std::from_chars(data.data(), end, v);
  // from_chars also accepts "inf"/"nan": PostgreSQL never sends them, refuse them.
  if (ec != std::errc() || ptr != end || data.empty() || std::isnan(v) || std::isinf(v)) {
    throw_invalid(type, Format::kText, data,
                  ec == std::errc::result_out_of_range ? "out of range" : "not a number");
  }
  return v;
}

}  // namespace

void append_float_text(double v, std::string& out) { append_float(v, out); }
void append_float_text(float v, std::string& out) { append_float(v, out); }

double parse_float8_text(std::string_view data, Oid oid) {
  return parse_float<double>(data, oid == oids::kFloat8 ? "float8" : "float");
}

float parse_float4_text(std::string_view data) { return parse_float<float>(data, "float4"); }

void quote_float(double v, bool is_float4, std::string& out) {
  const char* cast = is_float4 ? "::float4" : "::float8";
  if (std::isnan(v) || std::isinf(v) || (v == 0 && std::signbit(v))) {
    // Not expressible as a bare numeric literal.
    out.push_back('\'');
    if (is_float4) {
      append_float_text(static_cast<float>(v), out);
    } else {
      append_float_text(v, out);
    }
    out.push_back('\'');
    out.append(cast);
    return;
  }
  if (v < 0) out.push_back(' ');
  if (is_float4) {
    append_python_repr(static_cast<float>(v), out);
  } else {
    append_python_repr(v, out);
  }
}

}  // namespace adapt_internal

void Codec<char>::dump(char v, Format f, std::string& out) {
  const auto byte = static_cast<unsigned char>(v);
  if (f == Format::kBinary) {
    out.push_back(v);
  } else if (byte >= 0x80) {
    out.push_back('\\');
    out.push_back(static_cast<char>('0' + (byte >> 6)));
    out.push_back(static_cast<char>('0' + ((byte >> 3) & 7)));
    out.push_back(static_cast<char>('0' + (byte & 7)));
  } else if (byte != 0) {
    out.push_back(v);
  }
}

char Codec<char>::load(std::string_view data, Format f, Oid oid) {
  if (oid != oids::kChar && oid != oids::kInvalid)
    adapt_internal::throw_cannot_load("char", oid, f);
  if (f == Format::kBinary || data.size() <= 1) {
    if (data.size() == 1) return data[0];
    if (data.empty() && f == Format::kText) return '\0';
    adapt_internal::throw_binary_size("\"char\"", 1, data.size());
  }
  auto octal = [](char c) { return c >= '0' && c <= '7'; };
  if (data.size() == 4 && data[0] == '\\' && data[1] >= '0' && data[1] <= '3' && octal(data[2]) &&
      octal(data[3])) {
    return static_cast<char>(((data[1] - '0') << 6) | ((data[2] - '0') << 3) | (data[3] - '0'));
  }
  adapt_internal::throw_invalid("\"char\"", f, data, "expected one byte or \\ooo");
}

}  // namespace pgcpp
