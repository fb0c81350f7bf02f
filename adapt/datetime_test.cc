#include "pgcpp/adapt/datetime.h"

#include <chrono>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "pgcpp/adapt/codec_test_util.h"
#include "pgcpp/adapt/numbers.h"

namespace pgcpp::testing {
namespace {

using namespace std::chrono_literals;

TEST(Civil, MatchesStdChrono) {
  std::mt19937 rng(5);
  for (int i = 0; i < 5000; ++i) {
    const int days = static_cast<int>(rng() % 5000000) - 2500000;
    const std::chrono::sys_days sd{std::chrono::days(days + 10957)};
    const std::chrono::year_month_day ymd(sd);
    const YearMonthDay ours = adapt_internal::civil_from_days(days);
    ASSERT_EQ(ours.year, static_cast<int>(ymd.year()));
    ASSERT_EQ(ours.month, static_cast<unsigned>(ymd.month()));
    ASSERT_EQ(ours.day, static_cast<unsigned>(ymd.day()));
    ASSERT_EQ(adapt_internal::days_from_civil(ours.year, ours.month, ours.day), days);
  }
}

TEST(DateCodec, TextForms) {
  EXPECT_EQ(Date().to_string(), "2000-01-01");
  EXPECT_EQ(Date::from_ymd(2024, 2, 29).to_string(), "2024-02-29");
  EXPECT_EQ(Date::from_ymd(0, 1, 1).to_string(), "0001-01-01 BC");
  EXPECT_EQ(Date::from_ymd(-4713, 11, 24).to_string(), "4714-11-24 BC");
  EXPECT_EQ(Date::from_ymd(5874897, 12, 31).to_string(), "5874897-12-31");
  EXPECT_EQ(Date::infinity().to_string(), "infinity");
  EXPECT_EQ(Date::minus_infinity().to_string(), "-infinity");
  EXPECT_EQ(Date::parse("0044-03-15 BC").ymd(), (YearMonthDay{-43, 3, 15}));
  EXPECT_EQ(Date::parse("10000-01-01").ymd(), (YearMonthDay{10000, 1, 1}));
}

TEST(DateCodec, YearLimitsAndInfinityRoundTrip) {
  for (Date d : {Date::from_days(Date::kMinDays), Date::from_days(Date::kMaxDays), Date(),
                 Date::from_ymd(0, 2, 29), Date::infinity(), Date::minus_infinity()}) {
    for (Format f : {Format::kText, Format::kBinary}) EXPECT_EQ(round_trip(d, f), d);
  }
  EXPECT_EQ(Date::from_days(Date::kMinDays).to_string(), "4714-11-24 BC");
  EXPECT_EQ(Date::from_days(Date::kMaxDays).to_string(), "5874897-12-31");
  EXPECT_THROW(Date::from_days(Date::kMaxDays + 1), DataError);
  EXPECT_THROW(Date::from_days(Date::kMinDays - 1), DataError);
  EXPECT_THROW(Date::from_ymd(2023, 2, 29), DataError);
  EXPECT_EQ(dump(Date::infinity(), Format::kBinary), "\x7f\xff\xff\xff");
}

TEST(DateCodec, Malformed) {
  for (const char* bad :
       {"", "2000-1-01", "2000-13-01", "2000-02-30", "01/02/2000", "01.02.2000", "2000-01-01 AD",
        "0000-01-01", "2000-01-01x", "Infinity", "4714-11-23 BC", "5874898-01-01"}) {
    EXPECT_THROW(load_text<Date>(bad, oids::kDate), DataError) << bad;
  }
  try {
    load_text<Date>("01/02/2000", oids::kDate);
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("DateStyle ISO"), std::string::npos);
  }
  EXPECT_THROW(load_binary<Date>("abc", oids::kDate), DataError);
  EXPECT_THROW(load_binary<Date>("\x7f\xff\xff\xfe", oids::kDate), DataError);
  EXPECT_THROW(load_text<Date>("2000-01-01", oids::kTimestamp), ProgrammingError);
}

TEST(DateCodec, Chrono) {
  using std::chrono::sys_days;
  const sys_days d = std::chrono::year(2024) / 2 / 29;
  for (Format f : {Format::kText, Format::kBinary}) {
    EXPECT_EQ(round_trip(d, f), d);
    EXPECT_EQ(round_trip(std::chrono::year_month_day(d), f), std::chrono::year_month_day(d));
    EXPECT_EQ(round_trip(std::chrono::local_days(d.time_since_epoch()), f),
              std::chrono::local_days(d.time_since_epoch()));
  }
  EXPECT_EQ(dump(d, Format::kText), "2024-02-29");
  try {
    load_text<sys_days>("infinity", oids::kDate);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("pgcpp::Date"), std::string::npos);
  }
  EXPECT_THROW(load_text<std::chrono::year_month_day>("40000-01-01", oids::kDate), DataError);
}

