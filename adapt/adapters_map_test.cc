#include "pgcpp/adapt/adapters_map.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "pgcpp/adapt/codec_test_util.h"

namespace pgcpp {
namespace {

using ::pgcpp::testing::dump;

class FixedLoader : public TypedLoader<int64_t> {
 public:
  FixedLoader(Format f, int64_t v) : TypedLoader(f), v_(v) {}
  int64_t load_value(std::string_view) const override { return v_; }

 private:
  int64_t v_;
};

class ShoutDumper : public TypedDumper<std::string> {
 public:
  ShoutDumper() : TypedDumper(oids::kText, Format::kText) {}
  bool dump_value(const std::string& s, std::string& out) const override {
    out.append(s).append("!");
    return true;
  }
};

Value load(const AdaptersMap& map, Oid oid, Format f, std::string_view data) {
  return map.get_loader(oid, f)->load(data);
}

TEST(AdaptersMap, BuiltinLoadersProduceTheNaturalAlternative) {
  const AdaptersMap map;
  EXPECT_EQ(load(map, oids::kInt4, Format::kBinary, std::string("\0\0\0\7", 4)), Value(7));
  EXPECT_EQ(load(map, oids::kInt8, Format::kText, "-5"), Value(int64_t{-5}));
  EXPECT_EQ(load(map, oids::kOid, Format::kText, "5"), Value(int64_t{5}));
  EXPECT_EQ(load(map, oids::kNumeric, Format::kText, "1.5"), Value(Numeric("1.5")));
  EXPECT_EQ(load(map, oids::kVarchar, Format::kBinary, "x"), Value("x"));
  EXPECT_EQ(load(map, oids::kJsonb, Format::kBinary, "\x01[]"), Value(Jsonb{"[]"}));
  EXPECT_EQ(load(map, oids::kTimestamptz, Format::kText, "2000-01-01 00:00:00+00"),
            Value(TimestampTz()));
  const Value arr = load(map, oids::kTextArray, Format::kText, "{a,NULL,\"b c\"}");
  EXPECT_EQ(arr.get<Array<Value>>().elements,
            (std::vector<Value>{Value("a"), Value(), Value("b c")}));
  const Value arr2 = load(map, oids::kInt4Array, Format::kBinary,
                          dump(std::vector<std::vector<int32_t>>{{1}, {2}}, Format::kBinary));
  EXPECT_EQ(arr2.as<std::vector<std::vector<int32_t>>>(),
            (std::vector<std::vector<int32_t>>{{1}, {2}}));
  EXPECT_EQ(load(map, oids::kInt4range, Format::kText, "[1,2)").get<Range<Value>>(),
            Range<Value>(Value(1), Value(2)));
  EXPECT_EQ(load(map, oids::kInt8multirange, Format::kText, "{[1,2)}").as<Multirange<int64_t>>(),
            Multirange<int64_t>{{Range<int64_t>(1, 2)}});
  EXPECT_EQ(
      load(map, 1020, Format::kText, "{(1,1),(0,0);(2,2),(1,1)}").as<std::vector<std::string>>(),
      (std::vector<std::string>{"(1,1),(0,0)", "(2,2),(1,1)"}));
  // The reg* types print names: strings in text (as psycopg), the oid in binary.
  EXPECT_EQ(load(map, oids::kRegclass, Format::kText, "pg_class"), Value("pg_class"));
  EXPECT_EQ(load(map, oids::kRegtype, Format::kText, "integer"), Value("integer"));
  EXPECT_EQ(load(map, 4096, Format::kText, "postgres"), Value("postgres"));  // regrole
  EXPECT_EQ(load(map, oids::kRegclass, Format::kBinary, std::string("\0\0\x04\xeb", 4)),
            Value(int64_t{1259}));
  EXPECT_EQ(load(map, oids::kOid, Format::kBinary, std::string("\0\0\x04\xeb", 4)),
            Value(int64_t{1259}));
  // Unknown types: text, or raw bytes in binary.
  EXPECT_EQ(load(map, 600, Format::kText, "(1,2)"), Value("(1,2)"));
  EXPECT_EQ(load(map, 99999, Format::kBinary, "\x01\x02"), Value(Bytes("\x01\x02")));
}

TEST(AdaptersMap, Records) {
  const AdaptersMap map;
  // Anonymous records: text fields are strings, binary fields follow their oids.
  EXPECT_EQ(load(map, oids::kRecord, Format::kText, "(1,,x)").get<Record>().fields,
            (std::vector<Value>{Value("1"), Value(), Value("x")}));
  const std::string bin =
      dump(std::tuple<int32_t, std::optional<double>>{3, std::nullopt}, Format::kBinary);
  EXPECT_EQ(load(map, oids::kRecord, Format::kBinary, bin).get<Record>().fields,
            (std::vector<Value>{Value(3), Value()}));
  // Registered composites: typed fields in text too.
  AdaptersMap with_type = map;
  with_type.types().add({.name = "pair",
                         .oid = 16500,
                         .array_oid = 16499,
                         .kind = TypeKind::kComposite,
                         .field_names = {"a", "b"},
                         .field_types = {oids::kInt4, oids::kText}});
  const Value v = load(with_type, 16500, Format::kText, "(5,x)");
  EXPECT_EQ(v.get<Record>().type_oid, 16500u);
  EXPECT_EQ(v.get<Record>().fields, (std::vector<Value>{Value(5), Value("x")}));
  EXPECT_THROW(load(with_type, 16500, Format::kText, "(5)"), DataError);
  const Value arr = load(with_type, 16499, Format::kText, "{\"(1,a)\",\"(2,b)\"}");
  EXPECT_EQ(arr.get<Array<Value>>().elements[1].get<Record>().fields[0], Value(2));
}

TEST(AdaptersMap, CopyOnWrite) {
  AdaptersMap parent;
  AdaptersMap child = parent;
  parent.register_loader(oids::kInt8, std::make_shared<FixedLoader>(Format::kText, 42));
  EXPECT_TRUE(parent.has_user_loader(oids::kInt8, Format::kText));
  EXPECT_FALSE(parent.has_user_loader(oids::kInt8, Format::kBinary));
  EXPECT_FALSE(child.has_user_loader(oids::kInt8, Format::kText));  // made before
  EXPECT_EQ(load(parent, oids::kInt8, Format::kText, "1"), Value(int64_t{42}));
  EXPECT_EQ(load(child, oids::kInt8, Format::kText, "1"), Value(int64_t{1}));
  AdaptersMap grandchild = parent;
  grandchild.register_loader(oids::kInt8, std::make_shared<FixedLoader>(Format::kText, 7));
  EXPECT_EQ(load(parent, oids::kInt8, Format::kText, "1"), Value(int64_t{42}));
  EXPECT_EQ(load(grandchild, oids::kInt8, Format::kText, "1"), Value(int64_t{7}));
  // Array columns see their element's override.
  EXPECT_TRUE(parent.has_user_loader(oids::kInt8Array, Format::kText));
  EXPECT_EQ(load(parent, oids::kInt8Array, Format::kText, "{1,2}").get<Array<Value>>().elements,
            (std::vector<Value>{Value(int64_t{42}), Value(int64_t{42})}));
  EXPECT_EQ(load(parent, oids::kInt8range, Format::kText, "[1,2)").get<Range<Value>>().lower(),
            Value(int64_t{42}));
}

TEST(AdaptersMap, LoaderByTypeName) {
  AdaptersMap map;
  map.register_loader("bigint", std::make_shared<FixedLoader>(Format::kBinary, 9));
  EXPECT_TRUE(map.has_user_loader(oids::kInt8, Format::kBinary));
  EXPECT_THROW(map.register_loader("nosuch", std::make_shared<FixedLoader>(Format::kBinary, 9)),
               ProgrammingError);
}

TEST(AdaptersMap, Dumpers) {
  AdaptersMap map;
  EXPECT_FALSE(map.has_user_dumpers());
  // Builtin dumpers for Value's alternatives.
  auto d = map.get_dumper(typeid(int32_t), ParamFormat::kAuto);
  EXPECT_EQ(d->oid(), oids::kInt4);
  EXPECT_EQ(d->format(), Format::kBinary);
  EXPECT_EQ(map.get_dumper(typeid(std::string), ParamFormat::kBinary)->oid(), oids::kText);
  try {
    map.get_dumper(typeid(std::map<int, int>), ParamFormat::kAuto);
    FAIL();
  } catch (const ProgrammingError& e) {
    EXPECT_NE(std::string(e.what()).find("using placeholder '%s' (format: AUTO)"),
              std::string::npos);
  }
  map.register_dumper<std::string>(std::make_shared<ShoutDumper>());
  EXPECT_TRUE(map.has_user_dumpers());
  ASSERT_NE(map.find_dumper(typeid(std::string), ParamFormat::kAuto), nullptr);
  ASSERT_NE(map.find_dumper(typeid(std::string), ParamFormat::kText), nullptr);
  EXPECT_EQ(map.find_dumper(typeid(std::string), ParamFormat::kBinary), nullptr);
  std::string out;
  EXPECT_TRUE(
      map.get_dumper(typeid(std::string), ParamFormat::kText)->dump(std::string("hi"), out));
  EXPECT_EQ(out, "hi!");
  EXPECT_THROW(map.get_dumper(typeid(std::string), ParamFormat::kText)->dump(1, out),
               ProgrammingError);
  // Registered under the wrong type.
  EXPECT_THROW(map.register_dumper<int>(std::make_shared<ShoutDumper>()), ProgrammingError);
  // By oid, with its own oid.
  EXPECT_EQ(map.get_dumper_by_oid(oids::kText, Format::kText).get(),
            map.find_dumper(typeid(std::string), ParamFormat::kText));
}

TEST(AdaptersMap, DumperByOidConvertsValues) {
  const AdaptersMap map;
  auto d = map.get_dumper_by_oid(oids::kInt2, Format::kBinary);
  std::string out;
  EXPECT_TRUE(d->dump(Value(int64_t{5}), out));
  EXPECT_EQ(out, std::string("\0\5", 2));
  EXPECT_THROW(d->dump(Value(int64_t{1} << 20), out), DataError);
  EXPECT_FALSE(d->dump(Value(), out));
  out.clear();
  auto arr = map.get_dumper_by_oid(oids::kInt4Array, Format::kText);
  EXPECT_TRUE(arr->dump(Value::from(std::vector<int32_t>{1, 2}), out));
  EXPECT_EQ(out, "{1,2}");
  EXPECT_EQ(arr->oid(), oids::kInt4Array);
  EXPECT_THROW(map.get_dumper_by_oid(99999, Format::kText), ProgrammingError);
}

TEST(AdaptersMap, GlobalIsShared) {
  AdaptersMap& g = AdaptersMap::global();
  EXPECT_EQ(&g, &AdaptersMap::global());
  const AdaptersMap copy = g;
  EXPECT_FALSE(copy.has_user_loader(oids::kInt4, Format::kText));
}

}  // namespace
}  // namespace pgcpp
