#include "pgcpp/adapt/array.h"

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "pgcpp/adapt/codec_test_util.h"
#include "pgcpp/adapt/datetime.h"
#include "pgcpp/adapt/numbers.h"
#include "pgcpp/adapt/numeric.h"
#include "pgcpp/adapt/text.h"

namespace pgcpp::testing {
namespace {

using OptString = std::optional<std::string>;
using Ints = std::vector<int32_t>;

TEST(ArrayCodec, Oids) {
  EXPECT_EQ(Codec<Ints>::oid(Format::kBinary), oids::kInt4Array);
  EXPECT_EQ(Codec<Ints>::kAutoFormat, Format::kBinary);
  EXPECT_EQ(Codec<std::vector<std::vector<int64_t>>>::oid(Format::kText), oids::kInt8Array);
  EXPECT_EQ(Codec<std::vector<std::optional<double>>>::oid(Format::kText), oids::kFloat8Array);
  // Strings go as unknown in text, text[] in binary.
  EXPECT_EQ(Codec<std::vector<std::string>>::oid(Format::kText), 0u);
  EXPECT_EQ(Codec<std::vector<std::string>>::oid(Format::kBinary), oids::kTextArray);
  EXPECT_EQ(Codec<std::vector<std::string>>::kAutoFormat, Format::kText);
  EXPECT_EQ(Codec<std::vector<Numeric>>::oid(Format::kText), oids::kNumericArray);
  EXPECT_EQ(Codec<std::vector<std::vector<std::byte>>>::oid(Format::kText), oids::kByteaArray);
}

TEST(ArrayCodec, TextDump) {
  EXPECT_EQ(dump(Ints{1, -2, 3}, Format::kText), "{1,-2,3}");
  EXPECT_EQ(dump(Ints{}, Format::kText), "{}");
  EXPECT_EQ(dump(std::vector<Ints>{{1, 2}, {3, 4}}, Format::kText), "{{1,2},{3,4}}");
  EXPECT_EQ(dump(std::vector<std::vector<Ints>>{{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}}, Format::kText),
            "{{{1,2},{3,4}},{{5,6},{7,8}}}");
  EXPECT_EQ(dump(std::vector<OptString>{"a b", std::nullopt, "NULL", "", "q\"x", "b\\s", "{}",
                                        "c,d", " x ", "null", "plain"},
                 Format::kText),
            R"({"a b",NULL,"NULL","","q\"x","b\\s","{}","c,d"," x ","null",plain})");
  EXPECT_EQ(dump(Array<int32_t>({1, 2}, {{2, 0}}), Format::kText), "[0:1]={1,2}");
  EXPECT_EQ(dump(Array<int32_t>({1, 2, 3, 4}, {{2, -2}, {2, 3}}), Format::kText),
            "[-2:-1][3:4]={{1,2},{3,4}}");
}

TEST(ArrayCodec, TextLoadQuotingAndNull) {
  EXPECT_EQ(load_text<std::vector<OptString>>(
                R"({"a b",NULL,"NULL","","q\"x","b\\s"," x ",null, spaced out ,unquoted\,comma})",
                oids::kTextArray),
            (std::vector<OptString>{"a b", std::nullopt, "NULL", "", "q\"x", "b\\s", " x ",
                                    std::nullopt, "spaced out", "unquoted,comma"}));
  EXPECT_EQ(load_text<Ints>(" { 1 , 2 } ", oids::kInt4Array), (Ints{1, 2}));
  EXPECT_EQ(load_text<Ints>("{}", oids::kInt4Array), Ints{});
  EXPECT_EQ(load_text<std::vector<Ints>>("{{1,2},{3,4}}", oids::kInt4Array),
            (std::vector<Ints>{{1, 2}, {3, 4}}));
  EXPECT_EQ(load_text<std::vector<Ints>>("{}", oids::kInt4Array), std::vector<Ints>{});
}

TEST(ArrayCodec, LowerBounds) {
  const auto a = load_text<Array<int32_t>>("[-2:-1][3:4]={{1,2},{3,4}}", oids::kInt4Array);
  EXPECT_EQ(a.dims, (std::vector<ArrayDim>{{2, -2}, {2, 3}}));
  EXPECT_EQ(a.elements, (Ints{1, 2, 3, 4}));
  // std::vector drops them.
  EXPECT_EQ(load_text<Ints>("[0:1]={1,2}", oids::kInt4Array), (Ints{1, 2}));
  for (Format f : {Format::kText, Format::kBinary}) {
    EXPECT_EQ(round_trip(a, f), a);
    EXPECT_EQ(round_trip(Array<int32_t>(), f), Array<int32_t>());
  }
}

TEST(ArrayCodec, BoxUsesSemicolons) {
  EXPECT_EQ(load_text<std::vector<std::string>>("{(3,4),(1,2);(1,1),(0,0)}", 1020),
            (std::vector<std::string>{"(3,4),(1,2)", "(1,1),(0,0)"}));
}

TEST(ArrayCodec, BinaryLayout) {
  EXPECT_EQ(dump(Ints{7}, Format::kBinary),
            std::string("\0\0\0\1\0\0\0\0\0\0\0\x17\0\0\0\1\0\0\0\1\0\0\0\4\0\0\0\7", 28));
  EXPECT_EQ(dump(std::vector<std::optional<int16_t>>{std::nullopt}, Format::kBinary),
            std::string("\0\0\0\1\0\0\0\1\0\0\0\x15\0\0\0\1\0\0\0\1\xff\xff\xff\xff", 24));
  EXPECT_EQ(dump(Ints{}, Format::kBinary), std::string("\0\0\0\0\0\0\0\0\0\0\0\x17", 12));
}

