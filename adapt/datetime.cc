#include "pgcpp/adapt/datetime.h"

#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "pgcpp/adapt/numbers.h"
#include "pgcpp/adapt/types_registry.h"
#include "pgcpp/adapt/wire.h"

namespace pgcpp {
namespace adapt_internal {

int64_t days_from_civil(int64_t year, uint32_t month, uint32_t day) {
  // Shift the year to start in March so the leap day is the last day of the year; then
  // count whole 400-year eras (146097 days each) and the days into the era.
  const int64_t y = year - (month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t year_of_era = y - era * 400;
  const int64_t month_from_march = month > 2 ? month - 3 : month + 9;
  const int64_t day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  // 0000-03-01 is day 0 of era 0; 2000-01-01 is 730425 days later.
  return era * 146097 + day_of_era - 730425;
}

YearMonthDay civil_from_days(int64_t days) {
  const int64_t z = days + 730425;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t day_of_era = z - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month_from_march = (5 * day_of_year + 2) / 153;
  const auto day = static_cast<uint32_t>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  const auto month =
      static_cast<uint32_t>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  const int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return {static_cast<int32_t>(year), month, day};
}

void throw_infinite(std::string_view pg_type, std::string_view cpp_type, std::string_view holder) {
  throw DataError(absl::StrCat(std::string(pg_type), " infinity cannot be represented by ",
                               std::string(cpp_type), "; load it as ", std::string(holder)));
}

void throw_chrono_range(std::string_view pg_value, std::string_view cpp_type) {
  throw DataError(absl::StrCat("value ", printable(pg_value), " cannot be represented exactly by ",
                               std::string(cpp_type),
                               "; load it as a pgcpp date/time type or a finer duration"));
}

void throw_timestamp_range(int64_t micros) {
  throw DataError(absl::StrCat("timestamp ", micros,
                               "us since 2000-01-01 is out of PostgreSQL's range (4714-11-24 BC "
                               "to 294276-12-31 AD)"));
}

namespace {

uint32_t days_in_month(int64_t year, uint32_t month) {
  static constexpr uint32_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// A tiny scanner over ISO date/time text. Every method returns false on a mismatch and
// leaves the position where parsing stopped (for the error message).
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool digits(size_t min, size_t max, int64_t& out) {
    size_t n = 0;
    int64_t v = 0;
    while (n < max && pos_ + n < text_.size() && text_[pos_ + n] >= '0' && text_[pos_ + n] <= '9') {
      v = v * 10 + (text_[pos_ + n] - '0');
      ++n;
    }
    if (n < min) return false;
    pos_ += n;
    out = v;
    return true;
  }
  bool literal(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool literal(std::string_view s) {
    if (text_.substr(pos_).starts_with(s)) {
      pos_ += s.size();
      return true;
    }
    return false;
  }
  // Optional ".ffffff" (1 to 6 digits) as microseconds.
  bool fraction(int64_t& micros) {
    micros = 0;
    if (!literal('.')) return true;
    const size_t start = pos_;
    int64_t v = 0;
    if (!digits(1, 6, v)) return false;
    for (size_t n = pos_ - start; n < 6; ++n) v *= 10;
    micros = v;
    return true;
  }
  bool at_end() const { return pos_ == text_.size(); }
  size_t pos() const { return pos_; }
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

[[noreturn]] void throw_bad_datetime(std::string_view type, std::string_view text,
                                     std::string_view expected) {
  throw_invalid(type, Format::kText, text,
                absl::StrCat("expected ", std::string(expected),
                             " (pgcpp reads DateStyle ISO and IntervalStyle postgres)"));
}

// "YYYY-MM-DD" (year: 4+ digits); the day number since 2000-01-01. No BC handling.
bool scan_date(Scanner& s, int64_t& year, uint32_t& month, uint32_t& day) {
  int64_t m, d;
  if (!s.digits(4, 9, year) || !s.literal('-') || !s.digits(2, 2, m) || !s.literal('-') ||
      !s.digits(2, 2, d)) {
    return false;
  }
  if (m < 1 || m > 12) return false;
  month = static_cast<uint32_t>(m);
  day = static_cast<uint32_t>(d);
  return true;
}

// "HH:MM:SS[.ffffff]" as microseconds; hour may be 24 only for 24:00:00.
bool scan_time(Scanner& s, int64_t& micros) {
  int64_t h, m, sec, frac;
  if (!s.digits(2, 2, h) || !s.literal(':') || !s.digits(2, 2, m) || !s.literal(':') ||
      !s.digits(2, 2, sec) || !s.fraction(frac)) {
    return false;
  }
  if (h > 24 || m > 59 || sec > 60) return false;
  micros = ((h * 60 + m) * 60 + sec) * kMicrosPerSecond + frac;
  return micros <= Time::kMaxMicros;
}

// "+HH[:MM[:SS]]" as seconds east of UTC.
bool scan_offset(Scanner& s, int32_t& offset) {
  const char sign = s.peek();
  if (sign != '+' && sign != '-') return false;
  s.literal(sign);
  int64_t h, m = 0, sec = 0;
  if (!s.digits(2, 2, h)) return false;
  if (s.literal(':')) {
    if (!s.digits(2, 2, m)) return false;
    if (s.literal(':') && !s.digits(2, 2, sec)) return false;
  }
  if (m > 59 || sec > 59) return false;
  const int64_t total = h * 3600 + m * 60 + sec;
  if (total > TimeTz::kMaxOffsetSeconds) return false;
  offset = static_cast<int32_t>(sign == '-' ? -total : total);
  return true;
}

// Astronomical year from the printed year and the BC flag.
int64_t astronomical_year(int64_t printed, bool bc) { return bc ? 1 - printed : printed; }

bool valid_day(int64_t year, uint32_t month, uint32_t day) {
  return day >= 1 && day <= days_in_month(year, month);
}

void append_padded(std::string& out, int64_t v, int width) {
  char buf[24];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  for (int n = static_cast<int>(ptr - buf); n < width; ++n) out.push_back('0');
  out.append(buf, ptr);
}

// "YYYY-MM-DD" without the era.
void append_ymd(std::string& out, const YearMonthDay& ymd) {
  append_padded(out, ymd.year <= 0 ? 1 - static_cast<int64_t>(ymd.year) : ymd.year, 4);
  out.push_back('-');
  append_padded(out, ymd.month, 2);
  out.push_back('-');
  append_padded(out, ymd.day, 2);
}

// "HH:MM:SS[.ffffff]" (trailing zeros of the fraction dropped); hours may exceed 24.
void append_hms(std::string& out, uint64_t micros) {
  const uint64_t total_seconds = micros / kMicrosPerSecond;
  const uint64_t frac = micros % kMicrosPerSecond;
  append_padded(out, static_cast<int64_t>(total_seconds / 3600), 2);
  out.push_back(':');
  append_padded(out, static_cast<int64_t>(total_seconds / 60 % 60), 2);
  out.push_back(':');
  append_padded(out, static_cast<int64_t>(total_seconds % 60), 2);
  if (frac != 0) {
    char buf[7];
    uint64_t f = frac;
    for (int i = 5; i >= 0; --i) {
      buf[i] = static_cast<char>('0' + f % 10);
      f /= 10;
    }
    int len = 6;
    while (buf[len - 1] == '0') --len;
    out.push_back('.');
    out.append(buf, static_cast<size_t>(len));
  }
}

void append_offset(std::string& out, int32_t offset) {
  out.push_back(offset < 0 ? '-' : '+');
  const int32_t abs = offset < 0 ? -offset : offset;
  append_padded(out, abs / 3600, 2);
  if (abs % 3600 != 0) {
    out.push_back(':');
    append_padded(out, abs / 60 % 60, 2);
    if (abs % 60 != 0) {
      out.push_back(':');
      append_padded(out, abs % 60, 2);
    }
  }
}

// Whether `data`, from a column of type `oid` (kInvalid: unknown) loaded as the
// builtin type `expected`, is binary; binary data must hold `size` bytes.
bool checked_binary(std::string_view data, Format f, Oid oid, Oid expected, size_t size,
                    std::string_view cpp_type) {
  if (oid != expected && oid != oids::kInvalid) throw_cannot_load(cpp_type, oid, f);
  if (f != Format::kBinary) return false;
  if (data.size() != size) throw_binary_size(builtin_type(expected)->name, size, data.size());
  return true;
}

int64_t floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

}  // namespace

// ---- date ----------------------------------------------------------------------------

Date load_date(std::string_view data, Format f, Oid oid, std::string_view cpp_type) {
  if (!checked_binary(data, f, oid, oids::kDate, 4, cpp_type)) return Date::parse(data);
  const auto days = load_be<int32_t>(data.data());
  if (days == std::numeric_limits<int32_t>::max()) return Date::infinity();
  if (days == std::numeric_limits<int32_t>::min()) return Date::minus_infinity();
  return Date::from_days(days);
}

void dump_date(Date v, Format f, std::string& out) {
  if (f == Format::kBinary) {
    append_be<int32_t>(out, v.days());
  } else {
    out.append(v.to_string());
  }
}

}  // namespace adapt_internal

Date Date::from_days(int32_t days) {
  if (days < kMinDays || days > kMaxDays) {
    throw DataError(absl::StrCat("date ", days,
                                 " days from 2000-01-01 is out of PostgreSQL's range (4714-11-24 "
                                 "BC to 5874897-12-31 AD)"));
  }
  return Date(days);
}

Date Date::from_ymd(int32_t year, uint32_t month, uint32_t day) {
  if (month < 1 || month > 12 || day < 1 || day > adapt_internal::days_in_month(year, month)) {
    throw DataError(absl::StrCat("invalid date: year ", year, " month ", month, " day ", day));
  }
  const int64_t days = adapt_internal::days_from_civil(year, month, day);
  if (days < kMinDays || days > kMaxDays) {
    throw DataError(absl::StrCat("date ", year, "-", month, "-", day,
                                 " is out of PostgreSQL's range (4714-11-24 BC to 5874897-12-31)"));
  }
  return Date(static_cast<int32_t>(days));
}

Date Date::from_sys_days(std::chrono::sys_days d) {
  const int64_t days =
      static_cast<int64_t>(d.time_since_epoch().count()) - adapt_internal::kUnixToPostgresDays;
  if (days < kMinDays || days > kMaxDays) {
    throw DataError(absl::StrCat("std::chrono::sys_days ", d.time_since_epoch().count(),
                                 " is out of PostgreSQL's date range"));
  }
  return Date(static_cast<int32_t>(days));
}

Date Date::parse(std::string_view text) {
  if (text == "infinity") return infinity();
  if (text == "-infinity") return minus_infinity();
  adapt_internal::Scanner s(text);
  int64_t year;
  uint32_t month, day;
  if (!adapt_internal::scan_date(s, year, month, day)) {
    adapt_internal::throw_bad_datetime("date", text, "YYYY-MM-DD");
  }
  const bool bc = s.literal(" BC");
  if (!s.at_end() || year == 0) adapt_internal::throw_bad_datetime("date", text, "YYYY-MM-DD");
  year = adapt_internal::astronomical_year(year, bc);
  if (!adapt_internal::valid_day(year, month, day)) {
    adapt_internal::throw_invalid("date", Format::kText, text, "no such day");
  }
  const int64_t days = adapt_internal::days_from_civil(year, month, day);
  if (days < kMinDays || days > kMaxDays) {
    adapt_internal::throw_invalid("date", Format::kText, text, "out of range");
  }
  return Date(static_cast<int32_t>(days));
}

YearMonthDay Date::ymd() const {
  if (!is_finite()) throw DataError("an infinite date has no year, month and day");
  return adapt_internal::civil_from_days(days_);
}

std::chrono::sys_days Date::to_sys_days() const {
  if (!is_finite()) {
    adapt_internal::throw_infinite("date", "std::chrono::sys_days", "pgcpp::Date");
  }
  return std::chrono::sys_days(std::chrono::days(days_ + adapt_internal::kUnixToPostgresDays));
}

std::string Date::to_string() const {
  if (is_infinity()) return "infinity";
  if (is_minus_infinity()) return "-infinity";
  std::string out;
  const YearMonthDay d = ymd();
  adapt_internal::append_ymd(out, d);
  if (d.year <= 0) out.append(" BC");
  return out;
}

// ---- time ----------------------------------------------------------------------------

Time Time::from_micros(int64_t micros) {
  if (micros < 0 || micros > kMaxMicros) {
    throw DataError(absl::StrCat("time ", micros, "us is out of range [00:00:00, 24:00:00]"));
  }
  return Time(micros);
}

Time Time::from_hms(uint32_t hour, uint32_t minute, uint32_t second, uint32_t micros) {
  if (minute > 59 || second > 59 || micros > 999999) {
    throw DataError(absl::StrCat("invalid time ", hour, ":", minute, ":", second, ".", micros));
  }
  return from_micros(((static_cast<int64_t>(hour) * 60 + minute) * 60 + second) *
                         adapt_internal::kMicrosPerSecond +
                     micros);
}

Time Time::parse(std::string_view text) {
  adapt_internal::Scanner s(text);
  int64_t micros;
  if (!adapt_internal::scan_time(s, micros) || !s.at_end()) {
    adapt_internal::throw_bad_datetime("time", text, "HH:MM:SS[.ffffff]");
  }
  return Time(micros);
}

std::string Time::to_string() const {
  std::string out;
  adapt_internal::append_hms(out, static_cast<uint64_t>(micros_));
  return out;
}

TimeTz TimeTz::from(Time time, int32_t offset) {
  if (offset < -kMaxOffsetSeconds || offset > kMaxOffsetSeconds) {
    throw DataError(absl::StrCat("time zone offset ", offset, "s is out of range (±15:59:59)"));
  }
  TimeTz v;
  v.time_ = time;
  v.offset_ = offset;
  return v;
}

TimeTz TimeTz::parse(std::string_view text) {
  adapt_internal::Scanner s(text);
  int64_t micros;
  int32_t offset;
  if (!adapt_internal::scan_time(s, micros) || !adapt_internal::scan_offset(s, offset) ||
      !s.at_end()) {
    adapt_internal::throw_bad_datetime("timetz", text, "HH:MM:SS[.ffffff]+HH[:MM[:SS]]");
  }
  return from(Time::from_micros(micros), offset);
}

std::string TimeTz::to_string() const {
  std::string out = time_.to_string();
  adapt_internal::append_offset(out, offset_);
  return out;
}

namespace adapt_internal {

Time load_time(std::string_view data, Format f, Oid oid, std::string_view cpp_type) {
  if (!checked_binary(data, f, oid, oids::kTime, 8, cpp_type)) return Time::parse(data);
  return Time::from_micros(load_be<int64_t>(data.data()));
}

void dump_time(Time v, Format f, std::string& out) {
  if (f == Format::kBinary) {
    append_be<int64_t>(out, v.micros());
  } else {
    append_hms(out, static_cast<uint64_t>(v.micros()));
  }
}

TimeTz load_timetz(std::string_view data, Format f, Oid oid, std::string_view cpp_type) {
  if (!checked_binary(data, f, oid, oids::kTimetz, 12, cpp_type)) {
    return TimeTz::parse(data);
  }
  // The wire has seconds *west* of UTC.
  return TimeTz::from(Time::from_micros(load_be<int64_t>(data.data())),
                      -load_be<int32_t>(data.data() + 8));
}

void dump_timetz(const TimeTz& v, Format f, std::string& out) {
  if (f == Format::kBinary) {
    append_be<int64_t>(out, v.time().micros());
    append_be<int32_t>(out, -v.utc_offset());
  } else {
    out.append(v.to_string());
  }
}

// ---- timestamp -----------------------------------------------------------------------

namespace {

int64_t parse_timestamp(std::string_view text, bool with_tz) {
  const std::string_view type = with_tz ? "timestamptz" : "timestamp";
  if (text == "infinity") return std::numeric_limits<int64_t>::max();
  if (text == "-infinity") return std::numeric_limits<int64_t>::min();
  const std::string_view expected = with_tz ? "YYYY-MM-DD HH:MM:SS[.ffffff]+HH[:MM[:SS]][ BC]"
                                            : "YYYY-MM-DD HH:MM:SS[.ffffff][ BC]";
  Scanner s(text);
  int64_t year, micros;
  uint32_t month, day;
  int32_t offset = 0;
  if (!scan_date(s, year, month, day) || !s.literal(' ') || !scan_time(s, micros) ||
      (with_tz && !scan_offset(s, offset))) {
    throw_bad_datetime(type, text, expected);
  }
  const bool bc = s.literal(" BC");
  if (!s.at_end() || year == 0) throw_bad_datetime(type, text, expected);
  year = astronomical_year(year, bc);
  if (!valid_day(year, month, day)) throw_invalid(type, Format::kText, text, "no such day");
  const int64_t days = days_from_civil(year, month, day);
  // Cannot overflow: |days| < 2^32 and micros <= 1 day.
  const int64_t local = days * kMicrosPerDay + micros;
  const int64_t utc = local - static_cast<int64_t>(offset) * kMicrosPerSecond;
  if (utc < Timestamp::kMinMicros || utc > Timestamp::kMaxMicros) {
    throw_invalid(type, Format::kText, text, "out of range");
  }
  return utc;
}

}  // namespace

int64_t load_timestamp(std::string_view data, Format f, Oid oid, bool with_tz,
                       std::string_view cpp_type) {
  if (!checked_binary(data, f, oid, with_tz ? oids::kTimestamptz : oids::kTimestamp, 8, cpp_type)) {
    return parse_timestamp(data, with_tz);
  }
  return Timestamp::from_micros(load_be<int64_t>(data.data())).micros();
}

void dump_timestamp(int64_t micros, Format f, bool with_tz, std::string& out) {
  if (f == Format::kBinary) {
    append_be<int64_t>(out, micros);
    return;
  }
  if (micros == std::numeric_limits<int64_t>::max()) {
    out.append("infinity");
    return;
  }
  if (micros == std::numeric_limits<int64_t>::min()) {
    out.append("-infinity");
    return;
  }
  const int64_t days = floor_div(micros, kMicrosPerDay);
  const int64_t time = micros - days * kMicrosPerDay;
  const YearMonthDay ymd = civil_from_days(days);
  append_ymd(out, ymd);
  out.push_back(' ');
  append_hms(out, static_cast<uint64_t>(time));
  if (with_tz) out.append("+00");
  if (ymd.year <= 0) out.append(" BC");
}

}  // namespace adapt_internal

template <bool kWithTimeZone>
BasicTimestamp<kWithTimeZone> BasicTimestamp<kWithTimeZone>::from(Date date, Time time) {
  if (!date.is_finite()) return date.is_infinity() ? infinity() : minus_infinity();
  return from_micros(static_cast<int64_t>(date.days()) * adapt_internal::kMicrosPerDay +
                     time.micros());
}

template <bool kWithTimeZone>
BasicTimestamp<kWithTimeZone> BasicTimestamp<kWithTimeZone>::parse(std::string_view text) {
  return BasicTimestamp(adapt_internal::parse_timestamp(text, kWithTimeZone));
}

template <bool kWithTimeZone>
Date BasicTimestamp<kWithTimeZone>::date() const {
  if (!is_finite()) return is_infinity() ? Date::infinity() : Date::minus_infinity();
  return Date::from_days(
      static_cast<int32_t>(adapt_internal::floor_div(micros_, adapt_internal::kMicrosPerDay)));
}

template <bool kWithTimeZone>
Time BasicTimestamp<kWithTimeZone>::time() const {
  if (!is_finite()) throw DataError("an infinite timestamp has no time of day");
  return Time::from_micros(micros_ -
                           adapt_internal::floor_div(micros_, adapt_internal::kMicrosPerDay) *
                               adapt_internal::kMicrosPerDay);
}

template <bool kWithTimeZone>
std::string BasicTimestamp<kWithTimeZone>::to_string() const {
  std::string out;
  adapt_internal::dump_timestamp(micros_, Format::kText, kWithTimeZone, out);
  return out;
}

template <bool kWithTimeZone>
BasicTimestamp<kWithTimeZone> BasicTimestamp<kWithTimeZone>::from_local_time(
    std::chrono::local_time<std::chrono::microseconds> t) requires(!kWithTimeZone) {
  using Sys = Codec<std::chrono::sys_time<std::chrono::microseconds>>;
  return from_micros(Sys::to_pg_micros(t.time_since_epoch()));
}

template <bool kWithTimeZone>
std::chrono::local_time<std::chrono::microseconds> BasicTimestamp<kWithTimeZone>::to_local_time()
    const requires(!kWithTimeZone) {
  if (!is_finite()) {
    adapt_internal::throw_infinite("timestamp", "std::chrono::local_time", "pgcpp::Timestamp");
  }
  return std::chrono::local_time<std::chrono::microseconds>(
      std::chrono::microseconds(micros_ + adapt_internal::kUnixToPostgresMicros));
}

template <bool kWithTimeZone>
BasicTimestamp<kWithTimeZone> BasicTimestamp<kWithTimeZone>::from_sys_time(
    std::chrono::sys_time<std::chrono::microseconds> t) requires(kWithTimeZone) {
  return from_micros(
      Codec<std::chrono::sys_time<std::chrono::microseconds>>::to_pg_micros(t.time_since_epoch()));
}

template <bool kWithTimeZone>
std::chrono::sys_time<std::chrono::microseconds> BasicTimestamp<kWithTimeZone>::to_sys_time() const
    requires(kWithTimeZone) {
  if (!is_finite()) {
    adapt_internal::throw_infinite("timestamptz", "std::chrono::sys_time", "pgcpp::TimestampTz");
  }
  return std::chrono::sys_time<std::chrono::microseconds>(
      std::chrono::microseconds(micros_ + adapt_internal::kUnixToPostgresMicros));
}

template class BasicTimestamp<false>;
template class BasicTimestamp<true>;

// ---- interval ------------------------------------------------------------------------

namespace {

[[noreturn]] void throw_bad_interval(std::string_view text, std::string_view why) {
  adapt_internal::throw_invalid("interval", Format::kText, text,
                                absl::StrCat(std::string(why),
                                             " (pgcpp reads IntervalStyle postgres, e.g. "
                                             "'1 year 2 mons -3 days +04:05:06.5')"));
}

}  // namespace

Interval Interval::parse(std::string_view text) {
  int64_t months = 0, days = 0, micros = 0;
  bool any = false;
  size_t i = 0;
  auto skip_spaces = [&] {
    while (i < text.size() && text[i] == ' ') ++i;
  };
  skip_spaces();
  while (i < text.size()) {
    const size_t start = i;
    bool negative = false;
    if (text[i] == '+' || text[i] == '-') negative = text[i++] == '-';
    size_t end = i;
    while (end < text.size() && text[end] != ' ') ++end;
    const std::string_view token = text.substr(i, end - i);
    if (token.find(':') != std::string_view::npos) {
      // [+-]H+:MM:SS[.ffffff]
      adapt_internal::Scanner s(token);
      int64_t h, m, sec, frac;
      if (!s.digits(1, 10, h) || !s.literal(':') || !s.digits(2, 2, m) || !s.literal(':') ||
          !s.digits(2, 2, sec) || !s.fraction(frac) || !s.at_end() || m > 59 || sec > 59) {
        throw_bad_interval(text, absl::StrCat("bad time field at position ", start));
      }
      int64_t t;
      if (__builtin_mul_overflow(h, int64_t{3600} * adapt_internal::kMicrosPerSecond, &t) ||
          __builtin_add_overflow(t, (m * 60 + sec) * adapt_internal::kMicrosPerSecond + frac, &t) ||
          __builtin_add_overflow(micros, negative ? -t : t, &micros)) {
        throw_bad_interval(text, "time out of range");
      }
      i = end;
    } else {
      int64_t value = 0;
      if (!adapt_internal::parse_int64(token, value)) {
        throw_bad_interval(text, absl::StrCat("unexpected token at position ", start));
      }
      if (negative) value = -value;
      i = end;
      skip_spaces();
      size_t unit_end = i;
      while (unit_end < text.size() && text[unit_end] != ' ') ++unit_end;
      const std::string_view unit = text.substr(i, unit_end - i);
      int64_t* field;
      int64_t factor = 1;
      if (unit == "year" || unit == "years") {
        field = &months;
        factor = 12;
      } else if (unit == "mon" || unit == "mons") {
        field = &months;
      } else if (unit == "day" || unit == "days") {
        field = &days;
      } else {
        throw_bad_interval(text, absl::StrCat("unknown unit at position ", i));
      }
      if (__builtin_mul_overflow(value, factor, &value) ||
          __builtin_add_overflow(*field, value, field)) {
        throw_bad_interval(text, "field out of range");
      }
      i = unit_end;
    }
    any = true;
    skip_spaces();
  }
  if (!any) throw_bad_interval(text, "empty");
  if (!std::in_range<int32_t>(months) || !std::in_range<int32_t>(days)) {
    throw_bad_interval(text, "field out of range");
  }
  return Interval(static_cast<int32_t>(months), static_cast<int32_t>(days), micros);
}

std::chrono::microseconds Interval::to_duration() const {
  const int64_t years = months_ / 12;
  const int64_t rest = months_ % 12;
  const int64_t total_days = years * 365 + rest * 30 + days_;
  int64_t out;
  if (__builtin_mul_overflow(total_days, adapt_internal::kMicrosPerDay, &out) ||
      __builtin_add_overflow(out, micros_, &out)) {
    throw DataError(
        absl::StrCat("interval '", to_string(), "' does not fit in std::chrono::microseconds"));
  }
  return std::chrono::microseconds(out);
}

std::string Interval::to_string() const {
  // PostgreSQL's IntervalStyle postgres output.
  std::string out;
  bool is_before = false;
  bool is_zero = true;
  auto field = [&](int64_t value, std::string_view unit) {
    if (value == 0) return;
    if (!is_zero) out.push_back(' ');
    if (is_before && value > 0) out.push_back('+');
    absl::StrAppend(&out, value, " ", std::string(unit), value != 1 ? "s" : "");
    is_before = value < 0;
    is_zero = false;
  };
  field(months_ / 12, "year");
  field(months_ % 12, "mon");
  field(days_, "day");
  if (is_zero || micros_ != 0) {
    if (!is_zero) out.push_back(' ');
    const bool minus = micros_ < 0;
    if (minus) {
      out.push_back('-');
    } else if (is_before) {
      out.push_back('+');
    }
    const uint64_t abs =
        minus ? 0 - static_cast<uint64_t>(micros_) : static_cast<uint64_t>(micros_);
    adapt_internal::append_hms(out, abs);
  }
  return out;
}

namespace adapt_internal {

Interval load_interval(std::string_view data, Format f, Oid oid, std::string_view cpp_type) {
  if (!checked_binary(data, f, oid, oids::kInterval, 16, cpp_type)) {
    return Interval::parse(data);
  }
  return Interval(load_be<int32_t>(data.data() + 12), load_be<int32_t>(data.data() + 8),
                  load_be<int64_t>(data.data()));
}

void dump_interval(const Interval& v, Format f, std::string& out) {
  if (f == Format::kBinary) {
    append_be<int64_t>(out, v.micros());
    append_be<int32_t>(out, v.days());
    append_be<int32_t>(out, v.months());
    return;
  }
  // Every field carries its own sign, so the text means the same under any IntervalStyle.
  absl::StrAppend(&out, v.months() >= 0 ? "+" : "", v.months(), " mons ", v.days() >= 0 ? "+" : "",
                  v.days(), " days ");
  const bool minus = v.micros() < 0;
  out.push_back(minus ? '-' : '+');
  append_hms(out,
             minus ? 0 - static_cast<uint64_t>(v.micros()) : static_cast<uint64_t>(v.micros()));
}

}  // namespace adapt_internal

void Codec<std::chrono::year_month_day>::dump(std::chrono::year_month_day v, Format f,
                                              std::string& out) {
  if (!v.ok()) throw DataError("invalid std::chrono::year_month_day");
  adapt_internal::dump_date(
      Date::from_ymd(static_cast<int>(v.year()), static_cast<unsigned>(v.month()),
                     static_cast<unsigned>(v.day())),
      f, out);
}

std::chrono::year_month_day Codec<std::chrono::year_month_day>::load(std::string_view data,
                                                                     Format f, Oid oid) {
  const Date d = adapt_internal::load_date(data, f, oid, name());
  if (!d.is_finite()) adapt_internal::throw_infinite("date", name(), "pgcpp::Date");
  const YearMonthDay ymd = d.ymd();
  if (ymd.year < static_cast<int>(std::chrono::year::min()) ||
      ymd.year > static_cast<int>(std::chrono::year::max())) {
    adapt_internal::throw_chrono_range(d.to_string(), name());
  }
  return std::chrono::year_month_day(std::chrono::year(ymd.year), std::chrono::month(ymd.month),
                                     std::chrono::day(ymd.day));
}

}  // namespace pgcpp