TEST(TimeCodec, BothFormats) {
  const Time t = Time::from_hms(13, 45, 7, 250000);
  EXPECT_EQ(t.to_string(), "13:45:07.25");
  EXPECT_EQ(Time::from_hms(24, 0, 0).to_string(), "24:00:00");
  for (Time v : {t, Time(), Time::from_micros(Time::kMaxMicros), Time::from_micros(1)}) {
    for (Format f : {Format::kText, Format::kBinary}) EXPECT_EQ(round_trip(v, f), v);
  }
  for (const char* bad : {"", "24:00:01", "12:60:00", "1:00:00", "12:00", "12:00:00.1234567",
                          "12:00:00+01", "12:00:00."}) {
    EXPECT_THROW(load_text<Time>(bad, oids::kTime), DataError) << bad;
  }
  EXPECT_THROW(load_binary<Time>(dump(int64_t{-1}, Format::kBinary), oids::kTime), DataError);
  EXPECT_THROW(Time::from_micros(Time::kMaxMicros + 1), DataError);
}

TEST(TimeTzCodec, OddOffsets) {
  const TimeTz t = TimeTz::from(Time::from_hms(12, 0, 0), 5 * 3600 + 30 * 60 + 15);
  EXPECT_EQ(t.to_string(), "12:00:00+05:30:15");
  EXPECT_EQ(TimeTz::from(Time(), -3 * 3600).to_string(), "00:00:00-03");
  EXPECT_EQ(TimeTz::parse("23:59:59.999999-09:30").utc_offset(), -(9 * 3600 + 30 * 60));
  for (Format f : {Format::kText, Format::kBinary}) {
    EXPECT_EQ(round_trip(t, f), t);
    EXPECT_EQ(round_trip(TimeTz::from(Time(), -TimeTz::kMaxOffsetSeconds), f),
              TimeTz::from(Time(), -TimeTz::kMaxOffsetSeconds));
  }
  // Binary carries seconds west.
  EXPECT_EQ(dump(TimeTz::from(Time(), 3600), Format::kBinary).substr(8),
            std::string("\xff\xff\xf1\xf0", 4));
  EXPECT_THROW(load_text<TimeTz>("12:00:00", oids::kTimetz), DataError);
  EXPECT_THROW(load_text<TimeTz>("12:00:00+16", oids::kTimetz), DataError);
  EXPECT_THROW(load_binary<TimeTz>("12345678", oids::kTimetz), DataError);
}

TEST(TimestampCodec, TextForms) {
  EXPECT_EQ(Timestamp().to_string(), "2000-01-01 00:00:00");
  EXPECT_EQ(Timestamp::from(Date::from_ymd(0, 12, 31), Time::from_hms(23, 59, 59)).to_string(),
            "0001-12-31 23:59:59 BC");
  EXPECT_EQ(
      TimestampTz::from(Date::from_ymd(2024, 1, 31), Time::from_hms(12, 0, 0, 500)).to_string(),
      "2024-01-31 12:00:00.0005+00");
  EXPECT_EQ(Timestamp::from_micros(Timestamp::kMaxMicros).to_string(),
            "294276-12-31 23:59:59.999999");
  EXPECT_EQ(Timestamp::from_micros(Timestamp::kMinMicros).to_string(), "4714-11-24 00:00:00 BC");
}

TEST(TimestampCodec, TimestamptzTextIsConvertedToUtc) {
  const TimestampTz utc = TimestampTz::parse("2000-01-01 00:00:00+00");
  EXPECT_EQ(utc.micros(), 0);
  EXPECT_EQ(TimestampTz::parse("2000-01-01 05:30:00+05:30").micros(), 0);
  EXPECT_EQ(TimestampTz::parse("1900-01-01 05:21:10+05:21:10"),
            TimestampTz::parse("1900-01-01 00:00:00+00"));
  EXPECT_EQ(TimestampTz::parse("0044-03-15 12:00:00+05:53:28 BC"),
            TimestampTz::parse("0044-03-15 06:06:32+00 BC"));
  EXPECT_EQ(TimestampTz::parse("1999-12-31 19:00:00-05").micros(), 0);
}

