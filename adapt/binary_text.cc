#include "pgcpp/adapt/binary_text.h"

#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "pgcpp/adapt/codec.h"
#include "pgcpp/adapt/errors.h"
#include "pgcpp/adapt/inet.h"
#include "pgcpp/adapt/numbers.h"
#include "pgcpp/adapt/numeric.h"
#include "pgcpp/adapt/text.h"
#include "pgcpp/adapt/types_registry.h"
#include "pgcpp/adapt/uuid.h"
#include "pgcpp/adapt/wire.h"

namespace pgcpp::adapt_internal {
namespace {

// The builtin scalar types rendered exactly (the text-like ones are their own text).
bool scalar_renders_as_text(Oid oid) {
  if (is_number_oid(oid)) return true;
  switch (oid) {
    case oids::kBool:
    case oids::kXid:
    case oids::kCid:
    case oids::kUuid:
    case oids::kBytea:
    case oids::kInet:
    case oids::kCidr:
      return true;
    default:
      return is_text_like(oid) && oid != oids::kInvalid;
  }
}

// The fixed-size binary value of `pg_type` as a big-endian T.
template <class T>
T fixed(std::string_view data, std::string_view pg_type) {
  if (data.size() != sizeof(T)) throw_binary_size(pg_type, sizeof(T), data.size());
  return load_be<T>(data.data());
}

// PostgreSQL's layout of the shortest round-trip digits of `v`: fixed notation for a
// decimal exponent in [-4, fixed_limit), else d.ddde+XX (both as float8out/float4out).
template <class F>
void append_pg_float(F v, int fixed_limit, std::string& out) {
  if (std::isnan(v)) {
    out.append("NaN");
    return;
  }
  if (std::isinf(v)) {
    out.append(v < 0 ? "-Infinity" : "Infinity");
    return;
  }
  if (v == 0) {
    out.append(std::signbit(v) ? "-0" : "0");
    return;
  }
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  const std::string_view s(buf, static_cast<size_t>(end - buf));
  const size_t e = s.find('e');
  int exp = 0;
  std::from_chars(s.data() + e + 2, s.data() + s.size(), exp);
  if (s[e + 1] == '-') exp = -exp;
  if (exp < -4 || exp >= fixed_limit) {
    out.append(s);  // to_chars' scientific form is printf's %e: "1.5e-07", "1e+16"
    return;
  }
  std::string_view mantissa = s.substr(0, e);
  if (mantissa[0] == '-') {
    out.push_back('-');
    mantissa.remove_prefix(1);
  }
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits.push_back(c);
  }
  const int n = static_cast<int>(digits.size());
  if (exp < 0) {
    out.append("0.");
    out.append(static_cast<size_t>(-exp - 1), '0');
    out.append(digits);
  } else if (n <= exp + 1) {
    out.append(digits);
    out.append(static_cast<size_t>(exp + 1 - n), '0');
  } else {
    out.append(digits, 0, static_cast<size_t>(exp + 1));
    out.push_back('.');
    out.append(digits, static_cast<size_t>(exp + 1));
  }
}

// "char": the byte itself, nothing for NUL, \ooo for a byte above 127 (charout).
void append_char(std::string_view data, std::string& out) {
  if (data.size() > 1) throw_binary_size("\"char\"", 1, data.size());
  if (data.empty() || data[0] == '\0') return;
  const auto c = static_cast<unsigned char>(data[0]);
  if (c < 128) {
    out.push_back(static_cast<char>(c));
    return;
  }
  out.push_back('\\');
  out.push_back(static_cast<char>('0' + (c >> 6)));
  out.push_back(static_cast<char>('0' + ((c >> 3) & 7)));
  out.push_back(static_cast<char>('0' + (c & 7)));
}

// Whether array_out double-quotes the element text `e`.
bool array_element_needs_quotes(std::string_view e) {
  if (e.empty()) return true;
  if (e.size() == 4 && (e[0] == 'N' || e[0] == 'n') && (e[1] == 'U' || e[1] == 'u') &&
      (e[2] == 'L' || e[2] == 'l') && (e[3] == 'L' || e[3] == 'l')) {
    return true;
  }
  for (char c : e) {
    switch (c) {
      case '"':
      case '\\':
      case '{':
      case '}':
      case ',':
      case ' ':
      case '\t':
      case '\n':
      case '\r':
      case '\v':
      case '\f':
        return true;
      default:
        break;
    }
  }
  return false;
}

// An array's binary form as array_out prints it (delimiter ',': every renderable
// element type uses it).
bool append_array(std::string_view data, std::string& out) {
  BinaryReader r(data, "array");
  const int32_t ndim = r.read<int32_t>();
  r.read<int32_t>();  // has-null flag
  const auto element = r.read<uint32_t>();
  if (ndim < 0 || ndim > 6) r.fail(absl::StrCat(ndim, " dimensions"));
  if (!scalar_renders_as_text(element)) return false;
  if (ndim == 0) {
    r.expect_end();
    out.append("{}");
    return true;
  }
  std::vector<int32_t> dims(static_cast<size_t>(ndim));
  std::vector<int32_t> lower(static_cast<size_t>(ndim));
  bool default_bounds = true;
  for (int32_t d = 0; d < ndim; ++d) {
    dims[d] = r.read<int32_t>();
    lower[d] = r.read<int32_t>();
    if (dims[d] < 0) r.fail(absl::StrCat("dimension of length ", dims[d]));
    if (lower[d] != 1) default_bounds = false;
  }
  if (!default_bounds) {
    for (int32_t d = 0; d < ndim; ++d) {
      absl::StrAppend(&out, "[", lower[d], ":", int64_t{lower[d]} + dims[d] - 1, "]");
    }
    out.push_back('=');
  }
  // Element k's position: open a brace for each dimension starting here, close after.
  int64_t total = 1;
  for (int32_t len : dims) total *= len;
  std::string text;
  for (int32_t d = 0; d < ndim; ++d) out.push_back('{');
  for (int64_t k = 0; k < total; ++k) {
    if (k > 0) {
      // Close the dimensions that ended at k and reopen them.
      int closed = 0;
      int64_t stride = 1;
      for (int32_t d = ndim - 1; d > 0; --d) {
        stride *= dims[d];
        if (k % stride != 0) break;
        ++closed;
      }
      out.append(static_cast<size_t>(closed), '}');
      out.push_back(',');
      out.append(static_cast<size_t>(closed), '{');
    }
    bool is_null = false;
    const std::string_view e = r.length_prefixed(is_null);
    if (is_null) {
      out.append("NULL");
      continue;
    }
    text.clear();
    append_text_of_binary(e, element, text);
    if (!array_element_needs_quotes(text)) {
      out.append(text);
      continue;
    }
    out.push_back('"');
    for (char c : text) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('"');
  }
  for (int32_t d = 0; d < ndim; ++d) out.push_back('}');
  r.expect_end();
  return true;
}

}  // namespace

