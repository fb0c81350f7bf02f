// Ranges and multiranges: pgcpp::Range<T>, pgcpp::Multirange<T>, and their codecs.
//
//   pgcpp::Range<int32_t> r(1, 10);                       // [1,10)
//   pgcpp::Range<int32_t> closed(1, 10, "[]");            // [1,10] (the server normalises
//                                                         //  discrete ranges to [1,11))
//   pgcpp::Range<pgcpp::Date> from(pgcpp::Date(), std::nullopt);  // [2000-01-01,)
//   auto none = pgcpp::Range<int64_t>::empty_range();
//   r.contains(5);                                        // true
//
// Range<T> <-> the builtin range over T: int4range (int32_t), int8range (int64_t),
// numrange (Numeric), daterange (Date), tsrange (Timestamp), tstzrange (TimestampTz);
// other element types are sent with oid 0 (the server infers a custom range type).
// Multirange<T> likewise maps to int4multirange, ... (PostgreSQL 14+). Both formats load;
// a range with an infinite side is never inclusive on that side (as psycopg).
#ifndef PGCPP_ADAPT_RANGE_H_
#define PGCPP_ADAPT_RANGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pgcpp/adapt/array.h"
#include "pgcpp/adapt/codec.h"
#include "pgcpp/adapt/errors.h"
#include "pgcpp/adapt/oid.h"
#include "pgcpp/adapt/wire.h"

namespace pgcpp {

template <class T>
class Range {
 public:
  using value_type = T;
  // The empty range.
  Range() = default;
  // A range between `lower` and `upper` (std::nullopt: unbounded), `bounds` one of "[)",
  // "(]", "()", "[]". Raises DataError for other bounds.
  Range(std::optional<T> lower, std::optional<T> upper, std::string_view bounds = "[)")
      : lower_(std::move(lower)), upper_(std::move(upper)), empty_(false) {
    set_bounds(bounds);
  }
  static Range empty_range() { return Range(); }

  bool is_empty() const { return empty_; }
  const std::optional<T>& lower() const { return lower_; }
  const std::optional<T>& upper() const { return upper_; }
  bool lower_inc() const { return lower_inc_; }
  bool upper_inc() const { return upper_inc_; }
  bool lower_inf() const { return !empty_ && !lower_.has_value(); }
  bool upper_inf() const { return !empty_ && !upper_.has_value(); }
  // "[)", "(]", ...; "" for the empty range.
  std::string bounds() const {
    if (empty_) return "";
    return std::string(1, lower_inc_ ? '[' : '(') + (upper_inc_ ? ']' : ')');
  }
  bool contains(const T& v) const {
    if (empty_) return false;
    if (lower_ && (lower_inc_ ? v < *lower_ : !(*lower_ < v))) return false;
    if (upper_ && (upper_inc_ ? *upper_ < v : !(v < *upper_))) return false;
    return true;
  }

  friend bool operator==(const Range&, const Range&) = default;

 private:
  void set_bounds(std::string_view bounds) {
    if (bounds.size() != 2 || (bounds[0] != '[' && bounds[0] != '(') ||
        (bounds[1] != ']' && bounds[1] != ')')) {
      throw DataError("range bounds must be one of \"[)\", \"(]\", \"()\", \"[]\", got \"" +
                      std::string(bounds) + "\"");
    }
    // An unbounded side is never inclusive.
    lower_inc_ = bounds[0] == '[' && lower_.has_value();
    upper_inc_ = bounds[1] == ']' && upper_.has_value();
  }

