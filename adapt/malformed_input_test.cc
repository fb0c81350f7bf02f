// Every loader, fed garbage and corrupted valid data: it must raise DataError or
// ProgrammingError (the types pgcpp promises), never crash, hang or throw anything else.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "pgcpp/adapt/adapters_map.h"
#include "pgcpp/adapt/codec_test_util.h"
#include "pgcpp/adapt/row.h"

namespace pgcpp {
namespace {

std::vector<Oid> builtin_oids() {
  std::vector<Oid> out;
  const TypesRegistry types;
  for (Oid oid = 1; oid < 10000; ++oid) {
    const TypeInfo* info = types.get(oid);
    if (info != nullptr && info->oid == oid) {
      out.push_back(oid);
      if (info->array_oid != 0) out.push_back(info->array_oid);
    }
  }
  return out;
}

// Valid encodings to corrupt, in both formats.
std::vector<std::string> seeds(Format f) {
  using ::pgcpp::testing::dump;
  return {dump(int32_t{123456}, f),
          dump(Numeric("-1234.5678"), f),
          dump(std::vector<std::optional<int64_t>>{1, std::nullopt, 3}, f),
          dump(std::vector<std::vector<std::string>>{{"a b", "\"q\""}, {"", "NULL"}}, f),
          dump(Range<int32_t>(1, 5), f),
          dump(Multirange<Date>{{Range<Date>(Date(), std::nullopt)}}, f),
          dump(std::tuple<int16_t, std::string, std::optional<double>>{1, "x,y", 2.5}, f),
          dump(TimestampTz::from_micros(123456789), f),
          dump(TimeTz::from(Time::from_hms(1, 2, 3), 3600), f),
          dump(Interval(14, -3, 5000000), f),
          dump(Inet::parse("2001:db8::1/64"), f),
          dump(Uuid::parse("f47ac10b-58cc-4372-a567-0e02b2c3d479"), f),
          dump(Hstore{{"a", "1"}, {"b", std::nullopt}}, f),
          dump(Jsonb{"{}"}, f)};
}

std::string mutate(std::string s, std::mt19937& rng) {
  if (s.empty()) return std::string(1, static_cast<char>(rng()));
  switch (rng() % 4) {
    case 0:
      s[rng() % s.size()] = static_cast<char>(rng());
      break;
    case 1:
      s.resize(rng() % s.size());
      break;
    case 2:
      s.insert(rng() % s.size(), 1, "{}(),\"\\[]=:- x0\xff"[rng() % 17]);
      break;
    default:
      s.append(s.substr(0, rng() % s.size()));
  }
  return s;
}

template <class F>
void expect_only_pgcpp_errors(F&& f, const std::string& context) {
  try {
    f();
  } catch (const DataError&) {
  } catch (const ProgrammingError&) {
  } catch (const std::exception& e) {
    ADD_FAILURE() << context << ": unexpected exception " << e.what();
  }
}

TEST(MalformedInput, ValueLoadersRaiseOnlyPgcppErrors) {
  const AdaptersMap map;
  std::mt19937 rng(77);
  for (Format f : {Format::kText, Format::kBinary}) {
    const std::vector<std::string> valid = seeds(f);
    for (Oid oid : builtin_oids()) {
      const auto loader = map.get_loader(oid, f);
      for (int i = 0; i < 60; ++i) {
        std::string data;
        if (i % 3 == 0) {
          data.resize(rng() % 24);
          for (char& c : data) c = static_cast<char>(rng());
        } else {
          data = mutate(valid[rng() % valid.size()], rng);
        }
        expect_only_pgcpp_errors(
            [&] { loader->load(data); },
            "oid " + std::to_string(oid) + " format " + std::to_string(static_cast<int>(f)));
      }
    }
  }
}

template <class T>
void fuzz_codec(std::mt19937& rng, Oid oid) {
  for (Format f : {Format::kText, Format::kBinary}) {
    const std::vector<std::string> valid = seeds(f);
    for (int i = 0; i < 300; ++i) {
      const std::string data = mutate(valid[rng() % valid.size()], rng);
      expect_only_pgcpp_errors([&] { Codec<T>::load(data, f, oid); },
                               adapt_internal::type_name<T>());
    }
  }
}

TEST(MalformedInput, StaticCodecsRaiseOnlyPgcppErrors) {
  std::mt19937 rng(78);
  fuzz_codec<int32_t>(rng, oids::kInt4);
  fuzz_codec<double>(rng, oids::kFloat8);
  fuzz_codec<Numeric>(rng, oids::kNumeric);
  fuzz_codec<Date>(rng, oids::kDate);
  fuzz_codec<TimestampTz>(rng, oids::kTimestamptz);
  fuzz_codec<TimeTz>(rng, oids::kTimetz);
  fuzz_codec<Interval>(rng, oids::kInterval);
  fuzz_codec<Uuid>(rng, oids::kUuid);
  fuzz_codec<Inet>(rng, oids::kInet);
  fuzz_codec<Bytes>(rng, oids::kBytea);
  fuzz_codec<std::vector<std::optional<int64_t>>>(rng, oids::kInt8Array);
  fuzz_codec<std::vector<std::vector<std::string>>>(rng, oids::kTextArray);
  fuzz_codec<Array<std::optional<std::string>>>(rng, oids::kTextArray);
  fuzz_codec<Range<int32_t>>(rng, oids::kInt4range);
  fuzz_codec<Multirange<Date>>(rng, oids::kDatemultirange);
  fuzz_codec<std::tuple<int16_t, std::string, std::optional<double>>>(rng, oids::kRecord);
  fuzz_codec<Hstore>(rng, 16500);
  fuzz_codec<Jsonb>(rng, oids::kJsonb);
}

TEST(MalformedInput, NoPartialValue) {
  // A failed load leaves nothing behind: the result is either a whole value or an error.
  std::vector<int32_t> v = {9};
  EXPECT_THROW(v = Codec<std::vector<int32_t>>::load("{1,2,x}", Format::kText, oids::kInt4Array),
               DataError);
  EXPECT_EQ(v, std::vector<int32_t>{9});
}

TEST(ColumnReader, SameResultsAndErrorsAsRowGet) {
  const RowDescription desc(
      {{"n", oids::kInt8, Format::kBinary}, {"t", oids::kText, Format::kText}});
  const std::string one = ::pgcpp::testing::dump(int64_t{1} << 40, Format::kBinary);
  const FieldData fields[2] = {{one.data(), 8, false}, {nullptr, 0, true}};
  const ColumnReader<int64_t> n(desc, 0);
  EXPECT_EQ(n.read(fields[0]), int64_t{1} << 40);
  const ColumnReader<int32_t> narrow(desc, "n");
  try {
    narrow.read(fields[0]);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("column 'n' (index 0)"), std::string::npos);
  }
  const ColumnReader<std::optional<std::string>> t(desc, 1);
  EXPECT_EQ(t.read(fields[1]), std::nullopt);
  EXPECT_THROW(ColumnReader<std::string>(desc, 1).read(fields[1]), DataError);
  EXPECT_TRUE(ColumnReader<Value>(desc, 1).read(fields[1]).is_null());
  EXPECT_THROW(ColumnReader<int32_t>(desc, 2), ProgrammingError);
  EXPECT_THROW(ColumnReader<int32_t>(desc, "nope"), ProgrammingError);
}

}  // namespace
}  // namespace pgcpp
