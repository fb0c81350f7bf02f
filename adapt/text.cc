#include "pgcpp/adapt/text.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "pgcpp/adapt/binary_text.h"

namespace pgcpp::adapt_internal {

bool is_text_like(Oid oid) {
  switch (oid) {
    case oids::kInvalid:
    case oids::kText:
    case oids::kVarchar:
    case oids::kBpchar:
    case oids::kName:
    case oids::kChar:
    case oids::kUnknown:
    case oids::kJson:
    case oids::kJsonb:
    case oids::kXml:
    case 1790:  // refcursor
      return true;
    default:
      return false;
  }
}

std::string_view text_from_binary(std::string_view data, Oid oid, std::string_view cpp_type) {
  // A user type's binary form is taken as is (an enum's is its label).
  if (!is_text_like(oid) && oid < oids::kFirstNormalObjectId) {
    throw_cannot_load(cpp_type, oid, Format::kBinary);
  }
  if (oid == oids::kJsonb) {
    if (data.empty() || data[0] != 1) {
      throw_invalid("jsonb", Format::kBinary, data, "unknown jsonb binary version");
    }
    data.remove_prefix(1);
  }
  return data;
}

std::string load_string(std::string_view data, Format f, Oid oid) {
  if (f == Format::kText) return std::string(data);
  if (oid >= oids::kFirstNormalObjectId || oid == oids::kInvalid || is_plain_text_oid(oid)) {
    return std::string(text_from_binary(data, oid, "std::string"));
  }
  std::string out;
  if (!append_text_of_binary(data, oid, out)) throw_binary_not_text(oid, "std::string");
  return out;
}

std::string_view load_string_view(std::string_view data, Format f, Oid oid) {
  if (f == Format::kText) return data;
  if (oid == oids::kChar) {
    // Its text is the byte, except for NUL (nothing) and bytes above 127 (\ooo).
    if (data.empty() || data[0] == '\0') return data.substr(0, 0);
    if (static_cast<unsigned char>(data[0]) < 128 && data.size() == 1) return data;
    throw_binary_not_text(oid, "std::string_view");
  }
  if (!is_text_like(oid) && oid < oids::kFirstNormalObjectId) {
    throw_binary_not_text(oid, "std::string_view");
  }
  return text_from_binary(data, oid, "std::string_view");
}

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

}  // namespace

void append_bytea_hex(std::string_view bytes, std::string& out) {
  const size_t start = out.size();
  out.resize(start + 2 + 2 * bytes.size());
  char* p = out.data() + start;
  *p++ = '\\';
  *p++ = 'x';
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    *p++ = kHexDigits[b >> 4];
    *p++ = kHexDigits[b & 15];
  }
}

void decode_bytea_text(std::string_view text, std::string& out) {
  if (text.size() >= 2 && text[0] == '\\' && text[1] == 'x') {
    out.reserve(out.size() + (text.size() - 2) / 2);
    for (size_t i = 2; i < text.size();) {
      if (text[i] == ' ' || text[i] == '\n' || text[i] == '\t' || text[i] == '\r') {
        ++i;
        continue;
      }
      const int hi = hex_value(text[i]);
      const int lo = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
      if (hi < 0 || lo < 0) {
        throw_invalid("bytea", Format::kText, text,
                      absl::StrCat("bad hex digit pair at position ", i));
      }
      out.push_back(static_cast<char>((hi << 4) | lo));
      i += 2;
    }
    return;
  }
  // The escape form (bytea_output = 'escape').
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '\\') {
      out.push_back('\\');
      ++i;
      continue;
    }
    auto octal = [&](size_t j) { return j < text.size() && text[j] >= '0' && text[j] <= '7'; };
    if (octal(i + 1) && octal(i + 2) && octal(i + 3) && text[i + 1] <= '3') {
      out.push_back(static_cast<char>(((text[i + 1] - '0') << 6) | ((text[i + 2] - '0') << 3) |
                                      (text[i + 3] - '0')));
      i += 3;
      continue;
    }
    throw_invalid("bytea", Format::kText, text, absl::StrCat("bad escape at position ", i));
  }
}

void quote_bytea(std::string_view bytes, std::string& out) {
  // Valid whatever standard_conforming_strings is: E'' with the backslash doubled.
  out.append(" E'\\\\x");
  std::string hex;
  append_bytea_hex(bytes, hex);
  out.append(hex, 2);
  out.push_back('\'');
}

}  // namespace pgcpp::adapt_internal
