#include "pgcpp/adapt/text.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "pgcpp/adapt/codec_test_util.h"

namespace pgcpp::testing {
namespace {

TEST(StringCodec, OidIsUnknownInTextAndTextInBinary) {
  EXPECT_EQ(Codec<std::string>::oid(Format::kText), oids::kInvalid);
  EXPECT_EQ(Codec<std::string>::oid(Format::kBinary), oids::kText);
  EXPECT_EQ(Codec<std::string>::kAutoFormat, Format::kText);
}

TEST(StringCodec, EmptyUnicodeAndSpecialCharactersRoundTrip) {
  for (std::string v : {"", "héllo wörld ☃ 𝄞", "quote ' and \" and \\ and {},()", "NULL"}) {
    for (Format f : {Format::kText, Format::kBinary}) {
      EXPECT_EQ(round_trip(v, f), v);
      const std::string wire = dump(std::string_view(v), f);
      EXPECT_EQ(Codec<std::string_view>::load(wire, f, oids::kText), v);
    }
  }
}

TEST(StringCodec, NulByteIsADataError) {
  const std::string with_nul("a\0b", 3);
  try {
    dump(with_nul, Format::kText);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("NUL byte at position 1"), std::string::npos);
  }
  EXPECT_THROW(dump(std::string_view(with_nul), Format::kBinary), DataError);
  const char array_with_nul[] = "a\0b";
  EXPECT_THROW(dump(array_with_nul, Format::kText), DataError);
  EXPECT_EQ(dump("abc", Format::kText), "abc");
}

TEST(StringCodec, LoadsAnyTextColumnAndTextLikeBinary) {
  EXPECT_EQ(load_text<std::string>("123", oids::kInt4), "123");
  EXPECT_EQ(load_text<std::string>("(1,2)", 600), "(1,2)");
  EXPECT_EQ(load_binary<std::string>("abc", oids::kVarchar), "abc");
  EXPECT_EQ(load_binary<std::string>("abc", oids::kName), "abc");
  EXPECT_EQ(load_binary<std::string>(std::string("\1{}", 3), oids::kJsonb), "{}");
  EXPECT_THROW(load_binary<std::string>(std::string("\2{}", 3), oids::kJsonb), DataError);
  // Other builtin types' binary values read as the server's text (binary_text_test.cc).
  EXPECT_EQ(load_binary<std::string>(std::string("\0\0\0\x7b", 4), oids::kInt4), "123");
  EXPECT_THROW(load_binary<std::string_view>(std::string("\0\0\0\x7b", 4), oids::kInt4), DataError);
  std::string backing = "view me";
  std::string_view view = load_text<std::string_view>(backing, oids::kText);
  EXPECT_EQ(view.data(), backing.data());  // zero copy
}

TEST(StringCodec, QuoteAsPsycopgWithoutAConnection) {
  EXPECT_EQ(quote(std::string("it's")), "'it''s'");
  EXPECT_EQ(quote(std::string("a\\b")), " E'a\\\\b'");
  EXPECT_EQ(quote(std::string("")), "''");
}

TEST(BytesCodec, HexTextAndRawBinary) {
  const Bytes b(std::string("\x00\x01\xff", 3));
  EXPECT_EQ(dump(b, Format::kText), "\\x0001ff");
  EXPECT_EQ(dump(b, Format::kBinary), std::string("\x00\x01\xff", 3));
  for (Format f : {Format::kText, Format::kBinary}) {
    EXPECT_EQ(round_trip(b, f), b);
    EXPECT_EQ(round_trip(Bytes(), f), Bytes());
  }
  EXPECT_EQ(quote(b), " E'\\\\x0001ff'");
}

TEST(BytesCodec, EscapeFormatAndOtherTypesRawBinary) {
  EXPECT_EQ(load_text<Bytes>("a\\\\b\\001", oids::kBytea), Bytes(std::string("a\\b\x01", 4)));
  EXPECT_EQ(load_text<Bytes>("\\x41 42", oids::kBytea), Bytes("AB"));
  EXPECT_EQ(load_binary<Bytes>(std::string("\0\0\0\1", 4), oids::kInt4),
            Bytes(std::string("\0\0\0\1", 4)));
}

TEST(BytesCodec, Malformed) {
  EXPECT_THROW(load_text<Bytes>("\\x0", oids::kBytea), DataError);
  EXPECT_THROW(load_text<Bytes>("\\xzz", oids::kBytea), DataError);
  EXPECT_THROW(load_text<Bytes>("a\\9", oids::kBytea), DataError);
  EXPECT_THROW(load_text<Bytes>("a\\", oids::kBytea), DataError);
}

TEST(BytesCodec, StdByteContainers) {
  const std::vector<std::byte> v = {std::byte{1}, std::byte{0}, std::byte{200}};
  EXPECT_EQ(round_trip(v, Format::kText), v);
  EXPECT_EQ(round_trip(v, Format::kBinary), v);
  EXPECT_EQ(dump(std::span<const std::byte>(v), Format::kText), "\\x0100c8");
}

}  // namespace
}  // namespace pgcpp::testing
