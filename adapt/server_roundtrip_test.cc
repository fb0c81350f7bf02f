// Round trips through a real PostgreSQL server: value -> dump_params -> SELECT $1::type ->
// RowDescription/Row -> value, for every parameter format (%t, %b) and result format
// (text, binary), so the text and binary loaders are checked to agree on what the
// server sends. Blocking libpq is fine here: this tests adapt, not the protocol.
#include <libpq-fe.h>

#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"
#include "pgcpp/adapt/codec_test_util.h"
#include "pgcpp/adapt/params.h"
#include "pgcpp/adapt/registration.h"
#include "pgcpp/adapt/row.h"
#include "pgcpp/testing/database.h"

namespace pgcpp {
namespace {

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;
using ::pgcpp::testing::Item;

constexpr std::array<ParamFormat, 2> kParamFormats = {ParamFormat::kText, ParamFormat::kBinary};
constexpr std::array<Format, 2> kResultFormats = {Format::kText, Format::kBinary};

std::string describe(ParamFormat pf, Format rf) {
  return std::string("param ") + std::string(format_name(pf)) + ", result " +
         std::string(format_name(rf));
}

class ServerRoundTrip : public testing::DatabaseTest {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dsn().empty());
    conn_ = PQconnectdb(dsn().c_str());
    ASSERT_EQ(PQstatus(conn_), CONNECTION_OK) << PQerrorMessage(conn_);
    // What //core sets; an odd time zone so timestamptz text carries a non-zero offset.
    exec(
        "SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres';"
        "SET TimeZone = 'Asia/Kathmandu'");
  }
  void TearDown() override { PQfinish(conn_); }

