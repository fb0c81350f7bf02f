#include "pgcpp/tpc/xid.h"

#include <gtest/gtest.h>

#include <string>

#include "pgcpp/core/error_testing.h"
#include "pgcpp/core/errors.h"

namespace pgcpp {
namespace {

using core_testing::what_of;

TEST(XidTest, StringFormIsJdbcCompatible) {
  EXPECT_EQ(Xid(42, "gtrid", "bqual").to_string(), "42_Z3RyaWQ=_YnF1YWw=");
}

TEST(XidTest, InteropStringParsesToTheTriple) {
  Xid xid = Xid::from_string("42_Z3RyaWQ=_YnF1YWw=");
  EXPECT_EQ(xid.format_id(), 42);
  EXPECT_EQ(xid.gtrid(), "gtrid");
  EXPECT_EQ(xid.bqual(), "bqual");
  EXPECT_EQ(xid, Xid(42, "gtrid", "bqual"));
}

TEST(XidTest, Base64IsTheStandardAlphabetWithPadding) {
  // "~~~" encodes to "fn5+" and "???" to "Pz8/": not the URL-safe "-" and "_".
  EXPECT_EQ(Xid(1, "~~~", "???").to_string(), "1_fn5+_Pz8/");
  EXPECT_EQ(Xid(1, "a", "ab").to_string(), "1_YQ==_YWI=");
  EXPECT_EQ(Xid::from_string("1_fn5+_Pz8/"), Xid(1, "~~~", "???"));
}

TEST(XidTest, EmptyPartsRoundTrip) {
  Xid xid(0, "", "");
  EXPECT_EQ(xid.to_string(), "0__");
  EXPECT_EQ(Xid::from_string("0__"), xid);
}

TEST(XidTest, UnicodeRoundTripsAsUtf8) {
  Xid xid(7, "gtrid-\xc3\xa8\xe2\x82\xac", "\xf0\x9f\x90\x98");  // è € and an elephant
  Xid back = Xid::from_string(xid.to_string());
  EXPECT_EQ(back, xid);
  EXPECT_EQ(back.gtrid(), "gtrid-\xc3\xa8\xe2\x82\xac");
}

TEST(XidTest, FormatIdMustFitIn31Bits) {
  EXPECT_EQ(Xid(0x7fffffff, "g", "b").format_id(), 0x7fffffff);
  EXPECT_EQ(what_of<ProgrammingError>([] { Xid(int64_t{1} << 31, "g", "b"); }),
            "format_id must be a non-negative 32-bit integer, got 2147483648");
  EXPECT_EQ(what_of<ProgrammingError>([] { Xid(-1, "g", "b"); }),
            "format_id must be a non-negative 32-bit integer, got -1");
}

TEST(XidTest, PartsAreLimitedTo64CharactersNotBytes) {
  std::string euros;
  for (int i = 0; i < 64; ++i) euros += "\xe2\x82\xac";  // 64 characters, 192 bytes
  EXPECT_NO_THROW(Xid(1, euros, euros));
  EXPECT_EQ(what_of<ProgrammingError>([&] { Xid(1, euros + "x", "b"); }),
            "gtrid must be not longer than 64 chars, got 65");
  EXPECT_EQ(what_of<ProgrammingError>([] { Xid(1, "g", std::string(65, 'b')); }),
            "bqual must be not longer than 64 chars, got 65");
}

TEST(XidTest, PartsMustBeUtf8) {
  EXPECT_EQ(what_of<ProgrammingError>([] { Xid(1, "\xff", "b"); }),
            "gtrid must be valid UTF-8 text");
  EXPECT_EQ(what_of<ProgrammingError>([] { Xid(1, "g", "\xc0\x80"); }),  // overlong NUL
            "bqual must be valid UTF-8 text");
  EXPECT_EQ(what_of<ProgrammingError>([] { Xid(1, "\xed\xa0\x80", "b"); }),  // a surrogate
            "gtrid must be valid UTF-8 text");
  EXPECT_EQ(what_of<ProgrammingError>([] { Xid(1, "\xe2\x82", "b"); }),  // truncated
            "gtrid must be valid UTF-8 text");
}

void expect_unparsed(const std::string& gid) {
  Xid xid = Xid::from_string(gid);
  EXPECT_FALSE(xid.format_id().has_value()) << gid;
  EXPECT_EQ(xid.gtrid(), gid);
  EXPECT_FALSE(xid.bqual().has_value()) << gid;
  EXPECT_EQ(xid.to_string(), gid);
}

TEST(XidTest, AnythingElseIsAnUnparsedXidHoldingTheGid) {
  expect_unparsed("my-transaction");
  expect_unparsed("");
  expect_unparsed("42_Z3RyaWQ=");                                // two parts
  expect_unparsed("42_Z3RyaWQ=_YnF1YWw=_x");                     // four parts
  expect_unparsed("_Z3RyaWQ=_YnF1YWw=");                         // no format_id
  expect_unparsed("x42_Z3RyaWQ=_YnF1YWw=");                      // not digits
  expect_unparsed("-1_Z3RyaWQ=_YnF1YWw=");                       // negative
  expect_unparsed("2147483648_Z3RyaWQ=_YnF1YWw=");               // out of range
  expect_unparsed("99999999999999999999999_Z3RyaWQ=_YnF1YWw=");  // overflows int64
  expect_unparsed("42_Z3Jp!ZA==_YnF1YWw=");                      // not base64
  expect_unparsed("42_/w==_YnF1YWw=");  // base64 of a byte that is not UTF-8
  expect_unparsed("42_" + std::string(88, 'Q') + "_YnF1YWw=");  // 66 characters
}

TEST(XidTest, OnlyTheCanonicalFormParses) {
  // These would name other gids if parsed: "042_..." prints back as "42_...".
  expect_unparsed("042_Z3RyaWQ=_YnF1YWw=");
  expect_unparsed("+42_Z3RyaWQ=_YnF1YWw=");
  expect_unparsed("42_Z3RyaWQ_YnF1YWw=");    // padding missing
  expect_unparsed("42_Z3Jp ZA==_YnF1YWw=");  // a space inside
}

TEST(XidTest, EqualityIgnoresRecoveryData) {
  Xid recovered = Xid::recovered("42_Z3RyaWQ=_YnF1YWw=", Xid::TimePoint{}, "alice", "bank");
  EXPECT_EQ(recovered, Xid(42, "gtrid", "bqual"));
  EXPECT_EQ(recovered.owner(), "alice");
  EXPECT_EQ(recovered.database(), "bank");
  EXPECT_FALSE(Xid(42, "gtrid", "bqual").prepared().has_value());
  EXPECT_NE(Xid(42, "gtrid", "bqual"), Xid(43, "gtrid", "bqual"));
  EXPECT_NE(Xid::from_string("gtrid"), Xid(0, "gtrid", ""));
}

}  // namespace
}  // namespace pgcpp
