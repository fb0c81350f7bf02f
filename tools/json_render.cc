#include "tools/json_render.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <variant>

namespace pgcpp::tools {

namespace {

// Finite floats: the shortest decimal that reads back as the same value.
template <class F>
void append_float(F v, std::string& out) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, end);
}

// NaN and the infinities, which JSON has no numbers for.
template <class F>
std::optional<std::string> special_float(F v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return std::nullopt;
}

template <class I>
void append_integer(I v, std::string& out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, end);
}

// "YYYY-MM-DD" (" BC" moved after the time for timestamps).
template <class Ts>
std::string iso_timestamp(const Ts& ts, std::string_view zone) {
  if (ts.is_infinity()) return "infinity";
  if (ts.is_minus_infinity()) return "-infinity";
  std::string date = ts.date().to_string();
  std::string suffix;
  if (date.ends_with(" BC")) {
    date.resize(date.size() - 3);
    suffix = " BC";
  }
  return date + "T" + ts.time().to_string() + std::string(zone) + suffix;
}

void append_range(const Range<Value>& r, std::string& out) {
  out.append("{\"empty\": ");
  out.append(r.is_empty() ? "true" : "false");
  out.append(", \"lower\": ");
  append_json(r.lower() ? *r.lower() : Value(), out);
  out.append(", \"upper\": ");
  append_json(r.upper() ? *r.upper() : Value(), out);
  out.append(", \"bounds\": ");
  append_json_string(r.bounds(), out);
  out.push_back('}');
}

// Elements [begin, begin + product of dims[d..]) as nested arrays.
size_t append_array_dims(const Array<Value>& a, size_t d, size_t begin, std::string& out) {
  out.push_back('[');
  size_t next = begin;
  for (int32_t i = 0; i < a.dims[d].length; ++i) {
    if (i > 0) out.append(", ");
    if (d + 1 == a.dims.size()) {
      append_json(a.elements[next++], out);
    } else {
      next = append_array_dims(a, d + 1, next, out);
    }
  }
  out.push_back(']');
  return next;
}

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

}  // namespace

void append_json_string(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out.append("\\u00");
          out.push_back(kHex[(c >> 4) & 0xf]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

namespace {

// The text of the values JSON renders as strings; nullopt for the others.
std::optional<std::string> string_form(const Value& v) {
  return std::visit(
      Overloaded{
          [](float f) { return special_float(f); },
          [](double f) { return special_float(f); },
          [](const Numeric& n) -> std::optional<std::string> { return n.to_string(); },
          [](const std::string& s) -> std::optional<std::string> { return s; },
          [](const Bytes& b) -> std::optional<std::string> {
            static constexpr char kHex[] = "0123456789abcdef";
            std::string hex = "\\x";
            for (unsigned char c : b.view()) {
              hex.push_back(kHex[c >> 4]);
              hex.push_back(kHex[c & 0xf]);
            }
            return hex;
          },
          [](const Date& d) -> std::optional<std::string> { return d.to_string(); },
          [](const Time& t) -> std::optional<std::string> { return t.to_string(); },
          [](const TimeTz& t) -> std::optional<std::string> { return t.to_string(); },
          [](const Timestamp& t) -> std::optional<std::string> { return iso_timestamp(t, ""); },
          [](const TimestampTz& t) -> std::optional<std::string> {
            return iso_timestamp(t, "+00:00");
          },
          [](const Uuid& u) -> std::optional<std::string> { return u.to_string(); },
          [](const Inet& i) -> std::optional<std::string> { return i.to_string(); },
          [](const Cidr& c) -> std::optional<std::string> { return c.to_string(); },
          [&](const AnyValue&) -> std::optional<std::string> { return v.to_string(); },
          [](const auto&) -> std::optional<std::string> { return std::nullopt; },
      },
      v.storage());
}

}  // namespace

void append_json(const Value& v, std::string& out) {
  if (std::optional<std::string> s = string_form(v)) {
    append_json_string(*s, out);
    return;
  }
  std::visit(
      Overloaded{
          [&](std::monostate) { out.append("null"); },
          [&](bool b) { out.append(b ? "true" : "false"); },
          [&](int16_t i) { append_integer(i, out); }, [&](int32_t i) { append_integer(i, out); },
          [&](int64_t i) { append_integer(i, out); }, [&](float f) { append_float(f, out); },
          [&](double f) { append_float(f, out); },
          [&](const Interval& i) {
            out.append("{\"months\": ");
            append_integer(i.months(), out);
            out.append(", \"days\": ");
            append_integer(i.days(), out);
            out.append(", \"microseconds\": ");
            append_integer(i.micros(), out);
            out.push_back('}');
          },
          [&](const Json& j) { out.append(j.text); }, [&](const Jsonb& j) { out.append(j.text); },
          [&](const Array<Value>& a) {
            if (a.dims.empty()) {
              out.append("[]");
            } else {
              append_array_dims(a, 0, 0, out);
            }
          },
          [&](const Box<Range<Value>>& r) { append_range(*r, out); },
          [&](const Multirange<Value>& m) {
            out.push_back('[');
            for (size_t i = 0; i < m.ranges.size(); ++i) {
              if (i > 0) out.append(", ");
              append_range(m.ranges[i], out);
            }
            out.push_back(']');
          },
          [&](const Record& r) {
            out.push_back('[');
            for (size_t i = 0; i < r.fields.size(); ++i) {
              if (i > 0) out.append(", ");
              append_json(r.fields[i], out);
            }
            out.push_back(']');
          },
          [&](const Hstore& h) {
            out.push_back('{');
            bool first = true;
            for (const auto& [key, value] : h) {
              if (!first) out.append(", ");
              first = false;
              append_json_string(key, out);
              out.append(": ");
              if (value) {
                append_json_string(*value, out);
              } else {
                out.append("null");
              }
            }
            out.push_back('}');
          },
          [&](const auto&) {},  // the string forms, handled above
      },
      v.storage());
}

std::string display_text(const Value& v) {
  if (v.is_null()) return "";
  if (std::optional<std::string> s = string_form(v)) return *std::move(s);
  std::string out;
  append_json(v, out);
  return out;
}

}  // namespace pgcpp::tools
