#include <string>

#include "gtest/gtest.h"
#include "pgcpp/adapt/codec_test_util.h"
#include "pgcpp/adapt/inet.h"
#include "pgcpp/adapt/json.h"
#include "pgcpp/adapt/uuid.h"

namespace pgcpp::testing {
namespace {

TEST(UuidCodec, FormsAndRoundTrip) {
  const Uuid u = Uuid::parse("f47ac10b-58cc-4372-a567-0e02b2c3d479");
  EXPECT_EQ(u.to_string(), "f47ac10b-58cc-4372-a567-0e02b2c3d479");
  EXPECT_EQ(Uuid::parse("{F47AC10B58CC4372A5670E02B2C3D479}"), u);
  EXPECT_EQ(Uuid::parse("f47ac10b58cc-4372-a567-0e02-b2c3d479"), u);
  for (Format f : {Format::kText, Format::kBinary}) {
    EXPECT_EQ(round_trip(u, f), u);
    EXPECT_EQ(round_trip(Uuid(), f), Uuid());
  }
  EXPECT_EQ(dump(u, Format::kBinary).size(), 16u);
  for (const char* bad :
       {"", "f47ac10b-58cc-4372-a567-0e02b2c3d47", "g47ac10b58cc4372a5670e02b2c3d479",
        "{f47ac10b58cc4372a5670e02b2c3d479", "f47ac10b--58cc4372a5670e02b2c3d479",
        "f47ac10b58cc4372a5670e02b2c3d4790", "-f47ac10b58cc4372a5670e02b2c3d479"}) {
    EXPECT_THROW(load_text<Uuid>(bad, oids::kUuid), DataError) << bad;
  }
  EXPECT_THROW(load_binary<Uuid>("short", oids::kUuid), DataError);
  EXPECT_THROW(load_text<Uuid>("x", oids::kText), ProgrammingError);
}

TEST(JsonCodec, WrappersAndVersionByte) {
  const Jsonb doc{R"({"a": [1, "é"]})"};
  EXPECT_EQ(dump(doc, Format::kBinary), "\x01" + doc.text);
  EXPECT_EQ(dump(Json{"[]"}, Format::kBinary), "[]");
  for (Format f : {Format::kText, Format::kBinary}) {
    EXPECT_EQ(round_trip(doc, f), doc);
    EXPECT_EQ(round_trip(Json{"null"}, f), Json{"null"});
  }
  EXPECT_EQ(load_binary<Json>("\x01{}", oids::kJsonb).text, "{}");
  EXPECT_THROW(load_binary<Jsonb>("\x02{}", oids::kJsonb), DataError);
  EXPECT_THROW(load_binary<Jsonb>("", oids::kJsonb), DataError);
  EXPECT_THROW(load_text<Json>("{}", oids::kText), ProgrammingError);
  EXPECT_THROW(dump(Json{std::string("\"\0\"", 3)}, Format::kText), DataError);
  EXPECT_EQ(Codec<Jsonb>::kAutoFormat, Format::kText);
}

TEST(InetCodec, TextForms) {
  EXPECT_EQ(Inet::parse("192.168.0.1/24").to_string(), "192.168.0.1/24");
  EXPECT_EQ(Inet::parse("192.168.0.1/32").to_string(), "192.168.0.1");
  EXPECT_EQ(Inet::parse("::1").to_string(), "::1");
  EXPECT_EQ(Inet::parse("::ffff:1.2.3.4").to_string(), "::ffff:1.2.3.4");
  EXPECT_EQ(Cidr::parse("10.0.0.0/8").to_string(), "10.0.0.0/8");
  EXPECT_EQ(Cidr::parse("2001:db8::/32").to_string(), "2001:db8::/32");
  EXPECT_EQ(Cidr::parse("10.1.2.3").to_string(), "10.1.2.3/32");
  EXPECT_EQ(Inet::parse("2001:db8::1/64").prefix(), 64);
  EXPECT_EQ(Inet::parse("2001:db8::1/64").family(), IpFamily::kV6);
}

TEST(InetCodec, RoundTripBothFormats) {
  for (const char* text :
       {"192.168.0.1/24", "0.0.0.0/0", "255.255.255.255", "::", "fe80::1/10", "::ffff:1.2.3.4"}) {
    for (Format f : {Format::kText, Format::kBinary}) {
      EXPECT_EQ(round_trip(Inet::parse(text), f), Inet::parse(text)) << text;
    }
  }
  for (Format f : {Format::kText, Format::kBinary}) {
    EXPECT_EQ(round_trip(Cidr::parse("10.0.0.0/8"), f), Cidr::parse("10.0.0.0/8"));
  }
  EXPECT_EQ(dump(Inet::parse("1.2.3.4/16"), Format::kBinary),
            std::string("\x02\x10\x00\x04\x01\x02\x03\x04", 8));
  EXPECT_EQ(dump(Cidr::parse("10.0.0.0/8"), Format::kBinary),
            std::string("\x02\x08\x01\x04\x0a\x00\x00\x00", 8));
}

TEST(InetCodec, Malformed) {
  for (const char* bad :
       {"", "1.2.3", "1.2.3.4/33", "1.2.3.4/", "1.2.3.4/x", "::1/129", "hello", "1.2.3.4/-1"}) {
    EXPECT_THROW(load_text<Inet>(bad, oids::kInet), DataError) << bad;
  }
  EXPECT_THROW(Cidr::parse("10.0.0.1/8"), DataError);
  EXPECT_THROW(load_binary<Inet>(std::string("\x02\x08\x00\x10\x01\x02\x03\x04", 8), oids::kInet),
               DataError);
  EXPECT_THROW(load_binary<Inet>(std::string("\x02\x21\x00\x04\x01\x02\x03\x04", 8), oids::kInet),
               DataError);
  EXPECT_THROW(load_binary<Inet>(std::string("\x02\x08\x00\x04\x01\x02\x03", 7), oids::kInet),
               DataError);
  EXPECT_THROW(load_binary<Cidr>(std::string("\x02\x08\x01\x04\x0a\x00\x00\x01", 8), oids::kCidr),
               DataError);
  EXPECT_THROW(load_text<Inet>("1.2.3.4", oids::kText), ProgrammingError);
}

}  // namespace
}  // namespace pgcpp::testing
