#include "pgcpp/adapt/hstore.h"

#include <string>

#include "gtest/gtest.h"
#include "pgcpp/adapt/codec_test_util.h"

namespace pgcpp::testing {
namespace {

constexpr Oid kHstoreOid = 16500;

TEST(HstoreCodec, Text) {
  const Hstore h = {{"a", "1"}, {"b c", std::nullopt}, {"q\"\\", ""}};
  EXPECT_EQ(dump(h, Format::kText), R"x("a"=>"1", "b c"=>NULL, "q\"\\"=>"")x");
  EXPECT_EQ(load_text<Hstore>(R"x(a=>1, "b c"=>NULL, "n"=>"NULL",x=>null)x", kHstoreOid),
            (Hstore{{"a", "1"}, {"b c", std::nullopt}, {"n", "NULL"}, {"x", std::nullopt}}));
  EXPECT_EQ(load_text<Hstore>("", kHstoreOid), Hstore{});
  EXPECT_EQ(load_text<Hstore>("a=>1, a=>2", kHstoreOid), (Hstore{{"a", "1"}}));
}

TEST(HstoreCodec, RoundTrips) {
  const Hstore h = {{"a", "1"}, {"b c", std::nullopt}, {"q\"\\", ""}, {"☃", "=>,"}};
  for (Format f : {Format::kText, Format::kBinary}) {
    EXPECT_EQ(round_trip(h, f), h);
    EXPECT_EQ(Codec<Hstore>::load(dump(h, f), f, kHstoreOid), h);
    EXPECT_EQ(round_trip(Hstore{}, f), Hstore{});
  }
}

TEST(HstoreCodec, Malformed) {
  for (const char* bad : {"a", "a=>", "a=>1 b=>2", "\"a=>1", "a=1", "=>1"}) {
    EXPECT_THROW(load_text<Hstore>(bad, kHstoreOid), DataError) << bad;
  }
  EXPECT_THROW(load_binary<Hstore>(std::string("\0\0\0\1\xff\xff\xff\xff", 8), kHstoreOid),
               DataError);
  EXPECT_THROW(load_binary<Hstore>(std::string("\0\0\0\7", 4), kHstoreOid), DataError);
  EXPECT_THROW(load_text<Hstore>("a=>1", oids::kText), ProgrammingError);
  EXPECT_THROW(dump(Hstore{{std::string("a\0", 2), "1"}}, Format::kText), DataError);
}

}  // namespace
}  // namespace pgcpp::testing