  std::optional<T> lower_;
  std::optional<T> upper_;
  bool lower_inc_ = false;
  bool upper_inc_ = false;
  bool empty_ = true;
};

// A multirange: ranges in order (PostgreSQL normalises them on input).
template <class T>
struct Multirange {
  using value_type = T;
  std::vector<Range<T>> ranges;
  friend bool operator==(const Multirange&, const Multirange&) = default;
};

namespace adapt_internal {

// The builtin ranges: {element type, range type, multirange type}.
struct BuiltinRange {
  Oid subtype, range, multirange;
};
inline constexpr BuiltinRange kBuiltinRanges[] = {
    {oids::kInt4, oids::kInt4range, oids::kInt4multirange},
    {oids::kInt8, oids::kInt8range, oids::kInt8multirange},
    {oids::kNumeric, oids::kNumrange, oids::kNummultirange},
    {oids::kDate, oids::kDaterange, oids::kDatemultirange},
    {oids::kTimestamp, oids::kTsrange, oids::kTsmultirange},
    {oids::kTimestamptz, oids::kTstzrange, oids::kTstzmultirange},
};
// The entry whose `Field` equals `oid`, else all zeros.
template <Oid BuiltinRange::*Field>
constexpr BuiltinRange builtin_range_by(Oid oid) {
  for (const BuiltinRange& r : kBuiltinRanges) {
    if (r.*Field == oid) return r;
  }
  return {0, 0, 0};
}
// The builtin range (multirange) type over `subtype` (range), and back; 0 if none.
constexpr Oid builtin_range_oid(Oid subtype) {
  return builtin_range_by<&BuiltinRange::subtype>(subtype).range;
}
constexpr Oid builtin_range_subtype(Oid range) {
  return builtin_range_by<&BuiltinRange::range>(range).subtype;
}
constexpr Oid builtin_multirange_oid(Oid range) {
  return builtin_range_by<&BuiltinRange::range>(range).multirange;
}
constexpr Oid builtin_multirange_range(Oid multirange) {
  return builtin_range_by<&BuiltinRange::multirange>(multirange).range;
}

// Binary range flags.
inline constexpr uint8_t kRangeEmpty = 0x01;
inline constexpr uint8_t kRangeLowerInc = 0x02;
inline constexpr uint8_t kRangeUpperInc = 0x04;
inline constexpr uint8_t kRangeLowerInf = 0x08;
inline constexpr uint8_t kRangeUpperInf = 0x10;

// One range's text, split into bounds (views valid until the next parse).
struct RangeText {
  bool empty = false;
  bool lower_inc = false, upper_inc = false;
  std::optional<std::string_view> lower, upper;  // nullopt: unbounded
};

// Parses a range's text starting at `pos` (advanced past it). Raises DataError.
class RangeTextParser {
 public:
  explicit RangeTextParser(std::string_view text) : text_(text) {}
  RangeText parse(size_t& pos);
  // A whole value: one range and nothing after it.
  RangeText parse_all();
  [[noreturn]] void fail(size_t pos, std::string_view what) const;

