// Date and time: PostgreSQL's date/time types, their std::chrono equivalents, and codecs.
//
// PostgreSQL counts from 2000-01-01 in days (date) or microseconds (the rest), spans
// 4714-11-24 BC to 5874897 AD (date) / 294276 AD (timestamps), and has ±infinity. The
// types below hold exactly that, so every value the server can send loads:
//
//   pgcpp::Date            days since 2000-01-01, or ±infinity
//   pgcpp::Time            microseconds since midnight, 00:00:00 to 24:00:00
//   pgcpp::TimeTz          a Time plus a UTC offset in seconds (east positive)
//   pgcpp::Timestamp       microseconds since 2000-01-01 00:00 (no time zone), or ±infinity
//   pgcpp::TimestampTz     microseconds since 2000-01-01 00:00 UTC, or ±infinity
//   pgcpp::Interval        months, days and microseconds, kept apart as PostgreSQL does
//
// Years use astronomical numbering: year 0 is 1 BC, year -1 is 2 BC (as std::chrono::year).
//
// std::chrono types work too, in both directions:
//   std::chrono::sys_days, year_month_day, local_days   <-> date
//   std::chrono::sys_time<D> (e.g. system_clock::time_point) <-> timestamptz (a UTC point)
//   std::chrono::local_time<D>                          <-> timestamp
//   std::chrono::duration<R, P>                         <-> interval (loads time too)
// Loading infinity, or a value outside the chrono type's range, into one of them raises
// DataError naming the pgcpp type that can hold it. Sub-microsecond time points are
// rounded to the nearest microsecond when sent, as PostgreSQL rounds extra digits.
//
// Text format: values are read in DateStyle ISO and IntervalStyle postgres (what //core
// sets); anything else raises DataError saying which setting is needed. timestamptz text
// carries the session's offset; the loaded value is the UTC instant.
//
//   auto ts = row.get<pgcpp::TimestampTz>(0);
//   if (ts.is_finite()) std::chrono::sys_time<std::chrono::microseconds> t = ts.to_sys_time();
//   conn.execute("INSERT INTO ev (at) VALUES (%s)", std::chrono::system_clock::now());
#ifndef PGCPP_ADAPT_DATETIME_H_
#define PGCPP_ADAPT_DATETIME_H_

#include <chrono>
#include <compare>
#include <cstdint>
#include <limits>
#include <ratio>
#include <string>
#include <string_view>
#include <type_traits>

#include "pgcpp/adapt/codec.h"
#include "pgcpp/adapt/oid.h"
#include "pgcpp/adapt/wire.h"

namespace pgcpp {

struct YearMonthDay {
  int32_t year;  // astronomical: 0 = 1 BC
  uint32_t month;
  uint32_t day;
  friend bool operator==(const YearMonthDay&, const YearMonthDay&) = default;
};

namespace adapt_internal {
inline constexpr int64_t kMicrosPerSecond = 1000000;
inline constexpr int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;
// Days from 1970-01-01 (std::chrono's epoch) to 2000-01-01 (PostgreSQL's).
inline constexpr int32_t kUnixToPostgresDays = 10957;
inline constexpr int64_t kUnixToPostgresMicros = kUnixToPostgresDays * kMicrosPerDay;

int64_t days_from_civil(int64_t year, uint32_t month, uint32_t day);  // 2000-01-01 = 0
YearMonthDay civil_from_days(int64_t days);
[[noreturn]] void throw_infinite(std::string_view pg_type, std::string_view cpp_type,
                                 std::string_view holder);
[[noreturn]] void throw_chrono_range(std::string_view pg_value, std::string_view cpp_type);
[[noreturn]] void throw_timestamp_range(int64_t micros);
}  // namespace adapt_internal

class Date {
 public:
  // PostgreSQL's range, in days since 2000-01-01: 4714-11-24 BC to 5874897-12-31.
  static constexpr int32_t kMinDays = -2451545;
  static constexpr int32_t kMaxDays = 2145031948;