TEST(TimestampCodec, EdgesRoundTrip) {
  for (int64_t micros : {Timestamp::kMinMicros, Timestamp::kMaxMicros, int64_t{0}, int64_t{-1},
                         int64_t{86400000000}, int64_t{-63113904000000000}}) {
    for (Format f : {Format::kText, Format::kBinary}) {
      EXPECT_EQ(round_trip(Timestamp::from_micros(micros), f).micros(), micros);
      EXPECT_EQ(round_trip(TimestampTz::from_micros(micros), f).micros(), micros);
    }
  }
  for (Format f : {Format::kText, Format::kBinary}) {
    EXPECT_TRUE(round_trip(TimestampTz::infinity(), f).is_infinity());
    EXPECT_TRUE(round_trip(Timestamp::minus_infinity(), f).is_minus_infinity());
  }
}

TEST(TimestampCodec, Malformed) {
  for (const char* bad :
       {"", "2000-01-01", "2000-01-01T00:00:00", "2000-01-01 00:00:00+00", "Sat Jan 01 2000",
        "01/01/2000 00:00:00", "2000-01-01 25:00:00", "294277-01-01 00:00:00"}) {
    EXPECT_THROW(load_text<Timestamp>(bad, oids::kTimestamp), DataError) << bad;
  }
  for (const char* bad : {"2000-01-01 00:00:00", "2000-01-01 00:00:00+", "2000-01-01 00:00:00 PST",
                          "2000-01-01 00:00:00+00 AD"}) {
    EXPECT_THROW(load_text<TimestampTz>(bad, oids::kTimestamptz), DataError) << bad;
  }
  EXPECT_THROW(load_binary<TimestampTz>("1234567", oids::kTimestamptz), DataError);
  EXPECT_THROW(load_binary<TimestampTz>(dump(Timestamp::kMaxMicros + 1, Format::kBinary),
                                        oids::kTimestamptz),
               DataError);
  EXPECT_THROW(load_text<TimestampTz>("2000-01-01 00:00:00", oids::kTimestamp), ProgrammingError);
}

TEST(TimestampCodec, Chrono) {
  using namespace std::chrono;
  const sys_time<microseconds> t = sys_days(year(2024) / 3 / 1) + 10h + 1us;
  for (Format f : {Format::kText, Format::kBinary}) {
    EXPECT_EQ(round_trip(t, f), t);
    const local_time<microseconds> lt(t.time_since_epoch());
    EXPECT_EQ(round_trip(lt, f), lt);
  }
  EXPECT_EQ(dump(t, Format::kText), "2024-03-01 10:00:00.000001+00");
  EXPECT_EQ(TimestampTz::from_sys_time(t).to_sys_time(), t);
  // Nanoseconds round to the nearest microsecond when sent.
  const sys_time<nanoseconds> ns = sys_days(year(2024) / 3 / 1) + 1501ns;
  EXPECT_EQ(dump(ns, Format::kText), "2024-03-01 00:00:00.000002+00");
  // system_clock::time_point (nanoseconds) cannot hold year 3000.
  EXPECT_THROW(load_text<system_clock::time_point>("3000-01-01 00:00:00+00", oids::kTimestamptz),
               DataError);
  // Seconds cannot hold a fraction.
  EXPECT_THROW(load_text<sys_seconds>("2000-01-01 00:00:00.5+00", oids::kTimestamptz), DataError);
  EXPECT_EQ(load_text<sys_seconds>("1970-01-01 00:00:01+00", oids::kTimestamptz), sys_seconds(1s));
  try {
    load_text<sys_time<microseconds>>("infinity", oids::kTimestamptz);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("pgcpp::Timestamp"), std::string::npos);
  }
  EXPECT_THROW(load_text<sys_time<microseconds>>("2000-01-01 00:00:00", oids::kTimestamp),
               ProgrammingError);
}