  ResultPtr exec(const std::string& sql) {
    ResultPtr res(PQexec(conn_, sql.c_str()), &PQclear);
    const ExecStatusType status = PQresultStatus(res.get());
    EXPECT_TRUE(status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        << sql << ": " << PQresultErrorMessage(res.get());
    return res;
  }

  Oid type_oid(const std::string& name) {
    ResultPtr res = exec("SELECT '" + name + "'::regtype::oid");
    return static_cast<Oid>(std::stoul(PQgetvalue(res.get(), 0, 0)));
  }
  TypeInfo type_info(const std::string& name) {
    ResultPtr res = exec("SELECT oid, typarray FROM pg_type WHERE oid = '" + name + "'::regtype");
    TypeInfo info;
    info.name = name;
    info.regtype = name;
    info.oid = static_cast<Oid>(std::stoul(PQgetvalue(res.get(), 0, 0)));
    info.array_oid = static_cast<Oid>(std::stoul(PQgetvalue(res.get(), 0, 1)));
    return info;
  }

  // SELECT <param>::cast, dumped in `pf`, the result read in `rf` as T.
  template <class T, class V>
  T select(const V& value, const std::string& cast, ParamFormat pf, Format rf,
           const AdaptersMap& map) {
    const std::array<ParamFormat, 1> formats = {pf};
    const DumpedParams params = dump_params(map, formats, value);
    const std::string sql = "SELECT $1::" + cast;
    ResultPtr res(PQexecParams(conn_, sql.c_str(), 1, params.types(), params.values(),
                               params.lengths(), params.formats(), static_cast<int>(rf)),
                  &PQclear);
    return first_field<T>(res, sql + " (" + describe(pf, rf) + ")", map);
  }

  // A query without parameters, its first field read as T.
  template <class T>
  T query(const std::string& sql, Format rf, const AdaptersMap& map = AdaptersMap::global()) {
    ResultPtr res(PQexecParams(conn_, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr,
                               static_cast<int>(rf)),
                  &PQclear);
    return first_field<T>(res, sql, map);
  }

  // The first field of a one-row result, read through RowDescription and Row as T.
  template <class T>
  static T first_field(const ResultPtr& res, const std::string& what, const AdaptersMap& map) {
    if (PQresultStatus(res.get()) != PGRES_TUPLES_OK) {
      throw std::runtime_error(what + ": " + PQresultErrorMessage(res.get()));
    }
    const RowDescription desc(
        {{PQfname(res.get(), 0), PQftype(res.get(), 0),
          static_cast<Format>(PQfformat(res.get(), 0)), PQfmod(res.get(), 0)}},
        map);
    const FieldData field{PQgetvalue(res.get(), 0, 0), PQgetlength(res.get(), 0, 0),
                          PQgetisnull(res.get(), 0, 0) != 0};
    return Row(desc, std::span<const FieldData>(&field, 1)).get<T>(0);
  }

  // Every format combination gives `value` back (compared by `equal`).
  template <class T, class Equal>
  void check_with(const T& value, const std::string& cast, Equal&& equal,
                  const AdaptersMap& map = AdaptersMap::global()) {
    for (ParamFormat pf : kParamFormats) {
      for (Format rf : kResultFormats) {
        try {
          const T back = select<T>(value, cast, pf, rf, map);
          EXPECT_TRUE(equal(back, value)) << cast << " " << describe(pf, rf);
        } catch (const std::exception& e) {
          ADD_FAILURE() << cast << " " << describe(pf, rf) << ": " << e.what();
        }
      }
    }
  }
  template <class T>
  void check(const T& value, const std::string& cast,
             const AdaptersMap& map = AdaptersMap::global()) {
    check_with(
        value, cast, [](const T& a, const T& b) { return a == b; }, map);
  }

  PGconn* conn_ = nullptr;
};

TEST_F(ServerRoundTrip, BoolAndIntegers) {
  check(true, "bool");
  check(false, "bool");
  for (int16_t v :
       {std::numeric_limits<int16_t>::min(), int16_t{0}, std::numeric_limits<int16_t>::max()}) {
    check(v, "int2");
  }
  for (int32_t v : {std::numeric_limits<int32_t>::min(), -1, std::numeric_limits<int32_t>::max()}) {
    check(v, "int4");
  }
  for (int64_t v :
       {std::numeric_limits<int64_t>::min(), int64_t{42}, std::numeric_limits<int64_t>::max()}) {
    check(v, "int8");
  }
  check(uint32_t{4294967295}, "oid");
  check(std::numeric_limits<uint64_t>::max(), "numeric");
  check(std::optional<int32_t>(), "int4");
}

TEST_F(ServerRoundTrip, Floats) {
  auto same = [](double a, double b) {
    return std::isnan(a) ? std::isnan(b) : a == b && std::signbit(a) == std::signbit(b);
  };
  for (double v :
       {0.1, -0.0, 1e300, std::numeric_limits<double>::denorm_min(),
        std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
        std::numeric_limits<double>::quiet_NaN(), 123456789012345678.0}) {
    check_with(v, "float8", same);
  }
  for (float v :
       {1.1f, -0.0f, std::numeric_limits<float>::max(), std::numeric_limits<float>::infinity()}) {
    check_with(v, "float4",
               [](float a, float b) { return a == b && std::signbit(a) == std::signbit(b); });
  }
  // float4 read as double: text and binary agree.
  for (ParamFormat pf : kParamFormats) {
    EXPECT_EQ(select<double>(1.1f, "float4", pf, Format::kText, AdaptersMap::global()),
              select<double>(1.1f, "float4", pf, Format::kBinary, AdaptersMap::global()));
  }
}

TEST_F(ServerRoundTrip, Numeric) {
  auto identical = [](const Numeric& a, const Numeric& b) { return a.identical(b); };
  for (const std::string& text :
       {std::string("0"), std::string("0.000"), std::string("-1.50"),
        std::string("123456789012345678901234567890.123456789"), std::string(1000, '9'),
        "0." + std::string(999, '0') + "1",
        "-" + std::string(500, '1') + "." + std::string(300, '2'), std::string("NaN"),
        std::string("Infinity"), std::string("-Infinity"), std::string("1e-16383"),
        std::string("10000"), std::string("0.0001")}) {
    check_with(Numeric(text), "numeric", identical);
  }
  check_with(Numeric("1.5"), "numeric(10,2)",
             [](const Numeric& a, const Numeric&) { return a.identical(Numeric("1.50")); });
}

TEST_F(ServerRoundTrip, TextAndBytes) {
  for (const std::string& s :
       {std::string(""), std::string("héllo ☃ 𝄞"), std::string("quote ' \" back \\ {},()[] NULL"),
        std::string(10000, 'x')}) {
    check(s, "text");
    check(s, "varchar");
  }
  check(std::string("ab"), "name");
  check('x', "\"char\"");
  check('\xe9', "\"char\"");
  std::string all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes.push_back(static_cast<char>(i));
  check(Bytes(all_bytes), "bytea");
  check(Bytes(""), "bytea");
  // A NUL byte cannot reach the server as text.
  EXPECT_THROW(select<std::string>(std::string("a\0b", 3), "text", ParamFormat::kText,
                                   Format::kText, AdaptersMap::global()),
               DataError);
}

TEST_F(ServerRoundTrip, DatesAndTimes) {
  for (Date d : {Date(), Date::from_days(Date::kMinDays), Date::from_days(Date::kMaxDays),
                 Date::from_ymd(-43, 3, 15), Date::from_ymd(2024, 2, 29), Date::infinity(),
                 Date::minus_infinity()}) {
    check(d, "date");
  }
  for (Time t : {Time(), Time::from_hms(23, 59, 59, 999999), Time::from_hms(24, 0, 0)}) {
    check(t, "time");
  }
  for (int32_t offset : {0, 5 * 3600 + 45 * 60, -(3 * 3600 + 30 * 60), 5 * 3600 + 21 * 60 + 10,
                         -TimeTz::kMaxOffsetSeconds}) {
    check(TimeTz::from(Time::from_hms(12, 34, 56, 789), offset), "timetz");
  }
  for (int64_t micros : {Timestamp::kMinMicros, Timestamp::kMaxMicros, int64_t{0}, int64_t{-1},
                         int64_t{-63113904000000000}, int64_t{1234567890123456}}) {
    check(Timestamp::from_micros(micros), "timestamp");
    check(TimestampTz::from_micros(micros), "timestamptz");
  }
  check(Timestamp::infinity(), "timestamp");
  check(TimestampTz::minus_infinity(), "timestamptz");
  // Historical offsets with seconds (LMT) in the session zone still load as the instant.
  exec("SET TimeZone = 'Asia/Kolkata'");
  check(TimestampTz::parse("1900-01-01 00:00:00+00"), "timestamptz");
  check(TimestampTz::parse("0044-03-15 12:00:00+00 BC"), "timestamptz");
  for (Interval i : {Interval(), Interval(14, 3, 14706789000), Interval(0, -1, 7200000000),
                     Interval(-37, 5, -1), Interval(2147483647, 2147483647, 9223372036854775807),
                     Interval(-2147483647, -2147483647, -9223372036854775807)}) {
    check(i, "interval");
  }
  using namespace std::chrono;
  check(sys_days(year(2024) / 3 / 1), "date");
  check(sys_time<microseconds>(sys_days(year(2024) / 3 / 1)) + 123456us, "timestamptz");
  check(local_time<microseconds>(local_days(year(1999) / 12 / 31)) + 1us, "timestamp");
  check(microseconds(-90061000001), "interval");
}

TEST_F(ServerRoundTrip, UuidJsonInet) {
  check(Uuid::parse("f47ac10b-58cc-4372-a567-0e02b2c3d479"), "uuid");
  check(Json{R"({"a": [1, "é", null]})"}, "json");
  check(Jsonb{R"({"a": [1, "é", null]})"}, "jsonb");
  for (const char* text :
       {"192.168.0.1/24", "10.0.0.1", "::1", "2001:db8::1/64", "::ffff:1.2.3.4", "0.0.0.0/0"}) {
    check(Inet::parse(text), "inet");
  }
  for (const char* text : {"10.0.0.0/8", "2001:db8::/32", "1.2.3.4/32"}) {
    check(Cidr::parse(text), "cidr");
  }
}

TEST_F(ServerRoundTrip, Arrays) {
  check(std::vector<int32_t>{1, -2, 3}, "int4[]");
  check(std::vector<int32_t>{}, "int4[]");
  check(std::vector<std::optional<int64_t>>{1, std::nullopt, 3}, "int8[]");
  check(std::vector<std::vector<double>>{{1.5, -2}, {0, 1e300}}, "float8[]");
  check(std::vector<std::vector<std::vector<int16_t>>>{{{1}, {2}}, {{3}, {4}}}, "int2[]");
  check(std::vector<std::optional<std::string>>{"a b", std::nullopt, "NULL", "", "q\"x", "b\\s",
                                                "{}", "c,d", " x ", "☃"},
        "text[]");
  check(std::vector<Numeric>{Numeric("1.50"), Numeric::nan()}, "numeric[]");
  check(std::vector<Date>{Date::infinity(), Date()}, "date[]");
  check(std::vector<TimestampTz>{TimestampTz(), TimestampTz::infinity()}, "timestamptz[]");
  check(std::vector<Uuid>{Uuid()}, "uuid[]");
  check(std::vector<Bytes>{Bytes("\x01\"\\"), Bytes("")}, "bytea[]");
  check(std::vector<bool>{true, false}, "bool[]");
  // Lower bounds survive.
  check(Array<int32_t>({1, 2, 3, 4}, {{2, -2}, {2, 3}}), "int4[]");
  // box uses ';' between elements.
  EXPECT_EQ(
      select<std::vector<std::string>>(std::string("{(1,1),(0,0);(2,2),(1,1)}"), "box[]",
                                       ParamFormat::kText, Format::kText, AdaptersMap::global()),
      (std::vector<std::string>{"(1,1),(0,0)", "(2,2),(1,1)"}));
}

TEST_F(ServerRoundTrip, RangesAndMultiranges) {
  check(Range<int32_t>(1, 5), "int4range");
  check(Range<int32_t>(), "int4range");
  check(Range<int64_t>(std::nullopt, 7), "int8range");
  check(Range<Numeric>(Numeric("1.5"), std::nullopt, "(]"), "numrange");
  check(Range<Date>(Date::minus_infinity(), Date(), "[)"), "daterange");
  check(Range<Timestamp>(Timestamp(), Timestamp::infinity(), "[]"), "tsrange");
  check(Range<TimestampTz>(TimestampTz::from_micros(-1), TimestampTz::from_micros(1), "()"),
        "tstzrange");
  check(Multirange<int32_t>{{Range<int32_t>(1, 3), Range<int32_t>(5, 7)}}, "int4multirange");
  check(Multirange<TimestampTz>{}, "tstzmultirange");
}

TEST_F(ServerRoundTrip, RangesNormalisedByTheServer) {
  // [1,5] on int4range comes back as [1,6): check what the server says.
  for (ParamFormat pf : kParamFormats) {
    for (Format rf : kResultFormats) {
      EXPECT_EQ(select<Range<int32_t>>(Range<int32_t>(1, 5, "[]"), "int4range", pf, rf,
                                       AdaptersMap::global()),
                Range<int32_t>(1, 6))
          << describe(pf, rf);
    }
  }
}

TEST_F(ServerRoundTrip, CompositesEnumsHstore) {
  exec("CREATE TYPE item AS (name text, qty int4)");
  exec("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
  exec("CREATE EXTENSION IF NOT EXISTS hstore");
  using Pair = std::tuple<std::string, std::optional<int32_t>>;
  check(Pair{"a b", std::nullopt}, "item");
  check(Pair{"q\"x\\(,)", 3}, "item");
  check(Item{"x", 7}, "item");

  AdaptersMap map;
  TypeInfo item = type_info("item");
  item.field_names = {"name", "qty"};
  item.field_types = {oids::kText, oids::kInt4};
  register_composite<Item>(map, item);
  check(Item{"y", std::nullopt}, "item", map);
  for (Format rf : kResultFormats) {
    // Loaded as a Value through the registered loader.
    const Value v = select<Value>(Item{"z", 1}, "item", ParamFormat::kText, rf, map);
    EXPECT_EQ(v.get<Item>(), (Item{"z", 1})) << format_name(rf);
  }

  enum class Mood { kSad, kOk, kHappy };
  TypeInfo mood = type_info("mood");
  register_enum<Mood>(map, mood, {{Mood::kSad, "sad"}, {Mood::kOk, "ok"}, {Mood::kHappy, "happy"}});
  check(Mood::kHappy, "mood", map);
  check(std::string("ok"), "mood");  // unregistered: a string
  for (Format rf : kResultFormats) {
    // Without the registration, a mood column has no loader producing Mood.
    EXPECT_THROW(
        select<Mood>(std::string("sad"), "mood", ParamFormat::kText, rf, AdaptersMap::global()),
        ProgrammingError);
  }

  register_hstore(map, type_info("hstore"));
  check(Hstore{{"a", "1"}, {"b c", std::nullopt}, {"q\"\\", ""}, {"☃", "=>,"}}, "hstore", map);
  check(Hstore{}, "hstore", map);
  // Unregistered: sent with oid 0, still loadable by type.
  check(Hstore{{"k", "v"}}, "hstore");

  // Anonymous records: text fields are strings, binary ones typed by their oids.
  const std::string row_sql = "SELECT ROW(1, 'a b'::text, NULL::int8, ARRAY[1.5]::float8[])";
  EXPECT_EQ(query<Value>(row_sql, Format::kText).get<Record>().fields,
            (std::vector<Value>{Value("1"), Value("a b"), Value(), Value("{1.5}")}));
  const Record binary = query<Value>(row_sql, Format::kBinary).get<Record>();
  EXPECT_EQ(binary.fields[0], Value(1));
  EXPECT_EQ(binary.fields[1], Value("a b"));
  EXPECT_TRUE(binary.fields[2].is_null());
  EXPECT_EQ(binary.fields[3].as<std::vector<double>>(), std::vector<double>{1.5});
  for (Format rf : kResultFormats) {
    EXPECT_EQ((query<std::tuple<int32_t, std::string, std::optional<int64_t>, std::vector<double>>>(
                  row_sql, rf)),
              (std::tuple<int32_t, std::string, std::optional<int64_t>, std::vector<double>>{
                  1, "a b", std::nullopt, {1.5}}))
        << format_name(rf);
  }
}

TEST_F(ServerRoundTrip, ValuesBothWays) {
  const std::vector<Value> values = {
      Value(true),
      Value(int16_t{-5}),
      Value(int32_t{7}),
      Value(int64_t{1} << 40),
      Value(2.5),
      Value(Numeric("-12.340")),
      Value("text ☃"),
      Value(Bytes("\x00\xff")),
      Value(Date::from_ymd(2024, 1, 2)),
      Value(TimestampTz::from_micros(987654321)),
      Value(Interval(1, 2, 3)),
      Value(Uuid::parse("f47ac10b-58cc-4372-a567-0e02b2c3d479")),
      Value(Jsonb{"[1]"}),
      Value(Inet::parse("10.1.2.3/8")),
      Value::from(std::vector<std::optional<int32_t>>{1, std::nullopt}),
      Value::from(Range<int64_t>(1, 2)),
  };
  const char* casts[] = {"bool",  "int2",  "int4",   "int8",        "float8",   "numeric",
                         "text",  "bytea", "date",   "timestamptz", "interval", "uuid",
                         "jsonb", "inet",  "int4[]", "int8range"};
  for (size_t i = 0; i < values.size(); ++i) {
    check(values[i], casts[i]);
  }
}

}  // namespace
}  // namespace pgcpp
