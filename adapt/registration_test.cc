// User types, the two ways //adapt is extended: a Codec specialisation (static, like the
// builtins) and runtime registration (Dumper/Loader, register_enum/composite/hstore).
// Each in text and binary.
#include "pgcpp/adapt/registration.h"

#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "pgcpp/adapt/codec_test_util.h"
#include "pgcpp/adapt/params.h"
#include "pgcpp/adapt/row.h"

namespace pgcpp {
namespace {

// ---- a static codec: PostgreSQL's point as a struct ------------------------------------
struct Point2 {
  double x = 0, y = 0;
  friend bool operator==(const Point2&, const Point2&) = default;
};
constexpr Oid kPointOid = 600;

}  // namespace

template <>
struct Codec<Point2> {
  static std::string name() { return "Point2"; }
  static constexpr Format kAutoFormat = Format::kBinary;
  static constexpr Oid oid(Format) { return kPointOid; }
  static void dump(const Point2& p, Format f, std::string& out) {
    if (f == Format::kBinary) {
      Codec<double>::dump(p.x, f, out);
      Codec<double>::dump(p.y, f, out);
    } else {
      out.push_back('(');
      Codec<double>::dump(p.x, f, out);
      out.push_back(',');
      Codec<double>::dump(p.y, f, out);
      out.push_back(')');
    }
  }
  static Point2 load(std::string_view data, Format f, Oid oid) {
    if (oid != kPointOid) adapt_internal::throw_cannot_load(name(), oid, f);
    if (f == Format::kBinary) {
      if (data.size() != 16) adapt_internal::throw_binary_size("point", 16, data.size());
      return {Codec<double>::load(data.substr(0, 8), f, oids::kFloat8),
              Codec<double>::load(data.substr(8), f, oids::kFloat8)};
    }
    const size_t comma = data.find(',');
    if (data.size() < 5 || data.front() != '(' || data.back() != ')' || comma == data.npos) {
      adapt_internal::throw_invalid("point", f, data, "expected (x,y)");
    }
    return {Codec<double>::load(data.substr(1, comma - 1), f, oids::kFloat8),
            Codec<double>::load(data.substr(comma + 1, data.size() - comma - 2), f, oids::kFloat8)};
  }
};

namespace {

using ::pgcpp::testing::round_trip;

// One-column result holding `wire` in format f, read back through a Row.
template <class T>
T read_back(const std::string& wire, Oid oid, Format f, const AdaptersMap& map) {
  const RowDescription desc({{"c", oid, f}}, map);
  const FieldData field{wire.data(), static_cast<int32_t>(wire.size()), false};
  return Row(desc, std::span<const FieldData>(&field, 1)).get<T>(0);
}

TEST(UserTypes, StaticCodecBothFormats) {
  const Point2 p{1.5, -2};
  for (ParamFormat pf : {ParamFormat::kText, ParamFormat::kBinary}) {
    const std::array<ParamFormat, 1> formats = {pf};
    const DumpedParams params = dump_params(AdaptersMap::global(), formats, p);
    EXPECT_EQ(params.types()[0], kPointOid);
    EXPECT_EQ(read_back<Point2>(std::string(params.value(0)), kPointOid, params.format(0),
                                AdaptersMap::global()),
              p);
  }
  EXPECT_EQ(round_trip(std::vector<Point2>{p, {}}, Format::kBinary), (std::vector<Point2>{p, {}}));
  EXPECT_EQ(as_literal(p), "'(1.5,-2)'::point");
  EXPECT_THROW(read_back<Point2>("(1,2", kPointOid, Format::kText, AdaptersMap::global()),
               DataError);
}

// ---- runtime registration: a type without a Codec ---------------------------------------
struct Cents {
  int64_t value;
  friend bool operator==(const Cents&, const Cents&) = default;
};

// numeric <-> Cents, text and binary.
class CentsDumper : public TypedDumper<Cents> {
 public:
  explicit CentsDumper(Format f) : TypedDumper(oids::kNumeric, f) {}
  bool dump_value(const Cents& c, std::string& out) const override {
    Numeric n =
        Numeric::from_parts(c.value < 0, std::to_string(c.value < 0 ? -c.value : c.value), 2);
    Codec<Numeric>::dump(n, format(), out);
    return true;
  }
};
class CentsLoader : public TypedLoader<Cents> {
 public:
  explicit CentsLoader(Format f) : TypedLoader(f) {}
  Cents load_value(std::string_view data) const override {
    const Numeric n = Codec<Numeric>::load(data, format(), oids::kNumeric);
    std::string digits(n.digits());
    const int shift = 2 - n.scale();
    if (shift < 0) throw DataError("more than two decimals");
    digits.append(static_cast<size_t>(shift), '0');
    const int64_t v = digits.empty() ? 0 : std::stoll(digits);
    return {n.is_negative() ? -v : v};
  }
};

TEST(UserTypes, RuntimeRegistrationBothFormats) {
  AdaptersMap map;
  for (Format f : {Format::kText, Format::kBinary}) {
    map.register_dumper<Cents>(std::make_shared<CentsDumper>(f));
    map.register_loader(oids::kNumeric, std::make_shared<CentsLoader>(f));
  }
  for (ParamFormat pf : {ParamFormat::kText, ParamFormat::kBinary}) {
    const std::array<ParamFormat, 1> formats = {pf};
    const DumpedParams params = dump_params(map, formats, Cents{-1234});
    EXPECT_EQ(params.types()[0], oids::kNumeric);
    const std::string wire(params.value(0));
    EXPECT_EQ(read_back<Cents>(wire, oids::kNumeric, params.format(0), map), Cents{-1234});
    // Value access goes through the same loader.
    const RowDescription desc({{"c", oids::kNumeric, params.format(0)}}, map);
    const FieldData field{wire.data(), static_cast<int32_t>(wire.size()), false};
    EXPECT_EQ(Row(desc, std::span<const FieldData>(&field, 1)).value(0).get<Cents>(), Cents{-1234});
  }
  // Without the registration the type cannot be sent.
  EXPECT_THROW(dump_params(AdaptersMap::global(), {}, Cents{1}), ProgrammingError);
}

// ---- register_enum ------------------------------------------------------------------------
enum class Mood { kSad, kOk, kHappy, kUnlabelled };

TypeInfo mood_info() {
  return {.name = "mood",
          .oid = 16390,
          .array_oid = 16389,
          .regtype = "mood",
          .kind = TypeKind::kEnum,
          .labels = {"sad", "ok", "happy"}};
}

TEST(Registration, EnumMapping) {
  AdaptersMap map;
  register_enum<Mood>(map, mood_info(),
                      {{Mood::kSad, "sad"}, {Mood::kOk, "ok"}, {Mood::kHappy, "happy"}});
  for (Format f : {Format::kText, Format::kBinary}) {
    EXPECT_EQ(read_back<Mood>("happy", 16390, f, map), Mood::kHappy);
    EXPECT_EQ(read_back<std::optional<Mood>>("ok", 16390, f, map), Mood::kOk);
    try {
      read_back<Mood>("angry", 16390, f, map);
      FAIL();
    } catch (const DataError& e) {
      EXPECT_NE(std::string(e.what()).find("unknown label 'angry' for enum mood"),
                std::string::npos);
    }
  }
  const DumpedParams p = dump_params(map, {}, Mood::kSad);
  EXPECT_EQ(p.types()[0], 16390u);
  EXPECT_EQ(p.format(0), Format::kText);
  EXPECT_STREQ(p.values()[0], "sad");
  EXPECT_THROW(dump_params(map, {}, Mood::kUnlabelled), DataError);
  EXPECT_EQ(as_literal(Mood::kOk, map), "'ok'::mood");
  // Arrays of the enum load element-wise into Values.
  const Value arr = map.get_loader(16389, Format::kText)->load("{sad,happy}");
  EXPECT_EQ(arr.get<Array<Value>>().elements[1].get<Mood>(), Mood::kHappy);
}

TEST(Registration, EnumWithoutMappingLoadsStrings) {
  AdaptersMap map;
  register_type(map, mood_info());
  EXPECT_EQ(read_back<std::string>("ok", 16390, Format::kBinary, map), "ok");
  EXPECT_EQ(map.get_loader(16390, Format::kBinary)->load("ok"), Value("ok"));
}

// ---- register_composite ------------------------------------------------------------------
using ::pgcpp::testing::Item;

TEST(Registration, CompositeStruct) {
  AdaptersMap map;
  register_composite<Item>(map, {.name = "item",
                                 .oid = 16400,
                                 .array_oid = 16399,
                                 .field_names = {"name", "qty"},
                                 .field_types = {oids::kText, oids::kInt4}});
  const DumpedParams p = dump_params(map, {}, Item{"a b", std::nullopt});
  EXPECT_EQ(p.types()[0], 16400u);
  EXPECT_STREQ(p.values()[0], "(\"a b\",)");
  for (Format f : {Format::kText, Format::kBinary}) {
    const std::string wire = ::pgcpp::testing::dump(Item{"x", 3}, f);
    EXPECT_EQ(read_back<Item>(wire, 16400, f, map), (Item{"x", 3}));
    EXPECT_EQ(map.get_loader(16400, f)->load(wire).get<Item>(), (Item{"x", 3}));
  }
}

TEST(Registration, Hstore) {
  AdaptersMap map;
  register_hstore(map, {.name = "hstore", .oid = 16500, .array_oid = 16505, .regtype = "hstore"});
  const Hstore h = {{"a", "1"}, {"b", std::nullopt}};
  const DumpedParams p = dump_params(map, {}, h);
  EXPECT_EQ(p.types()[0], 16500u);
  EXPECT_EQ(dump_params(AdaptersMap::global(), {}, h).types()[0], 0u);  // unregistered
  for (Format f : {Format::kText, Format::kBinary}) {
    const std::string wire = ::pgcpp::testing::dump(h, f);
    EXPECT_EQ(read_back<Hstore>(wire, 16500, f, map), h);
    EXPECT_EQ(map.get_loader(16500, f)->load(wire), Value(h));
  }
  EXPECT_EQ(as_literal(h, map), "'\"a\"=>\"1\", \"b\"=>NULL'::hstore");
}

TEST(Registration, CustomRange) {
  AdaptersMap map;
  register_type(map, {.name = "floatrange",
                      .oid = 16600,
                      .array_oid = 16601,
                      .regtype = "floatrange",
                      .kind = TypeKind::kRange,
                      .subtype_oid = oids::kFloat8});
  const Value r = map.get_loader(16600, Format::kText)->load("[1.5,2.5)");
  EXPECT_EQ(r.as<Range<double>>(), Range<double>(1.5, 2.5));
  // A Range<Value> of doubles is sent with the registered range's oid.
  const DumpedParams p = dump_params(map, {}, r);
  EXPECT_EQ(p.types()[0], 16600u);
}

}  // namespace
}  // namespace pgcpp