TEST(ArrayCodec, RoundTrips) {
  const std::vector<OptString> strings = {"a b",  std::nullopt, "NULL", "",   "q\"x",
                                          "b\\s", "☃",          "{}",   "c,d"};
  const std::vector<std::vector<double>> matrix = {{1.5, -2}, {0, 1e300}};
  const std::vector<std::vector<std::vector<int64_t>>> cube = {{{1}, {2}}, {{3}, {4}}};
  const std::vector<std::optional<Date>> dates = {Date::infinity(), std::nullopt, Date()};
  const std::vector<Numeric> numerics = {Numeric("1.50"), Numeric::nan()};
  const std::vector<Bytes> blobs = {Bytes(""), Bytes(std::string("\0\"", 2))};
  for (Format f : {Format::kText, Format::kBinary}) {
    EXPECT_EQ(round_trip(strings, f), strings);
    EXPECT_EQ(round_trip(matrix, f), matrix);
    EXPECT_EQ(round_trip(cube, f), cube);
    EXPECT_EQ(round_trip(dates, f), dates);
    EXPECT_EQ(round_trip(numerics, f), numerics);
    EXPECT_EQ(round_trip(blobs, f), blobs);
    EXPECT_EQ(round_trip(Ints{}, f), Ints{});
  }
}

TEST(ArrayCodec, RandomRoundTrip) {
  std::mt19937 rng(3);
  const std::string alphabet = "ab \"\\{},;NUL\tx";
  for (int i = 0; i < 500; ++i) {
    std::vector<OptString> v(rng() % 6);
    for (auto& e : v) {
      if (rng() % 5 == 0) continue;
      std::string s;
      for (size_t n = rng() % 6; n > 0; --n) s.push_back(alphabet[rng() % alphabet.size()]);
      e = s;
    }
    for (Format f : {Format::kText, Format::kBinary}) ASSERT_EQ(round_trip(v, f), v);
  }
}

TEST(ArrayCodec, DumpErrors) {
  EXPECT_THROW(dump(std::vector<Ints>{{1, 2}, {3}}, Format::kText), DataError);
  EXPECT_THROW(dump(std::vector<Ints>{{}, {}}, Format::kBinary), DataError);
  EXPECT_THROW(dump(Array<int32_t>({1, 2, 3}, {{2, 1}}), Format::kText), DataError);
  EXPECT_THROW(dump(std::vector<std::string>{std::string("a\0", 2)}, Format::kText), DataError);
}

TEST(ArrayCodec, LoadErrors) {
  for (const char* bad : {"", "{", "{1,2", "{1,,2}", "1,2", "{1}x", "{{1},2}", "{1,{2}}",
                          "{{1,2},{3}}", "{{}}", "[1:2]={1}", "[2:1]={1}", "[1:1]{1}", "{\"1}",
                          "{1\"}", "[1:1]={}", "{{{{{{{1}}}}}}}", "{a\\"}) {
    EXPECT_THROW(load_text<std::vector<OptString>>(bad, oids::kTextArray), DataError) << bad;
  }
  EXPECT_THROW(load_text<Ints>("{1,NULL}", oids::kInt4Array), DataError);
  EXPECT_THROW(load_text<Ints>("{{1}}", oids::kInt4Array), DataError);
  EXPECT_THROW(load_text<std::vector<Ints>>("{1}", oids::kInt4Array), DataError);
  EXPECT_THROW(load_text<Ints>("{x}", oids::kInt4Array), DataError);
  EXPECT_THROW(load_text<Ints>("{1}", oids::kInt4), ProgrammingError);
  EXPECT_THROW(load_text<Ints>("{1}", oids::kTextArray), ProgrammingError);
  // Binary: truncated, bad flags, too many dims, NULL without the flag, impossible counts.
  const std::string good = dump(Ints{7}, Format::kBinary);
  EXPECT_EQ(load_binary<Ints>(good, oids::kInt4Array), Ints{7});
  for (size_t cut = 0; cut < good.size(); ++cut) {
    EXPECT_THROW(load_binary<Ints>(good.substr(0, cut), oids::kInt4Array), DataError) << cut;
  }
  EXPECT_THROW(load_binary<Ints>(good + "x", oids::kInt4Array), DataError);
  std::string bad_flags = good;
  bad_flags[7] = 2;
  EXPECT_THROW(load_binary<Ints>(bad_flags, oids::kInt4Array), DataError);
  std::string many_dims = good;
  many_dims[3] = 7;
  EXPECT_THROW(load_binary<Ints>(many_dims, oids::kInt4Array), DataError);
  std::string huge = good;
  huge[12] = 0x7f;
  EXPECT_THROW(load_binary<Ints>(huge, oids::kInt4Array), DataError);
  const std::string null_unflagged("\0\0\0\1\0\0\0\0\0\0\0\x17\0\0\0\1\0\0\0\1\xff\xff\xff\xff",
                                   24);
  EXPECT_THROW(load_binary<std::vector<std::optional<int32_t>>>(null_unflagged, oids::kInt4Array),
               DataError);
  // The element type is checked against the header's element oid.
  // (std::string elements read any renderable binary element as its text; a view cannot.)
  EXPECT_THROW(load_binary<std::vector<std::string_view>>(good, oids::kInt4Array), DataError);
  EXPECT_EQ(load_binary<std::vector<std::string>>(good, oids::kInt4Array),
            std::vector<std::string>{"7"});
}

}  // namespace
}  // namespace pgcpp::testing