 private:
  std::optional<std::string_view> bound(size_t& pos, std::string& scratch, char terminator_a,
                                        char terminator_b);
  std::string_view text_;
  std::string lower_scratch_, upper_scratch_;
};

// Splits a multirange's text ("{[1,3), [5,7)}") into ranges.
template <class OnRange>
void parse_multirange_text(std::string_view text, OnRange&& on_range);

struct RangeBinary {
  uint8_t flags = 0;
  std::optional<std::string_view> lower, upper;  // nullopt: unbounded (or empty range)
};
RangeBinary parse_range_binary(std::string_view data);
// Calls on_range(std::string_view range_binary) for each range of a binary multirange.
template <class OnRange>
void parse_multirange_binary(std::string_view data, OnRange&& on_range);

// Appends a bound's text quoted if needed ("" quotes an empty string, as range_out does).
template <class Dump>
void append_range_bound(std::string& out, Dump&& dump) {
  const size_t start = out.size();
  dump(out);
  const std::string_view written(out.data() + start, out.size() - start);
  bool quote = written.empty();
  for (char c : written) {
    if (c == '"' || c == '\\' || c == ',' || c == '(' || c == ')' || c == '[' || c == ']' ||
        c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
      quote = true;
      break;
    }
  }
  if (quote) {
    std::string copy(written);
    out.resize(start);
    append_double_quoted(copy, out);
  }
}

// Writes a range whose bounds are dumped by dump_bound(const T&, std::string&) in `f`.
template <class T, class DumpBound>
void dump_range(const Range<T>& r, Format f, std::string& out, DumpBound&& dump_bound) {
  if (f == Format::kText) {
    if (r.is_empty()) {
      out.append("empty");
      return;
    }
    out.push_back(r.lower_inc() ? '[' : '(');
    if (r.lower()) append_range_bound(out, [&](std::string& o) { dump_bound(*r.lower(), o); });
    out.push_back(',');
    if (r.upper()) append_range_bound(out, [&](std::string& o) { dump_bound(*r.upper(), o); });
    out.push_back(r.upper_inc() ? ']' : ')');
    return;
  }
  uint8_t flags = 0;
  if (r.is_empty()) {
    flags = kRangeEmpty;
  } else {
    if (r.lower_inc()) flags |= kRangeLowerInc;
    if (r.upper_inc()) flags |= kRangeUpperInc;
    if (!r.lower()) flags |= kRangeLowerInf;
    if (!r.upper()) flags |= kRangeUpperInf;
  }
  out.push_back(static_cast<char>(flags));
  for (const std::optional<T>* b : {&r.lower(), &r.upper()}) {
    if (r.is_empty() || !*b) continue;
    const size_t len_pos = out.size();
    append_be<int32_t>(out, 0);
    dump_bound(**b, out);
    store_be<int32_t>(out, len_pos, static_cast<int32_t>(out.size() - len_pos - 4));
  }
}

// Builds a range from parsed bounds with load_bound(std::string_view) -> T.
template <class T, class LoadBound>
Range<T> make_range(bool empty, std::optional<std::string_view> lower,
                    std::optional<std::string_view> upper, bool lower_inc, bool upper_inc,
                    LoadBound&& load_bound) {
  if (empty) return Range<T>();
  std::optional<T> lo, hi;
  if (lower) lo = load_bound(*lower);
  if (upper) hi = load_bound(*upper);
  const char bounds[2] = {lower_inc ? '[' : '(', upper_inc ? ']' : ')'};
  return Range<T>(std::move(lo), std::move(hi), std::string_view(bounds, 2));
}

// Loads one range of either format.
template <class T, class LoadBound>
Range<T> load_range(std::string_view data, Format f, LoadBound&& load_bound) {
  if (f == Format::kBinary) {
    const RangeBinary b = parse_range_binary(data);
    return make_range<T>(b.flags & kRangeEmpty, b.lower, b.upper, b.flags & kRangeLowerInc,
                         b.flags & kRangeUpperInc, load_bound);
  }
  RangeTextParser parser(data);
  const RangeText t = parser.parse_all();
  return make_range<T>(t.empty, t.lower, t.upper, t.lower_inc, t.upper_inc, load_bound);
}

template <class T, class LoadRange>
Multirange<T> load_multirange(std::string_view data, Format f, LoadRange&& load_one) {
  Multirange<T> out;
  if (f == Format::kBinary) {
    parse_multirange_binary(data, [&](std::string_view r) { out.ranges.push_back(load_one(r)); });
  } else {
    parse_multirange_text(data, [&](std::string_view r) { out.ranges.push_back(load_one(r)); });
  }
  return out;
}

template <class T, class DumpRange>
void dump_multirange(const Multirange<T>& m, Format f, std::string& out, DumpRange&& dump_one) {
  if (f == Format::kBinary) {
    append_be<int32_t>(out, static_cast<int32_t>(m.ranges.size()));
    for (const Range<T>& r : m.ranges) {
      const size_t len_pos = out.size();
      append_be<int32_t>(out, 0);
      dump_one(r, out);
      store_be<int32_t>(out, len_pos, static_cast<int32_t>(out.size() - len_pos - 4));
    }
    return;
  }
  out.push_back('{');
  for (size_t i = 0; i < m.ranges.size(); ++i) {
    if (i > 0) out.push_back(',');
    dump_one(m.ranges[i], out);
  }
  out.push_back('}');
}

[[noreturn]] void throw_range_oid(Oid oid, Format f, std::string_view cpp_type);

// The subtype oid for loading the bounds of a range column `oid`; raises for a builtin
// type that is not a range. 0 for unknown (user) types.
inline Oid range_subtype_for_load(Oid oid, Format f, NameFn cpp_type) {
  const Oid sub = builtin_range_subtype(oid);
  if (sub == 0 && oid != oids::kInvalid && oid < oids::kFirstNormalObjectId) {
    throw_range_oid(oid, f, cpp_type());
  }
  return sub;
}

}  // namespace adapt_internal

template <class T>
struct Codec<Range<T>, std::enable_if_t<StaticDumpable<T> || StaticLoadable<T>>> {
  static std::string name() { return "pgcpp::Range<" + adapt_internal::type_name<T>() + ">"; }
  static constexpr Oid oid(Format f) { return adapt_internal::builtin_range_oid(Codec<T>::oid(f)); }
  static constexpr Format kAutoFormat = oid(Format::kBinary) != 0 ? Format::kBinary : Format::kText;

