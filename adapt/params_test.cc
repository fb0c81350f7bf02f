#include "pgcpp/adapt/params.h"

#include <array>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace pgcpp {
namespace {

struct NoCodec {};

TEST(DumpParams, PackFillsLibpqArrays) {
  const std::optional<int64_t> none;
  const char* null_str = nullptr;
  const DumpedParams p =
      dump_params(AdaptersMap::global(), {}, int32_t{7}, "Ann", std::string("x"), none,
                  std::nullopt, nullptr, null_str, std::optional<double>(1.5));
  ASSERT_EQ(p.size(), 8);
  EXPECT_EQ(p.types()[0], oids::kInt4);
  EXPECT_EQ(p.formats()[0], 1);
  EXPECT_EQ(p.lengths()[0], 4);
  EXPECT_EQ(p.value(0), std::string_view("\0\0\0\7", 4));
  // Strings: unknown oid, text, NUL-terminated for libpq.
  EXPECT_EQ(p.types()[1], 0u);
  EXPECT_EQ(p.formats()[1], 0);
  EXPECT_STREQ(p.values()[1], "Ann");
  EXPECT_STREQ(p.values()[2], "x");
  for (int i : {3, 4, 5, 6}) {
    EXPECT_TRUE(p.is_null(i));
    EXPECT_EQ(p.values()[i], nullptr);
    EXPECT_EQ(p.types()[i], 0u);
  }
  EXPECT_EQ(p.types()[7], oids::kFloat8);
  // One buffer: every value points inside it, in order.
  for (int i = 1; i < p.size(); ++i) {
    if (p.is_null(i) || p.is_null(i - 1)) continue;
    EXPECT_GT(p.values()[i], p.values()[i - 1]);
  }
}

TEST(DumpParams, FormatsFromPlaceholders) {
  const std::array<ParamFormat, 3> formats = {ParamFormat::kBinary, ParamFormat::kText,
                                              ParamFormat::kAuto};
  const DumpedParams p =
      dump_params(AdaptersMap::global(), formats, std::string("s"), 5, Numeric("1"));
  EXPECT_EQ(p.types()[0], oids::kText);  // %b string: text's binary form
  EXPECT_EQ(p.format(0), Format::kBinary);
  EXPECT_EQ(p.format(1), Format::kText);
  EXPECT_STREQ(p.values()[1], "5");
  EXPECT_EQ(p.format(2), Format::kText);  // numeric prefers text
  EXPECT_EQ(p.types()[2], oids::kNumeric);
  EXPECT_THROW(dump_params(AdaptersMap::global(), formats, 1, 2), ProgrammingError);
}

TEST(DumpParams, UnknownTypeIsAProgrammingError) {
  try {
    dump_params(AdaptersMap::global(), {}, NoCodec{});
    FAIL();
  } catch (const ProgrammingError& e) {
    EXPECT_STREQ(e.what(),
                 "cannot adapt type 'pgcpp::(anonymous namespace)::NoCodec' using placeholder "
                 "'%s' (format: AUTO)");
  }
}

class NoCodecDumper : public TypedDumper<NoCodec> {
 public:
  NoCodecDumper() : TypedDumper(oids::kInt4, Format::kText) {}
  bool dump_value(const NoCodec&, std::string& out) const override {
    out.append("42");
    return true;
  }
};

TEST(DumpParams, RegisteredDumpersWin) {
  AdaptersMap map;
  map.register_dumper<NoCodec>(std::make_shared<NoCodecDumper>());
  const DumpedParams p = dump_params(map, {}, NoCodec{}, std::vector<Value>{});
  EXPECT_EQ(p.types()[0], oids::kInt4);
  EXPECT_STREQ(p.values()[0], "42");
  EXPECT_EQ(as_literal(NoCodec{}, map), "'42'::int4");
  EXPECT_EQ(p.types()[1], 0u);  // empty Value array: unknown
}

TEST(DumpParams, RunTimeLists) {
  const std::vector<Value> values = {Value(1), Value(), Value("x"),
                                     Value::from(std::vector<int64_t>{1})};
  const DumpedParams p = dump_params(AdaptersMap::global(), {}, std::span<const Value>(values));
  ASSERT_EQ(p.size(), 4);
  EXPECT_EQ(p.types()[0], oids::kInt4);
  EXPECT_TRUE(p.is_null(1));
  EXPECT_STREQ(p.values()[2], "x");
  EXPECT_EQ(p.types()[3], oids::kInt8Array);

  const int64_t id = 3;
  const std::string name = "n";
  const std::optional<Date> day;
  const std::vector<ParamRef> refs = {id, name, day, values[2]};
  const DumpedParams q = dump_params(AdaptersMap::global(), {}, std::span<const ParamRef>(refs));
  EXPECT_EQ(q.types()[0], oids::kInt8);
  EXPECT_STREQ(q.values()[1], "n");
  EXPECT_TRUE(q.is_null(2));
  EXPECT_STREQ(q.values()[3], "x");
}

TEST(DumpParams, CopiesAndMovesKeepPointersValid) {
  DumpedParams p = dump_params(AdaptersMap::global(), {}, "a", 1);  // fits in SSO
  DumpedParams copy = p;
  EXPECT_STREQ(copy.values()[0], "a");
  EXPECT_NE(copy.values()[0], p.values()[0]);
  DumpedParams moved = std::move(p);
  EXPECT_STREQ(moved.values()[0], "a");
  EXPECT_EQ(moved.value(1), std::string_view("\0\0\0\1", 4));
}

TEST(DumpParams, ReuseKeepsCapacity) {
  DumpedParams p;
  for (int i = 0; i < 3; ++i) {
    dump_params_into(p, AdaptersMap::global(), {}, i, std::string(100, 'x'));
    EXPECT_EQ(p.size(), 2);
    EXPECT_EQ(p.value(1).size(), 100u);
  }
}

TEST(AsLiteral, PsycopgRules) {
  EXPECT_EQ(as_literal(std::string("it's")), "'it''s'");
  EXPECT_EQ(as_literal(std::string("a\\b")), " E'a\\\\b'");
  EXPECT_EQ(as_literal(42), "42");
  EXPECT_EQ(as_literal(-42), " -42");
  EXPECT_EQ(as_literal(true), "true");
  EXPECT_EQ(as_literal(std::nullopt), "NULL");
  EXPECT_EQ(as_literal(std::optional<int>()), "NULL");
  EXPECT_EQ(as_literal(Value()), "NULL");
  EXPECT_EQ(as_literal(Date()), "'2000-01-01'::date");
  EXPECT_EQ(as_literal(TimestampTz()), "'2000-01-01 00:00:00+00'::timestamptz");
  EXPECT_EQ(as_literal(std::vector<int32_t>{1, 2}), "'{1,2}'::int4[]");
  EXPECT_EQ(as_literal(std::vector<std::string>{"a"}), "'{a}'");
  EXPECT_EQ(as_literal(Numeric::nan()), "'NaN'::numeric");
  EXPECT_EQ(as_literal(Numeric("-1.5")), " -1.5");
  EXPECT_EQ(as_literal(std::numeric_limits<double>::infinity()), "'Infinity'::float8");
  EXPECT_EQ(as_literal(Bytes("\x01")), " E'\\\\x01'::bytea");
  EXPECT_EQ(as_literal('x'), "'x'::\"char\"");
  EXPECT_EQ(as_literal(Jsonb{"{}"}), "'{}'::jsonb");
  EXPECT_EQ(as_literal(Value(Date())), "'2000-01-01'::date");
  EXPECT_EQ(as_literal(Value::from(std::vector<int64_t>{1})), "'{1}'::int8[]");
  EXPECT_EQ(as_literal(Range<int32_t>(1, 2)), "'[1,2)'::int4range");
  // A user type registered with a non-builtin oid is cast by its regtype.
  AdaptersMap map;
  map.types().add({.name = "mood", .oid = 16390, .array_oid = 16389, .regtype = "public.mood"});
  class MoodDumper : public TypedDumper<NoCodec> {
   public:
    MoodDumper() : TypedDumper(16390, Format::kText) {}
    bool dump_value(const NoCodec&, std::string& out) const override {
      out.append("ok");
      return true;
    }
  };
  map.register_dumper<NoCodec>(std::make_shared<MoodDumper>());
  EXPECT_EQ(as_literal(NoCodec{}, map), "'ok'::public.mood");
  EXPECT_THROW(as_literal(NoCodec{}), ProgrammingError);
}

}  // namespace
}  // namespace pgcpp
