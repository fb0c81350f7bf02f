#include "pgcpp/adapt/row.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "pgcpp/adapt/codec_test_util.h"

namespace pgcpp {
namespace {

struct User {
  int64_t id = 0;
  std::string name;
  std::optional<double> score;
};

struct Pair {
  int32_t a;
  std::string b;
};

}  // namespace

template <>
struct Fields<User> {
  static constexpr auto kFields = std::make_tuple(
      field("id", &User::id), field("name", &User::name), field("score", &User::score));
};

namespace {

using ::pgcpp::testing::dump;

// A result held in memory the way libpq holds it.
class FakeResult {
 public:
  explicit FakeResult(std::vector<Column> columns) : columns_(std::move(columns)) {}
  // Adds a row; std::nullopt is NULL. Values are wire bytes in each column's format.
  void add_row(std::vector<std::optional<std::string>> values) {
    rows_.push_back(std::move(values));
  }
  RowDescription describe(const AdaptersMap& map = AdaptersMap::global()) const {
    return RowDescription(columns_, map);
  }
  std::vector<FieldData> fields(size_t row) const {
    std::vector<FieldData> out;
    for (const auto& v : rows_[row]) {
      out.push_back(v ? FieldData{v->data(), static_cast<int32_t>(v->size()), false}
                      : FieldData{nullptr, 0, true});
    }
    return out;
  }

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::optional<std::string>>> rows_;
};

FakeResult users() {
  FakeResult r({{"id", oids::kInt8, Format::kBinary},
                {"name", oids::kText, Format::kText},
                {"score", oids::kFloat8, Format::kText}});
  r.add_row({dump(int64_t{1}, Format::kBinary), "Ann", "1.5"});
  r.add_row({dump(int64_t{2}, Format::kBinary), "Bob", std::nullopt});
  return r;
}

TEST(Row, TypedAccess) {
  const FakeResult result = users();
  const RowDescription desc = result.describe();
  const auto fields = result.fields(0);
  const Row row(desc, fields);
  EXPECT_EQ(row.size(), 3u);
  EXPECT_EQ(row.column_name(1), "name");
  EXPECT_EQ(row.get<int64_t>(0), 1);
  EXPECT_EQ(row.get<int32_t>("id"), 1);
  EXPECT_EQ(row.get<std::string>(1), "Ann");
  EXPECT_EQ(row.get<std::string_view>("name").data(), fields[1].data);  // zero copy
  EXPECT_EQ(row.get<double>(2), 1.5);
  EXPECT_EQ(row.get<std::optional<double>>(2), 1.5);
  auto [id, name, score] = row.as<int64_t, std::string, std::optional<double>>();
  EXPECT_EQ(id, 1);
  EXPECT_EQ(name, "Ann");
  EXPECT_EQ(score, 1.5);
  EXPECT_EQ(row.value(0), Value(int64_t{1}));
  EXPECT_EQ(row.value("score"), Value(1.5));
  EXPECT_EQ(row.get<Value>(1), Value("Ann"));
}

TEST(Row, Nulls) {
  const FakeResult result = users();
  const RowDescription desc = result.describe();
  const auto fields = result.fields(1);
  const Row row(desc, fields);
  EXPECT_TRUE(row.is_null(2));
  EXPECT_EQ(row.get<std::optional<double>>(2), std::nullopt);
  EXPECT_TRUE(row.value(2).is_null());
  try {
    row.get<double>(2);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_STREQ(e.what(),
                 "column 'score' (index 2) is NULL, which double cannot hold; read it as "
                 "std::optional");
  }
}

TEST(Row, ErrorsNameTheColumnAndTypes) {
  const FakeResult result = users();
  const RowDescription desc = result.describe();
  const auto fields = result.fields(0);
  const Row row(desc, fields);
  try {
    row.get<int64_t>("name");
    FAIL();
  } catch (const ProgrammingError& e) {
    EXPECT_STREQ(e.what(),
                 "column 'name' (index 1): cannot load text (oid 25) text data into int64_t");
  }
  EXPECT_EQ(row.get<int16_t>(0), 1);  // int8 column, value fits
}

TEST(Row, RangeAndLookupErrors) {
  FakeResult result({{"big", oids::kInt8, Format::kText}, {"bad", oids::kInt4, Format::kText}});
  result.add_row({"99999999999", "x1"});
  const RowDescription desc = result.describe();
  const auto fields = result.fields(0);
  const Row row(desc, fields);
  try {
    row.get<int32_t>(0);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_STREQ(e.what(),
                 "column 'big' (index 0): value 99999999999 (int8 (oid 20)) is out of range for "
                 "int32_t");
  }
  EXPECT_THROW(row.get<int32_t>(1), DataError);
  EXPECT_THROW(row.value(1), DataError);
  EXPECT_THROW(row.get<int32_t>(2), ProgrammingError);
  try {
    row.get<int32_t>("nope");
    FAIL();
  } catch (const ProgrammingError& e) {
    EXPECT_STREQ(e.what(), "no column named 'nope' in the result (columns: 'big', 'bad')");
  }
  EXPECT_THROW((row.as<int64_t>()), ProgrammingError);
  const std::vector<FieldData> one(1);
  EXPECT_THROW(Row(desc, one), ProgrammingError);
}

class TimesTenLoader : public TypedLoader<int64_t> {
 public:
  TimesTenLoader() : TypedLoader(Format::kText) {}
  int64_t load_value(std::string_view data) const override {
    return 10 * Codec<int64_t>::load(data, Format::kText, oids::kInt8);
  }
};

class StringLoader : public Loader {
 public:
  StringLoader() : Loader(Format::kText) {}
  Value load(std::string_view data) const override { return Value("<" + std::string(data) + ">"); }
};

TEST(Row, RegisteredLoadersOverrideCodecsPerColumn) {
  AdaptersMap map;
  map.register_loader(oids::kInt8, std::make_shared<TimesTenLoader>());
  map.register_loader(oids::kInt4, std::make_shared<StringLoader>());
  FakeResult result({{"a", oids::kInt8, Format::kText},
                     {"b", oids::kInt4, Format::kText},
                     {"c", oids::kInt2, Format::kText}});
  result.add_row({"4", "5", "6"});
  const RowDescription desc = result.describe(map);
  EXPECT_TRUE(desc.has_user_loader(0));
  EXPECT_FALSE(desc.has_user_loader(2));
  const auto fields = result.fields(0);
  const Row row(desc, fields);
  EXPECT_EQ(row.get<int64_t>(0), 40);
  EXPECT_EQ(row.get<int32_t>(0), 40);  // through the Value the loader returns
  EXPECT_EQ(row.value(0), Value(int64_t{40}));
  EXPECT_EQ(row.get<std::string>(1), "<5>");
  EXPECT_THROW(row.get<int32_t>(1), ProgrammingError);
  EXPECT_THROW(row.get<std::string_view>(1), ProgrammingError);
  EXPECT_EQ(row.get<int32_t>(2), 6);
  // The map used for the description is a snapshot: later registrations do not apply.
  map.register_loader(oids::kInt2, std::make_shared<TimesTenLoader>());
  EXPECT_EQ(row.get<int32_t>(2), 6);
}

TEST(RowFactories, TupleTypedDictScalar) {
  const FakeResult result = users();
  const RowDescription desc = result.describe();
  const auto f0 = result.fields(0);
  const Row row(desc, f0);
  EXPECT_EQ(tuple_row(desc)(row),
            (std::vector<Value>{Value(int64_t{1}), Value("Ann"), Value(1.5)}));
  EXPECT_EQ((typed_row<int64_t, std::string, std::optional<double>>(desc)(row)),
            (std::tuple<int64_t, std::string, std::optional<double>>{1, "Ann", 1.5}));
  EXPECT_THROW((typed_row<int64_t>(desc)), ProgrammingError);
  const DictRow d = dict_row(desc)(row);
  EXPECT_EQ(d.at("name"), Value("Ann"));
  EXPECT_EQ(d.size(), 3u);
  EXPECT_EQ(scalar_row<int64_t>(desc)(row), 1);
  EXPECT_EQ(scalar_row<>(desc)(row), Value(int64_t{1}));
  const RowDescription empty(std::vector<Column>{});
  try {
    scalar_row<>(empty);
    FAIL();
  } catch (const ProgrammingError& e) {
    EXPECT_STREQ(e.what(), "at least one column expected");
  }
}

TEST(RowFactories, DictRowDuplicateNamesLastWins) {
  FakeResult result({{"x", oids::kInt4, Format::kText}, {"x", oids::kText, Format::kText}});
  result.add_row({"1", "two"});
  const RowDescription desc = result.describe();
  const auto f = result.fields(0);
  EXPECT_EQ(dict_row(desc)(Row(desc, f)).at("x"), Value("two"));
}

TEST(RowFactories, ClassRowByNameAndByOrder) {
  // Columns in another order than the struct: by name.
  FakeResult result({{"score", oids::kFloat8, Format::kText},
                     {"name", oids::kText, Format::kText},
                     {"id", oids::kInt8, Format::kText},
                     {"extra", oids::kInt4, Format::kText}});
  result.add_row({std::nullopt, "Cy", "3", "0"});
  const RowDescription desc = result.describe();
  const auto f = result.fields(0);
  const User u = class_row<User>(desc)(Row(desc, f));
  EXPECT_EQ(u.id, 3);
  EXPECT_EQ(u.name, "Cy");
  EXPECT_EQ(u.score, std::nullopt);

  FakeResult missing({{"id", oids::kInt8, Format::kText}});
  EXPECT_THROW(class_row<User>(missing.describe()), ProgrammingError);

  FakeResult pair({{"x", oids::kInt4, Format::kText}, {"y", oids::kText, Format::kText}});
  pair.add_row({"7", "seven"});
  const RowDescription pdesc = pair.describe();
  const auto pf = pair.fields(0);
  const Pair p = class_row<Pair>(pdesc)(Row(pdesc, pf));
  EXPECT_EQ(p.a, 7);
  EXPECT_EQ(p.b, "seven");
  EXPECT_THROW(class_row<Pair>(desc), ProgrammingError);  // 4 columns for 2 members
}

}  // namespace
}  // namespace pgcpp