  static void dump(const Range<T>& r, Format f, std::string& out) requires StaticDumpable<T> {
    adapt_internal::dump_range(r, f, out,
                               [f](const T& v, std::string& o) { Codec<T>::dump(v, f, o); });
  }
  static Range<T> load(std::string_view data, Format f, Oid oid) requires StaticLoadable<T> {
    const Oid sub = adapt_internal::range_subtype_for_load(oid, f, &name);
    return adapt_internal::load_range<T>(
        data, f, [&](std::string_view b) { return Codec<T>::load(b, f, sub); });
  }
};

template <class T>
struct Codec<Multirange<T>, std::enable_if_t<StaticDumpable<T> || StaticLoadable<T>>> {
  using RangeCodec = Codec<Range<T>>;
  static std::string name() { return "pgcpp::Multirange<" + adapt_internal::type_name<T>() + ">"; }
  static constexpr Oid oid(Format f) {
    return adapt_internal::builtin_multirange_oid(RangeCodec::oid(f));
  }
  static constexpr Format kAutoFormat = RangeCodec::kAutoFormat;

  static void dump(const Multirange<T>& m, Format f, std::string& out) requires StaticDumpable<T> {
    adapt_internal::dump_multirange(
        m, f, out, [f](const Range<T>& r, std::string& o) { RangeCodec::dump(r, f, o); });
  }
  static Multirange<T> load(std::string_view data, Format f, Oid oid) requires StaticLoadable<T> {
    const Oid range = adapt_internal::builtin_multirange_range(oid);
    if (range == 0 && oid != oids::kInvalid && oid < oids::kFirstNormalObjectId) {
      adapt_internal::throw_range_oid(oid, f, name());
    }
    return adapt_internal::load_multirange<T>(
        data, f, [&](std::string_view r) { return RangeCodec::load(r, f, range); });
  }
};

// ---- template definitions ------------------------------------------------------------

namespace adapt_internal {

template <class OnRange>
void parse_multirange_text(std::string_view text, OnRange&& on_range) {
  RangeTextParser parser(text);
  size_t pos = 0;
  auto skip = [&] {
    while (pos < text.size() &&
           (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r')) {
      ++pos;
    }
  };
  skip();
  if (pos >= text.size() || text[pos] != '{') parser.fail(pos, "expected '{'");
  ++pos;
  skip();
  if (pos < text.size() && text[pos] == '}') {
    ++pos;
  } else {
    while (true) {
      skip();
      const size_t start = pos;
      parser.parse(pos);  // validates and finds the end of this range
      on_range(text.substr(start, pos - start));
      skip();
      if (pos < text.size() && text[pos] == ',') {
        ++pos;
        continue;
      }
      if (pos < text.size() && text[pos] == '}') {
        ++pos;
        break;
      }
      parser.fail(pos, "expected ',' or '}'");
    }
  }
  skip();
  if (pos != text.size()) parser.fail(pos, "junk after '}'");
}

template <class OnRange>
void parse_multirange_binary(std::string_view data, OnRange&& on_range) {
  BinaryReader reader(data, "multirange");
  const int32_t count = reader.read<int32_t>();
  if (count < 0 || static_cast<size_t>(count) > reader.remaining() / 4) {
    reader.fail("invalid range count");
  }
  for (int32_t i = 0; i < count; ++i) {
    bool is_null;
    const std::string_view r = reader.length_prefixed(is_null);
    if (is_null) reader.fail("NULL range");
    on_range(r);
  }
  reader.expect_end();
}

}  // namespace adapt_internal
}  // namespace pgcpp

#endif  // PGCPP_ADAPT_RANGE_H_