bool binary_renders_as_text(Oid oid) {
  if (scalar_renders_as_text(oid)) return true;
  const Oid element = builtin_element_oid(oid);
  return element != 0 && scalar_renders_as_text(element);
}

void append_pg_float8(double v, std::string& out) { append_pg_float(v, 15, out); }
void append_pg_float4(float v, std::string& out) { append_pg_float(v, 6, out); }

bool append_text_of_binary(std::string_view data, Oid oid, std::string& out) {
  switch (oid) {
    case oids::kBool:
      out.push_back(fixed<uint8_t>(data, "bool") != 0 ? 't' : 'f');
      return true;
    case oids::kInt2:
      append_integer(fixed<int16_t>(data, "int2"), out);
      return true;
    case oids::kInt4:
      append_integer(fixed<int32_t>(data, "int4"), out);
      return true;
    case oids::kInt8:
      append_integer(fixed<int64_t>(data, "int8"), out);
      return true;
    case oids::kOid:
    case oids::kXid:
    case oids::kCid:
      append_integer(fixed<uint32_t>(data, "oid"), out);
      return true;
    case oids::kFloat4:
      append_pg_float4(std::bit_cast<float>(fixed<uint32_t>(data, "float4")), out);
      return true;
    case oids::kFloat8:
      append_pg_float8(std::bit_cast<double>(fixed<uint64_t>(data, "float8")), out);
      return true;
    case oids::kNumeric:
      parse_numeric_binary(data).append_to(out);
      return true;
    case oids::kUuid: {
      if (data.size() != 16) throw_binary_size("uuid", 16, data.size());
      std::array<uint8_t, 16> bytes;
      std::memcpy(bytes.data(), data.data(), 16);
      out.append(Uuid(bytes).to_string());
      return true;
    }
    case oids::kBytea:
      append_bytea_hex(data, out);
      return true;
    case oids::kInet:
      out.append(load_inet<false>(data, Format::kBinary, oid).to_string());
      return true;
    case oids::kCidr:
      out.append(load_inet<true>(data, Format::kBinary, oid).to_string());
      return true;
    case oids::kChar:
      append_char(data, out);
      return true;
    default:
      break;
  }
  if (scalar_renders_as_text(oid)) {
    out.append(text_from_binary(data, oid, "std::string"));
    return true;
  }
  if (builtin_element_oid(oid) != 0) {
    const size_t start = out.size();
    if (append_array(data, out)) return true;
    out.resize(start);
  }
  return false;
}

void throw_binary_not_text(Oid oid, std::string_view cpp_type) {
  std::string why;
  std::string read_as;
  if (is_datetime_oid(oid)) {
    why = "its text form depends on session settings (DateStyle, TimeZone, IntervalStyle)";
    read_as = "read it as the pgcpp or std::chrono type (pgcpp::Date, pgcpp::Timestamp, ...)";
  } else {
    why = "its text form cannot be rebuilt exactly from the binary data";
    read_as = "read it as its pgcpp type";
  }
  if (cpp_type == "std::string_view" && binary_renders_as_text(oid)) {
    why = "its text form has to be built, so a std::string_view cannot point into the result";
    read_as = "read it as std::string";
  }
  throw DataError(absl::StrCat(
      "cannot read ", describe_oid(oid), " as ", std::string(cpp_type),
      ": the column came in binary format (prepared statements ask for binary results by "
      "default) and ",
      why, "; ", read_as,
      ", or turn off binary results with Connection::set_prepared_binary_results(false) or "
      "CursorOptions{.binary = false}"));
}

}  // namespace pgcpp::adapt_internal
