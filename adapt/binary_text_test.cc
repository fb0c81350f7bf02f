#include "pgcpp/adapt/binary_text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "pgcpp/adapt/array.h"
#include "pgcpp/adapt/codec_test_util.h"
#include "pgcpp/adapt/inet.h"
#include "pgcpp/adapt/numbers.h"
#include "pgcpp/adapt/numeric.h"
#include "pgcpp/adapt/row.h"
#include "pgcpp/adapt/text.h"
#include "pgcpp/adapt/uuid.h"

namespace pgcpp {
namespace {

using ::pgcpp::testing::dump;
using ::pgcpp::testing::load_binary;
using ::testing::AllOf;
using ::testing::HasSubstr;

// `v` dumped in binary, read back as std::string from a column of type `oid`.
template <class T>
std::string as_text(const T& v, Oid oid) {
  return load_binary<std::string>(dump(v, Format::kBinary), oid);
}

TEST(BinaryText, Integers) {
  EXPECT_EQ(as_text(int16_t{-32768}, oids::kInt2), "-32768");
  EXPECT_EQ(as_text(int32_t{2147483647}, oids::kInt4), "2147483647");
  EXPECT_EQ(as_text(std::numeric_limits<int64_t>::min(), oids::kInt8), "-9223372036854775808");
  EXPECT_EQ(load_binary<std::string>(std::string("\xff\xff\xff\xff", 4), oids::kOid), "4294967295");
  EXPECT_THROW(load_binary<std::string>("abc", oids::kInt4), DataError);
}

TEST(BinaryText, NumericKeepsScale) {
  for (const char* text :
       {"0", "0.00", "1.2300", "-123456789.120000", "0.000000000000000000000000000012300",
        "100000000000000000000000000000", "NaN", "Infinity", "-Infinity", "-0.5"}) {
    EXPECT_EQ(as_text(Numeric::parse(text), oids::kNumeric), text);
  }
}

TEST(BinaryText, BoolAndUuid) {
  EXPECT_EQ(as_text(true, oids::kBool), "t");
  EXPECT_EQ(as_text(false, oids::kBool), "f");
  EXPECT_EQ(as_text(Uuid::parse("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"), oids::kUuid),
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
}

TEST(BinaryText, Float8AsFloat8out) {
  const std::pair<double, const char*> cases[] = {
      {1e16, "1e+16"},
      {1.5e-7, "1.5e-07"},
      {100000, "100000"},
      {0.0001, "0.0001"},
      {0.00001, "1e-05"},
      {-0.0, "-0"},
      {0.0, "0"},
      {0.1, "0.1"},
      {1e15, "1e+15"},
      {123456789012345.6, "123456789012345.6"},
      {-2.5, "-2.5"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {5e-324, "5e-324"},
      {std::numeric_limits<double>::quiet_NaN(), "NaN"},
      {std::numeric_limits<double>::infinity(), "Infinity"},
      {-std::numeric_limits<double>::infinity(), "-Infinity"},
  };
  for (const auto& [v, text] : cases) EXPECT_EQ(as_text(v, oids::kFloat8), text) << text;
}

TEST(BinaryText, Float4AsFloat4out) {
  const std::pair<float, const char*> cases[] = {
      {100000.0f, "100000"}, {1e6f, "1e+06"},      {0.1f, "0.1"},
      {-0.0f, "-0"},         {1.5e-7f, "1.5e-07"}, {3.4028235e38f, "3.4028235e+38"},
      {123.456f, "123.456"},
  };
  for (const auto& [v, text] : cases) EXPECT_EQ(as_text(v, oids::kFloat4), text) << text;
}

TEST(BinaryText, ByteaAsHex) {
  EXPECT_EQ(as_text(Bytes(""), oids::kBytea), "\\x");
  EXPECT_EQ(as_text(Bytes(std::string("\x00\xff\x80\x7f", 4)), oids::kBytea), "\\x00ff807f");
}

TEST(BinaryText, InetAndCidr) {
  EXPECT_EQ(as_text(Inet::parse("192.168.0.1"), oids::kInet), "192.168.0.1");
  EXPECT_EQ(as_text(Inet::parse("192.168.0.1/24"), oids::kInet), "192.168.0.1/24");
  EXPECT_EQ(as_text(Inet::parse("2001:db8::1/64"), oids::kInet), "2001:db8::1/64");
  EXPECT_EQ(as_text(Inet::parse("::ffff:1.2.3.4"), oids::kInet), "::ffff:1.2.3.4");
  EXPECT_EQ(as_text(Cidr::parse("10.0.0.0/8"), oids::kCidr), "10.0.0.0/8");
  EXPECT_EQ(as_text(Cidr::parse("10.1.2.3/32"), oids::kCidr), "10.1.2.3/32");
}

TEST(BinaryText, TextLikeAndChar) {
  EXPECT_EQ(load_binary<std::string>(std::string("\1{\"a\": 1}", 9), oids::kJsonb), "{\"a\": 1}");
  EXPECT_EQ(load_binary<std::string>("x", oids::kChar), "x");
  EXPECT_EQ(load_binary<std::string>(std::string("\0", 1), oids::kChar), "");
  EXPECT_EQ(load_binary<std::string>("\xc3", oids::kChar), "\\303");
  EXPECT_EQ(load_binary<std::string_view>("x", oids::kChar), "x");
  EXPECT_THROW(load_binary<std::string_view>("\xc3", oids::kChar), DataError);
}

TEST(BinaryText, Arrays) {
  using Strings = std::vector<std::optional<std::string>>;
  EXPECT_EQ(as_text(std::vector<std::optional<int32_t>>{1, std::nullopt, 3}, oids::kInt4Array),
            "{1,NULL,3}");
  EXPECT_EQ(as_text(Strings{"a b", "", std::nullopt, "x\"y\\", "NULL", "null", "{}", "plain"},
                    oids::kTextArray),
            "{\"a b\",\"\",NULL,\"x\\\"y\\\\\",\"NULL\",\"null\",\"{}\",plain}");
  EXPECT_EQ(as_text(std::vector<std::vector<int16_t>>{{1, 2}, {3, 4}, {5, 6}}, oids::kInt2Array),
            "{{1,2},{3,4},{5,6}}");
  EXPECT_EQ(as_text(std::vector<int32_t>{}, oids::kInt4Array), "{}");
  EXPECT_EQ(as_text(std::vector<Bytes>{Bytes("\x01")}, oids::kByteaArray), "{\"\\\\x01\"}");
  // Lower bounds other than 1: [0:1]={1,2}.
  std::string shifted = dump(std::vector<int32_t>{1, 2}, Format::kBinary);
  shifted[19] = 0;  // the lower bound, after ndim, flags, oid and the length
  EXPECT_EQ(load_binary<std::string>(shifted, oids::kInt4Array), "[0:1]={1,2}");
}

TEST(BinaryText, SessionDependentTypesExplainWhatToDo) {
  try {
    load_binary<std::string>(std::string(8, '\0'), oids::kTimestamptz);
    FAIL() << "no DataError";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("timestamptz"), HasSubstr("binary format"),
                                HasSubstr("DateStyle"), HasSubstr("set_prepared_binary_results"),
                                HasSubstr("CursorOptions{.binary = false}")));
  }
  EXPECT_THROW(load_binary<std::string>(std::string(16, '\0'), oids::kInterval), DataError);
  EXPECT_THROW(load_binary<std::string>(std::string(4, '\0'), oids::kRegclass), DataError);
  EXPECT_THROW(load_binary<std::string>(std::string(16, '\0'), 600), DataError);  // point
  try {
    load_binary<std::string_view>(std::string(4, '\0'), oids::kInt4);
    FAIL() << "no DataError";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("int4"), HasSubstr("std::string_view"),
                                HasSubstr("binary format"), HasSubstr("read it as std::string")));
  }
}

TEST(BinaryText, RowNamesTheColumn) {
  RowDescription desc(
      {{"ts", oids::kTimestamptz, Format::kBinary, -1}, {"n", oids::kInt4, Format::kBinary, -1}});
  const std::string ts(8, '\0');
  const std::string n("\0\0\0\x2a", 4);
  FieldData fields[2] = {{ts.data(), 8, false}, {n.data(), 4, false}};
  Row row(desc, fields);
  EXPECT_EQ(row.get<std::string>(1), "42");
  EXPECT_EQ(row.get<std::optional<std::string>>(1), "42");
  EXPECT_EQ(ColumnReader<std::string>(desc, 1).read(fields[1]), "42");
  EXPECT_THROW(scalar_row<std::string>(desc)(row), DataError);
  try {
    row.get<std::string>(0);
    FAIL() << "no DataError";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("column 'ts' (index 0)"), HasSubstr("timestamptz")));
  }
}

}  // namespace
}  // namespace pgcpp