TEST(TimestampCodec, RandomRoundTrip) {
  std::mt19937_64 rng(99);
  for (int i = 0; i < 3000; ++i) {
    const int64_t span = Timestamp::kMaxMicros / 2 - Timestamp::kMinMicros / 2;
    const int64_t micros =
        Timestamp::kMinMicros + static_cast<int64_t>(rng() % static_cast<uint64_t>(span)) * 2;
    for (Format f : {Format::kText, Format::kBinary}) {
      ASSERT_EQ(round_trip(TimestampTz::from_micros(micros), f).micros(), micros);
    }
  }
}

TEST(IntervalCodec, PostgresStyleText) {
  EXPECT_EQ(Interval(14, 3, 14706789000).to_string(), "1 year 2 mons 3 days 04:05:06.789");
  EXPECT_EQ(Interval(0, -1, 7200000000).to_string(), "-1 days +02:00:00");
  EXPECT_EQ(Interval(-37, 0, 0).to_string(), "-3 years -1 mons");
  EXPECT_EQ(Interval().to_string(), "00:00:00");
  EXPECT_EQ(Interval(0, 1, -1000000).to_string(), "1 day -00:00:01");
  EXPECT_EQ(Interval(0, 0, -1).to_string(), "-00:00:00.000001");
  const Interval max(2147483647, 2147483647, 9223372036854775807);
  EXPECT_EQ(max.to_string(), "178956970 years 7 mons 2147483647 days 2562047788:00:54.775807");
  EXPECT_EQ(Interval::parse(max.to_string()), max);
  const Interval min(-2147483647, -2147483647, -9223372036854775807);
  EXPECT_EQ(Interval::parse(min.to_string()), min);
  for (const char* text : {"1 year 2 mons 3 days 04:05:06.789", "-1 days +02:00:00", "00:00:00",
                           "-3 years -1 mons", "1 day -00:00:01", "-00:00:00.000001"}) {
    EXPECT_EQ(Interval::parse(text).to_string(), text);
  }
}

TEST(IntervalCodec, RoundTripAndDump) {
  for (const Interval& v : {Interval(14, 3, 14706789000), Interval(0, -1, 7200000000), Interval(),
                            Interval(-2147483647 - 1, -2147483647 - 1, INT64_MIN + 1)}) {
    for (Format f : {Format::kText, Format::kBinary}) EXPECT_EQ(round_trip(v, f), v);
  }
  EXPECT_EQ(dump(Interval(1, -2, 3000000), Format::kText), "+1 mons -2 days +00:00:03");
}

TEST(IntervalCodec, Malformed) {
  for (const char* bad : {"", "1", "1 hour", "@ 1 year", "P1Y2M", "1-2", "3 4:05:06", "1 year x",
                          "00:60:00", "1 days 2", "99999999999 days", "1:2:3"}) {
    EXPECT_THROW(load_text<Interval>(bad, oids::kInterval), DataError) << bad;
  }
  EXPECT_THROW(load_binary<Interval>("short", oids::kInterval), DataError);
}

TEST(IntervalCodec, Durations) {
  using namespace std::chrono;
  for (Format f : {Format::kText, Format::kBinary}) {
    EXPECT_EQ(round_trip(microseconds(-123456789), f), microseconds(-123456789));
    EXPECT_EQ(round_trip(hours(50), f), hours(50));
  }
  // A month counts 30 days, a year 365.
  EXPECT_EQ(Interval(13, 1, 1).to_duration(), days(365 + 30 + 1) + 1us);
  EXPECT_EQ(load_text<seconds>("1 day 00:00:01", oids::kInterval), seconds(86401));
  EXPECT_EQ(load_text<microseconds>("12:00:00.5", oids::kTime), 12h + 500ms);
  EXPECT_THROW(load_text<seconds>("00:00:00.5", oids::kInterval), DataError);
  EXPECT_THROW(Interval(2147483647, 2147483647, 9223372036854775807).to_duration(), DataError);
  EXPECT_THROW(dump(duration<int64_t>(INT64_MAX), Format::kBinary), DataError);
}

TEST(DateTimeQuote, IsQuotedText) {
  EXPECT_EQ(quote(Date::from_ymd(2020, 1, 2)), "'2020-01-02'");
  EXPECT_EQ(quote(Date::infinity()), "'infinity'");
}

}  // namespace
}  // namespace pgcpp::testing