  constexpr Date() = default;  // 2000-01-01
  // Raises DataError for a day outside PostgreSQL's range (the infinities are separate).
  static Date from_days(int32_t days_since_2000);
  static Date from_ymd(int32_t year, uint32_t month, uint32_t day);
  static Date from_sys_days(std::chrono::sys_days d);
  static constexpr Date infinity() { return Date(std::numeric_limits<int32_t>::max()); }
  static constexpr Date minus_infinity() { return Date(std::numeric_limits<int32_t>::min()); }
  // Parses the ISO text form ("2024-02-29", "0044-03-15 BC", "infinity").
  static Date parse(std::string_view text);

  constexpr bool is_infinity() const { return days_ == std::numeric_limits<int32_t>::max(); }
  constexpr bool is_minus_infinity() const { return days_ == std::numeric_limits<int32_t>::min(); }
  constexpr bool is_finite() const { return !is_infinity() && !is_minus_infinity(); }
  constexpr int32_t days() const { return days_; }  // since 2000-01-01
  YearMonthDay ymd() const;                         // finite dates only
  // DataError for ±infinity.
  std::chrono::sys_days to_sys_days() const;
  std::string to_string() const;

  friend constexpr auto operator<=>(const Date&, const Date&) = default;

 private:
  explicit constexpr Date(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

class Time {
 public:
  static constexpr int64_t kMaxMicros = adapt_internal::kMicrosPerDay;  // 24:00:00

  constexpr Time() = default;  // midnight
  // Raises DataError outside [00:00:00, 24:00:00].
  static Time from_micros(int64_t micros_since_midnight);
  static Time from_hms(uint32_t hour, uint32_t minute, uint32_t second, uint32_t micros = 0);
  static Time parse(std::string_view text);  // "13:45:00.25"

  constexpr int64_t micros() const { return micros_; }
  std::chrono::microseconds to_duration() const { return std::chrono::microseconds(micros_); }
  std::string to_string() const;

  friend constexpr auto operator<=>(const Time&, const Time&) = default;

 private:
  explicit constexpr Time(int64_t micros) : micros_(micros) {}
  int64_t micros_ = 0;
};

class TimeTz {
 public:
  // PostgreSQL accepts offsets up to 15:59:59 either way.
  static constexpr int32_t kMaxOffsetSeconds = 15 * 3600 + 59 * 60 + 59;

  constexpr TimeTz() = default;
  // `utc_offset_seconds` is east of Greenwich (+05:30 is 19800).
  static TimeTz from(Time time, int32_t utc_offset_seconds);
  static TimeTz parse(std::string_view text);  // "13:45:00+05:30"

  constexpr Time time() const { return time_; }
  constexpr int32_t utc_offset() const { return offset_; }
  std::string to_string() const;

  friend constexpr bool operator==(const TimeTz&, const TimeTz&) = default;

 private:
  Time time_;
  int32_t offset_ = 0;
};

// A timestamp without time zone (Timestamp) or an instant (TimestampTz): microseconds
// since 2000-01-01 00:00 (UTC for TimestampTz), or ±infinity.
template <class T, bool kWithTimeZone>
struct TimestampCodec;

template <bool kWithTimeZone>
class BasicTimestamp {
 public:
  // PostgreSQL's range: 4714-11-24 00:00 BC to 294276-12-31 23:59:59.999999.
  static constexpr int64_t kMinMicros = -211813488000000000;
  static constexpr int64_t kMaxMicros = 9223371331199999999;

  constexpr BasicTimestamp() = default;  // 2000-01-01 00:00
  // Raises DataError outside PostgreSQL's range (the infinities' values are accepted).
  static BasicTimestamp from_micros(int64_t micros_since_2000) {
    if (!is_valid(micros_since_2000)) [[unlikely]]
      adapt_internal::throw_timestamp_range(micros_since_2000);
    return BasicTimestamp(micros_since_2000);
  }
  // Whether from_micros accepts `micros` (one comparison for finite values).
  static constexpr bool is_valid(int64_t micros) {
    return static_cast<uint64_t>(micros) - static_cast<uint64_t>(kMinMicros) <=
               static_cast<uint64_t>(kMaxMicros) - static_cast<uint64_t>(kMinMicros) ||
           micros == std::numeric_limits<int64_t>::max() ||
           micros == std::numeric_limits<int64_t>::min();
  }
  static BasicTimestamp from(Date date, Time time);
  static constexpr BasicTimestamp infinity() {
    return BasicTimestamp(std::numeric_limits<int64_t>::max());
  }
  static constexpr BasicTimestamp minus_infinity() {
    return BasicTimestamp(std::numeric_limits<int64_t>::min());
  }
  // ISO text: "2024-01-31 12:00:00.5" (Timestamp), "2024-01-31 12:00:00.5+01" (TimestampTz,
  // any offset; the result is the UTC instant), "infinity", "-infinity".
  static BasicTimestamp parse(std::string_view text);

  constexpr bool is_infinity() const { return micros_ == std::numeric_limits<int64_t>::max(); }
  constexpr bool is_minus_infinity() const {
    return micros_ == std::numeric_limits<int64_t>::min();
  }
  constexpr bool is_finite() const { return !is_infinity() && !is_minus_infinity(); }
  constexpr int64_t micros() const { return micros_; }  // since 2000-01-01
  Date date() const;                                    // finite values only
  Time time() const;
  // Text form; a TimestampTz is written in UTC ("...+00").
  std::string to_string() const;

  // Timestamp <-> std::chrono::local_time; DataError for ±infinity.
  static BasicTimestamp from_local_time(
      std::chrono::local_time<std::chrono::microseconds> t) requires(!kWithTimeZone);
  std::chrono::local_time<std::chrono::microseconds> to_local_time() const requires(!kWithTimeZone);
  // TimestampTz <-> std::chrono::sys_time (UTC); DataError for ±infinity.
  static BasicTimestamp from_sys_time(std::chrono::sys_time<std::chrono::microseconds> t) requires(
      kWithTimeZone);
  std::chrono::sys_time<std::chrono::microseconds> to_sys_time() const requires(kWithTimeZone);

  friend constexpr auto operator<=>(const BasicTimestamp&, const BasicTimestamp&) = default;

 private:
  template <class, bool>
  friend struct TimestampCodec;  // builds values it has checked with is_valid
  explicit constexpr BasicTimestamp(int64_t micros) : micros_(micros) {}
  int64_t micros_ = 0;
};

using Timestamp = BasicTimestamp<false>;
using TimestampTz = BasicTimestamp<true>;

class Interval {
 public:
  constexpr Interval() = default;
  constexpr Interval(int32_t months, int32_t days, int64_t micros)
      : months_(months), days_(days), micros_(micros) {}
  // Exact: whole days of `d` are not moved into the days field (as PostgreSQL does for
  // interval arithmetic with durations).
  static Interval from_duration(std::chrono::microseconds d) { return Interval(0, 0, d.count()); }
  // Parses IntervalStyle postgres text ("1 year 2 mons -3 days +04:05:06.5").
  static Interval parse(std::string_view text);

  constexpr int32_t months() const { return months_; }
  constexpr int32_t days() const { return days_; }
  constexpr int64_t micros() const { return micros_; }
  // The length counting a month as 30 days and a year as 365 days (psycopg's rule).
  // DataError if it does not fit in int64 microseconds.
  std::chrono::microseconds to_duration() const;
  std::string to_string() const;  // postgres style, as the server prints it

  friend constexpr bool operator==(const Interval&, const Interval&) = default;

 private:
  int32_t months_ = 0;
  int32_t days_ = 0;
  int64_t micros_ = 0;
};

namespace adapt_internal {

// Text/binary codec bodies, shared by the pgcpp and std::chrono codecs.
Date load_date(std::string_view data, Format f, Oid oid, std::string_view cpp_type);
void dump_date(Date v, Format f, std::string& out);
Time load_time(std::string_view data, Format f, Oid oid, std::string_view cpp_type);
void dump_time(Time v, Format f, std::string& out);
TimeTz load_timetz(std::string_view data, Format f, Oid oid, std::string_view cpp_type);
void dump_timetz(const TimeTz& v, Format f, std::string& out);
int64_t load_timestamp(std::string_view data, Format f, Oid oid, bool with_tz,
                       std::string_view cpp_type);
void dump_timestamp(int64_t micros, Format f, bool with_tz, std::string& out);
Interval load_interval(std::string_view data, Format f, Oid oid, std::string_view cpp_type);
void dump_interval(const Interval& v, Format f, std::string& out);

// Converts microseconds since the Unix epoch to Duration ticks, exactly or DataError.
template <class Duration>
Duration micros_to_duration(int64_t micros, std::string_view pg_value_for_errors,
                            std::string_view cpp_type);
}  // namespace adapt_internal

template <>
struct Codec<Date> {
  static constexpr std::string_view name() { return "pgcpp::Date"; }
  static constexpr Format kAutoFormat = Format::kBinary;
  static constexpr Oid oid(Format) { return oids::kDate; }
  static void dump(Date v, Format f, std::string& out) { adapt_internal::dump_date(v, f, out); }
  static constexpr uint8_t kFixedKind = 1;
  static constexpr int32_t kFixedSize = 4;
  // kind: 1 binary date.
  static constexpr uint8_t fast_kind(Format f, Oid oid) noexcept {
    return f == Format::kBinary && oid == oids::kDate ? 1 : 0;
  }
  PGCPP_ALWAYS_INLINE static bool load_fast(uint8_t kind, std::string_view data,
                                            Date& out) noexcept {
    if (kind != 1 || data.size() != 4) return false;
    const auto days = adapt_internal::load_be<int32_t>(data.data());
    if (days == std::numeric_limits<int32_t>::max()) {
      out = Date::infinity();
    } else if (days == std::numeric_limits<int32_t>::min()) {
      out = Date::minus_infinity();
    } else if (days >= Date::kMinDays && days <= Date::kMaxDays) {
      out = Date::from_days(days);
    } else {
      return false;
    }
    return true;
  }
  static Date load(std::string_view data, Format f, Oid oid) {
    return adapt_internal::load_date(data, f, oid, name());
  }
};

template <>
struct Codec<Time> {
  static constexpr std::string_view name() { return "pgcpp::Time"; }
  static constexpr Format kAutoFormat = Format::kBinary;
  static constexpr Oid oid(Format) { return oids::kTime; }
  static void dump(Time v, Format f, std::string& out) { adapt_internal::dump_time(v, f, out); }
  static Time load(std::string_view data, Format f, Oid oid) {
    return adapt_internal::load_time(data, f, oid, name());
  }
};

template <>
struct Codec<TimeTz> {
  static constexpr std::string_view name() { return "pgcpp::TimeTz"; }
  static constexpr Format kAutoFormat = Format::kBinary;
  static constexpr Oid oid(Format) { return oids::kTimetz; }
  static void dump(const TimeTz& v, Format f, std::string& out) {
    adapt_internal::dump_timetz(v, f, out);
  }
  static TimeTz load(std::string_view data, Format f, Oid oid) {
    return adapt_internal::load_timetz(data, f, oid, name());
  }
};

template <class T, bool kWithTimeZone>
struct TimestampCodec {
  static constexpr Format kAutoFormat = Format::kBinary;
  static constexpr Oid oid(Format) { return kWithTimeZone ? oids::kTimestamptz : oids::kTimestamp; }
  static constexpr uint8_t kFixedKind = 1;
  static constexpr int32_t kFixedSize = 8;
  // kind: 1 binary timestamp(tz).
  static constexpr uint8_t fast_kind(Format f, Oid oid) noexcept {
    return f == Format::kBinary && oid == (kWithTimeZone ? oids::kTimestamptz : oids::kTimestamp)
               ? 1
               : 0;
  }
  PGCPP_ALWAYS_INLINE static bool load_fast(uint8_t kind, std::string_view data, T& out) noexcept {
    if (kind != 1 || data.size() != 8) return false;
    const auto v = adapt_internal::load_be<int64_t>(data.data());
    if (!T::is_valid(v)) return false;
    out = T(v);  // is_valid above: from_micros would check again
    return true;
  }
};

template <>
struct Codec<Timestamp> : TimestampCodec<Timestamp, false> {
  static constexpr std::string_view name() { return "pgcpp::Timestamp"; }
  static void dump(const Timestamp& v, Format f, std::string& out) {
    adapt_internal::dump_timestamp(v.micros(), f, false, out);
  }
  static Timestamp load(std::string_view data, Format f, Oid oid) {
    return Timestamp::from_micros(adapt_internal::load_timestamp(data, f, oid, false, name()));
  }
};

template <>
struct Codec<TimestampTz> : TimestampCodec<TimestampTz, true> {
  static constexpr std::string_view name() { return "pgcpp::TimestampTz"; }
  static void dump(const TimestampTz& v, Format f, std::string& out) {
    adapt_internal::dump_timestamp(v.micros(), f, true, out);
  }
  static TimestampTz load(std::string_view data, Format f, Oid oid) {
    return TimestampTz::from_micros(adapt_internal::load_timestamp(data, f, oid, true, name()));
  }
};

template <>
struct Codec<Interval> {
  static constexpr std::string_view name() { return "pgcpp::Interval"; }
  static constexpr Format kAutoFormat = Format::kBinary;
  static constexpr Oid oid(Format) { return oids::kInterval; }
  static void dump(const Interval& v, Format f, std::string& out) {
    adapt_internal::dump_interval(v, f, out);
  }
  static Interval load(std::string_view data, Format f, Oid oid) {
    return adapt_internal::load_interval(data, f, oid, name());
  }
};

// ---- std::chrono ---------------------------------------------------------------------

template <>
struct Codec<std::chrono::sys_days> {
  static constexpr std::string_view name() { return "std::chrono::sys_days"; }
  static constexpr Format kAutoFormat = Format::kBinary;
  static constexpr Oid oid(Format) { return oids::kDate; }
  static void dump(std::chrono::sys_days v, Format f, std::string& out) {
    adapt_internal::dump_date(Date::from_sys_days(v), f, out);
  }
  static std::chrono::sys_days load(std::string_view data, Format f, Oid oid) {
    const Date d = adapt_internal::load_date(data, f, oid, name());
    if (!d.is_finite()) adapt_internal::throw_infinite("date", name(), "pgcpp::Date");
    return d.to_sys_days();
  }
};

template <>
struct Codec<std::chrono::local_days> {
  static constexpr std::string_view name() { return "std::chrono::local_days"; }
  static constexpr Format kAutoFormat = Format::kBinary;
  static constexpr Oid oid(Format) { return oids::kDate; }
  static void dump(std::chrono::local_days v, Format f, std::string& out) {
    Codec<std::chrono::sys_days>::dump(std::chrono::sys_days(v.time_since_epoch()), f, out);
  }
  static std::chrono::local_days load(std::string_view data, Format f, Oid oid) {
    const Date d = adapt_internal::load_date(data, f, oid, name());
    if (!d.is_finite()) adapt_internal::throw_infinite("date", name(), "pgcpp::Date");
    return std::chrono::local_days(d.to_sys_days().time_since_epoch());
  }
};

template <>
struct Codec<std::chrono::year_month_day> {
  static constexpr std::string_view name() { return "std::chrono::year_month_day"; }
  static constexpr Format kAutoFormat = Format::kBinary;
  static constexpr Oid oid(Format) { return oids::kDate; }
  static void dump(std::chrono::year_month_day v, Format f, std::string& out);
  static std::chrono::year_month_day load(std::string_view data, Format f, Oid oid);
};

template <class Duration>
struct Codec<std::chrono::time_point<std::chrono::system_clock, Duration>,
             std::enable_if_t<!std::is_same_v<Duration, std::chrono::days>>> {
  using TimePoint = std::chrono::time_point<std::chrono::system_clock, Duration>;
  static constexpr std::string_view name() { return "std::chrono::sys_time"; }
  static constexpr Format kAutoFormat = Format::kBinary;
  static constexpr Oid oid(Format) { return oids::kTimestamptz; }
  static void dump(const TimePoint& v, Format f, std::string& out) {
    adapt_internal::dump_timestamp(to_pg_micros(v.time_since_epoch()), f, true, out);
  }
  static TimePoint load(std::string_view data, Format f, Oid oid) {
    if (oid == oids::kTimestamp) adapt_internal::throw_cannot_load(name(), oid, f);
    const int64_t pg = adapt_internal::load_timestamp(data, f, oid, true, name());
    return TimePoint(from_pg_micros(pg, f == Format::kText ? data : "timestamptz"));
  }
  template <class D>
  static int64_t to_pg_micros(D since_unix_epoch);
  static Duration from_pg_micros(int64_t pg, std::string_view text);
};

template <class Duration>
struct Codec<std::chrono::time_point<std::chrono::local_t, Duration>,
             std::enable_if_t<!std::is_same_v<Duration, std::chrono::days>>> {
  using TimePoint = std::chrono::time_point<std::chrono::local_t, Duration>;
  using Sys = Codec<std::chrono::time_point<std::chrono::system_clock, Duration>>;
  static constexpr std::string_view name() { return "std::chrono::local_time"; }
  static constexpr Format kAutoFormat = Format::kBinary;
  static constexpr Oid oid(Format) { return oids::kTimestamp; }
  static void dump(const TimePoint& v, Format f, std::string& out) {
    adapt_internal::dump_timestamp(Sys::to_pg_micros(v.time_since_epoch()), f, false, out);
  }
  static TimePoint load(std::string_view data, Format f, Oid oid) {
    if (oid == oids::kTimestamptz) adapt_internal::throw_cannot_load(name(), oid, f);
    const int64_t pg = adapt_internal::load_timestamp(data, f, oid, false, name());
    return TimePoint(Sys::from_pg_micros(pg, f == Format::kText ? data : "timestamp"));
  }
};

template <class Rep, class Period>
struct Codec<std::chrono::duration<Rep, Period>> {
  using Duration = std::chrono::duration<Rep, Period>;
  static constexpr std::string_view name() { return "std::chrono::duration"; }
  static constexpr Format kAutoFormat = Format::kBinary;
  static constexpr Oid oid(Format) { return oids::kInterval; }
  static void dump(const Duration& v, Format f, std::string& out) {
    adapt_internal::dump_interval(Interval::from_duration(to_micros(v)), f, out);
  }
  static Duration load(std::string_view data, Format f, Oid oid) {
    if (oid == oids::kTime) {
      return from_micros(adapt_internal::load_time(data, f, oid, name()).micros(), data, f);
    }
    const Interval i = adapt_internal::load_interval(data, f, oid, name());
    return from_micros(i.to_duration().count(), data, f);
  }
  static std::chrono::microseconds to_micros(const Duration& v);
  static Duration from_micros(int64_t micros, std::string_view data, Format f);
};

// ---- template definitions ------------------------------------------------------------

namespace adapt_internal {

template <class Duration>
Duration micros_to_duration(int64_t micros, std::string_view pg_value, std::string_view cpp_type) {
  using std::chrono::microseconds;
  if constexpr (std::is_floating_point_v<typename Duration::rep>) {
    return std::chrono::duration_cast<Duration>(microseconds(micros));
  } else if constexpr (std::ratio_less_equal_v<typename Duration::period, std::micro>) {
    // Finer than a microsecond: exact, but may overflow.
    using Ratio = std::ratio_divide<std::micro, typename Duration::period>;
    static_assert(Ratio::den == 1, "unsupported duration period");
    using Rep = typename Duration::rep;
    Rep out;
    if (__builtin_mul_overflow(micros, static_cast<Rep>(Ratio::num), &out)) {
      throw_chrono_range(pg_value, cpp_type);
    }
    return Duration(out);
  } else {
    // Coarser: only exact multiples convert.
    const auto d = std::chrono::duration_cast<Duration>(microseconds(micros));
    if (std::chrono::duration_cast<microseconds>(d).count() != micros) {
      throw_chrono_range(pg_value, cpp_type);
    }
    return d;
  }
}

// Rounds a duration to microseconds (to nearest, as PostgreSQL rounds), or DataError.
template <class Rep, class Period>
int64_t duration_to_micros(std::chrono::duration<Rep, Period> d) {
  using std::chrono::microseconds;
  if constexpr (std::is_floating_point_v<Rep>) {
    const double v = std::chrono::duration<double, std::micro>(d).count();
    if (!(v > -9.2e18 && v < 9.2e18)) throw_out_of_range(std::to_string(v) + "us", "interval");
    return static_cast<int64_t>(v < 0 ? v - 0.5 : v + 0.5);
  } else if constexpr (std::ratio_less_equal_v<Period, std::micro>) {
    return std::chrono::round<microseconds>(d).count();
  } else {
    using Ratio = std::ratio_divide<Period, std::micro>;
    static_assert(Ratio::den == 1, "unsupported duration period");
    int64_t out;
    if (__builtin_mul_overflow(static_cast<int64_t>(d.count()), static_cast<int64_t>(Ratio::num),
                               &out)) {
      throw_out_of_range(std::to_string(d.count()), "a duration in int64 microseconds");
    }
    return out;
  }
}

}  // namespace adapt_internal

template <class Duration>
template <class D>
int64_t Codec<std::chrono::time_point<std::chrono::system_clock, Duration>,
              std::enable_if_t<!std::is_same_v<Duration, std::chrono::days>>>::
    to_pg_micros(D since_unix_epoch) {
  const int64_t unix_micros = adapt_internal::duration_to_micros(since_unix_epoch);
  int64_t pg;
  if (__builtin_sub_overflow(unix_micros, adapt_internal::kUnixToPostgresMicros, &pg)) {
    adapt_internal::throw_out_of_range(std::to_string(unix_micros) + "us", "timestamp");
  }
  return TimestampTz::from_micros(pg).micros();
}

template <class Duration>
Duration Codec<std::chrono::time_point<std::chrono::system_clock, Duration>,
               std::enable_if_t<!std::is_same_v<Duration, std::chrono::days>>>::
    from_pg_micros(int64_t pg, std::string_view text) {
  if (pg == std::numeric_limits<int64_t>::max() || pg == std::numeric_limits<int64_t>::min()) {
    adapt_internal::throw_infinite("timestamp", "a std::chrono time point",
                                   "pgcpp::Timestamp / pgcpp::TimestampTz");
  }
  return adapt_internal::micros_to_duration<Duration>(pg + adapt_internal::kUnixToPostgresMicros,
                                                      text, "a std::chrono time point");
}

template <class Rep, class Period>
std::chrono::microseconds Codec<std::chrono::duration<Rep, Period>>::to_micros(const Duration& v) {
  return std::chrono::microseconds(adapt_internal::duration_to_micros(v));
}

template <class Rep, class Period>
std::chrono::duration<Rep, Period> Codec<std::chrono::duration<Rep, Period>>::from_micros(
    int64_t micros, std::string_view data, Format f) {
  return adapt_internal::micros_to_duration<Duration>(
      micros, f == Format::kText ? data : std::string_view("interval"), name());
}

}  // namespace pgcpp

#endif  // PGCPP_ADAPT_DATETIME_H_
