#include "pgcpp/adapt/composite.h"

#include <optional>
#include <string>
#include <tuple>

#include "gtest/gtest.h"
#include "pgcpp/adapt/codec_test_util.h"
#include "pgcpp/adapt/numbers.h"
#include "pgcpp/adapt/text.h"

namespace pgcpp {
namespace {

struct Point3 {
  double x = 0, y = 0, z = 0;
  std::optional<std::string> label;
  friend bool operator==(const Point3&, const Point3&) = default;
};

}  // namespace

template <>
struct Fields<Point3> {
  static constexpr auto kFields =
      std::make_tuple(field("x", &Point3::x), field("y", &Point3::y), field("z", &Point3::z),
                      field("label", &Point3::label));
};

namespace {

using ::pgcpp::testing::dump;
using ::pgcpp::testing::load_binary;
using ::pgcpp::testing::load_text;
using ::pgcpp::testing::round_trip;
using Row3 = std::tuple<int32_t, std::optional<std::string>, std::string>;

TEST(CompositeCodec, TupleText) {
  EXPECT_EQ(dump(Row3{1, std::nullopt, ""}, Format::kText), "(1,,\"\")");
  EXPECT_EQ(dump(Row3{-1, "a b", "q\"x\\(,)"}, Format::kText), R"x((-1,"a b","q""x\\(,)"))x");
  EXPECT_EQ(load_text<Row3>(R"x((1,"a b",""))x", oids::kRecord), (Row3{1, "a b", ""}));
  EXPECT_EQ(load_text<Row3>(R"x((1,,"q""x"))x", oids::kRecord), (Row3{1, std::nullopt, "q\"x"}));
  EXPECT_EQ(load_text<Row3>(R"x((2,a\,b,x"y,z"w))x", oids::kRecord), (Row3{2, "a,b", "xy,zw"}));
  EXPECT_EQ(load_text<std::tuple<std::string>>("( x )", oids::kRecord),
            std::tuple<std::string>(" x "));
}

TEST(CompositeCodec, TupleRoundTrips) {
  for (Format f : {Format::kText, Format::kBinary}) {
    for (const Row3& r : {Row3{1, std::nullopt, ""}, Row3{-1, "a b", "q\"x\\(,)"},
                          Row3{0, "NULL", "{}"}, Row3{7, "", "☃"}}) {
      EXPECT_EQ(round_trip(r, f), r);
    }
    const std::tuple<std::vector<int32_t>, std::tuple<bool, double>> nested{{1, 2}, {true, 1.5}};
    EXPECT_EQ(round_trip(nested, f), nested);
  }
}

TEST(CompositeCodec, BinaryLayout) {
  EXPECT_EQ(dump(std::tuple<int16_t, std::optional<int32_t>>{5, std::nullopt}, Format::kBinary),
            std::string("\0\0\0\2\0\0\0\x15\0\0\0\2\0\5\0\0\0\x17\xff\xff\xff\xff", 22));
  // Binary field oids are checked.
  EXPECT_THROW(
      (load_binary<std::tuple<bool, std::optional<int32_t>>>(
          dump(std::tuple<int16_t, std::optional<int32_t>>{5, std::nullopt}, Format::kBinary),
          oids::kRecord)),
      ProgrammingError);
}

TEST(CompositeCodec, RegisteredStruct) {
  const Point3 p{1, 2.5, -3, "a,b"};
  EXPECT_EQ(dump(p, Format::kText), "(1,2.5,-3,\"a,b\")");
  for (Format f : {Format::kText, Format::kBinary}) {
    EXPECT_EQ(round_trip(p, f), p);
    EXPECT_EQ(round_trip(Point3{}, f), Point3{});
  }
}

TEST(CompositeCodec, Malformed) {
  for (const char* bad : {"", "1,a,b", "(1,a,b", "(1,a,b)x", "(1,\"a,b)", "(1,a\\", "(1,a)",
                          "(1,a,b,c)", "(x,a,b)"}) {
    EXPECT_THROW(load_text<Row3>(bad, oids::kRecord), DataError) << bad;
  }
  EXPECT_THROW(load_text<Row3>("(,a,b)", oids::kRecord), DataError);  // NULL into int32_t
  EXPECT_THROW(load_binary<Row3>(std::string("\0\0\0\5", 4), oids::kRecord), DataError);
  EXPECT_THROW(load_binary<Row3>("", oids::kRecord), DataError);
  EXPECT_THROW(load_text<Row3>("(1,a,b)", oids::kInt4), ProgrammingError);
  try {
    load_text<Row3>("(1,a)", oids::kRecord);
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("2 field(s)"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace pgcpp
