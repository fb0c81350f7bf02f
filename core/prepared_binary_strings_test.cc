// Reading columns as std::string gives the same text whether a prepared statement's
// results come in text (the first executions) or in binary (once prepared: see
// pgcpp/core/prepared_statements.h and pgcpp/adapt/binary_text.h).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "pgcpp/adapt/row.h"
#include "pgcpp/core/connection.h"
#include "pgcpp/core/cursor.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/testing/database.h"

namespace pgcpp {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

class PreparedBinaryStringsTest : public pgcpp::testing::DatabaseTest {
 protected:
  static Connection connect() { return Connection::connect(dsn(), {.autocommit = true}); }
};

// One value per type family, with the edge values of each.
constexpr const char* kQuery = R"(SELECT %s::int4 AS param,
  (-32768)::int2 AS int2, 2147483647::int4 AS int4, (-9223372036854775808)::int8 AS int8,
  4294967295::oid AS oid,
  0.000000000000000000000000000012300::numeric AS numeric_small,
  (-123456789.120000)::numeric AS numeric_scale, 0.00::numeric AS numeric_zero,
  1e30::numeric AS numeric_big, 'NaN'::numeric AS numeric_nan,
  'Infinity'::numeric AS numeric_inf, '-Infinity'::numeric AS numeric_ninf,
  true AS bool_t, false AS bool_f,
  'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid AS uuid,
  1e16::float8 AS f8_1, 1.5e-7::float8 AS f8_2, 100000::float8 AS f8_3,
  0.0001::float8 AS f8_4, '-0'::float8 AS f8_5, 'NaN'::float8 AS f8_6,
  'Infinity'::float8 AS f8_7, '-Infinity'::float8 AS f8_8, 0.1::float8 AS f8_9,
  1e15::float8 AS f8_10, 123456789012345.6::float8 AS f8_11, 5e-324::float8 AS f8_12,
  1.7976931348623157e308::float8 AS f8_13, (1 / 3.0)::float8 AS f8_14, 0.00001::float8 AS f8_15,
  100000::float4 AS f4_1, 1e6::float4 AS f4_2, 0.1::float4 AS f4_3, '-0'::float4 AS f4_4,
  1.5e-7::float4 AS f4_5, 3.4028235e38::float4 AS f4_6, 123.456::float4 AS f4_7,
  'NaN'::float4 AS f4_8,
  '{"b": [1, 2.50],  "a" : null}'::json AS json,
  '{"b": [1, 2.50],  "a" : null, "c": "\u00e9"}'::jsonb AS jsonb,
  'héllo "wörld"'::text AS text, 'v'::varchar(3) AS varchar, 'ab'::char(5) AS bpchar,
  'a name'::name AS name,
  ''::bytea AS bytea_empty, '\x00ff807f'::bytea AS bytea,
  '192.168.0.1'::inet AS inet_1, '192.168.0.1/24'::inet AS inet_2,
  '2001:db8::1/64'::inet AS inet_3, '::ffff:1.2.3.4'::inet AS inet_4, '::1'::inet AS inet_5,
  '10.0.0.0/8'::cidr AS cidr_1, '2001:db8::/32'::cidr AS cidr_2, '10.1.2.3/32'::cidr AS cidr_3,
  ARRAY[1, NULL, 3]::int4[] AS a_int4,
  ARRAY['a b', '', NULL, 'x"y\', 'NULL', 'plain', '{}']::text[] AS a_text,
  '{{1,2},{3,4}}'::int2[] AS a_2d, '[0:1]={1,2}'::int4[] AS a_bounds, '{}'::int4[] AS a_empty,
  '{1.50,NaN}'::numeric[] AS a_numeric, '{1e16,0.1,-0}'::float8[] AS a_float8,
  '{t,f}'::bool[] AS a_bool, ARRAY['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid] AS a_uuid,
  ARRAY['\x01'::bytea, ''::bytea] AS a_bytea, ARRAY['{"a": 1}'::jsonb] AS a_jsonb,
  ARRAY['10.0.0.1/8'::inet] AS a_inet)";

struct Read {
  std::vector<std::string> values;
  bool binary = false;  // every column came in binary format
};

Read read_all(Cursor& cur) {
  Read out;
  int rows = 0;
  for (const Row& row : cur) {
    ++rows;
    out.binary = true;
    for (size_t i = 0; i < row.size(); ++i) {
      out.values.push_back(row.get<std::string>(i));
      EXPECT_EQ(row.get<std::optional<std::string>>(i), out.values.back());
      if (row.description().column(i).format != Format::kBinary) out.binary = false;
    }
  }
  EXPECT_EQ(rows, 1);
  return out;
}

TEST_F(PreparedBinaryStringsTest, EveryExecutionReadsTheServersText) {
  Connection conn = connect();
  ASSERT_TRUE(conn.prepared_binary_results());
  Cursor cur = conn.cursor();
  std::vector<Read> runs;
  for (int i = 0; i < 10; ++i) {
    cur.execute(kQuery, 1);
    runs.push_back(read_all(cur));
  }
  EXPECT_FALSE(runs.front().binary);
  EXPECT_TRUE(runs.back().binary) << "the prepared statement did not switch to binary results";
  // What the server sends in text, asked explicitly.
  Cursor text = conn.cursor({.binary = false});
  text.execute(kQuery, 1);
  const Read expected = read_all(text);
  ASSERT_FALSE(expected.binary);
  ASSERT_EQ(expected.values.size(), runs.front().values.size());
  for (int i = 0; i < 10; ++i) {
    for (size_t c = 0; c < expected.values.size(); ++c) {
      EXPECT_EQ(runs[i].values[c], expected.values[c])
          << "execution " << i + 1 << ", column " << c << " (" << cur.description()->at(c).name
          << ")";
    }
  }
  // A few of the server's layouts, spelled out.
  auto at = [&](std::string_view name) {
    for (size_t c = 0; c < cur.description()->size(); ++c) {
      if (cur.description()->at(c).name == name) return runs.back().values[c];
    }
    return std::string("<no column>");
  };
  EXPECT_EQ(at("f8_1"), "1e+16");
  EXPECT_EQ(at("f8_2"), "1.5e-07");
  EXPECT_EQ(at("f8_5"), "-0");
  EXPECT_EQ(at("numeric_small"), "0.000000000000000000000000000012300");
  EXPECT_EQ(at("a_text"), R"({"a b","",NULL,"x\"y\\","NULL",plain,"{}"})");
  EXPECT_EQ(at("a_bounds"), "[0:1]={1,2}");
  EXPECT_EQ(at("bytea"), "\\x00ff807f");
}

// Types the prepared statements keep in text, asked in binary explicitly.
TEST_F(PreparedBinaryStringsTest, ExplicitBinaryResultsReadTheServersText) {
  Connection conn = connect();
  const std::string query = std::string(kQuery) +
                            R"(, 'x'::"char" AS char_x, ''::"char" AS char_nul,
      chr(200)::"char" AS char_high, '123'::xid AS xid, '{a,"b c"}'::name[] AS a_name)";
  Cursor binary = conn.cursor({.binary = true});
  binary.execute(query, 1);
  const Read got = read_all(binary);
  EXPECT_TRUE(got.binary);
  Cursor text = conn.cursor({.binary = false});
  text.execute(query, 1);
  const Read expected = read_all(text);
  ASSERT_EQ(got.values.size(), expected.values.size());
  for (size_t c = 0; c < expected.values.size(); ++c) {
    EXPECT_EQ(got.values[c], expected.values[c]) << binary.description()->at(c).name;
  }
}

struct Pair {
  std::string id;
  std::optional<std::string> price;
};

TEST_F(PreparedBinaryStringsTest, RowFactoriesReadStringsTheSameWay) {
  Connection conn = connect();
  Cursor cur = conn.cursor();
  for (int i = 0; i < 10; ++i) {
    const char* query = "SELECT %s::int8 AS id, 12.50::numeric AS price";
    cur.execute(query, 42);
    EXPECT_EQ(cur.fetchone(scalar_row<std::string>), "42") << i;
    cur.execute(query, 42);
    EXPECT_EQ(cur.fetchone(typed_row<std::string, std::string>),
              std::make_tuple(std::string("42"), std::string("12.50")))
        << i;
    cur.execute(query, 42);
    const std::optional<Pair> p = cur.fetchone(class_row<Pair>);
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->id, "42");
    EXPECT_EQ(p->price, "12.50");
  }
}

TEST_F(PreparedBinaryStringsTest, SessionDependentTypesSayWhatToDo) {
  Connection conn = connect();
  Cursor cur = conn.cursor();
  int text_runs = 0;
  for (int i = 0; i < 10; ++i) {
    cur.execute("SELECT %s::timestamptz AS ts, 7::int4 AS n", "2020-01-02 03:04:05+00");
    const Row& row = *cur.begin();
    if (row.description().column(0).format == Format::kText) {
      ++text_runs;
      row.get<std::string>(0);
      EXPECT_EQ(row.get<std::string_view>(1), "7");
      continue;
    }
    try {
      row.get<std::string>(0);
      ADD_FAILURE() << "no DataError";
    } catch (const DataError& e) {
      EXPECT_THAT(e.what(), AllOf(HasSubstr("column 'ts'"), HasSubstr("timestamptz"),
                                  HasSubstr("binary format"), HasSubstr("TimeZone"),
                                  HasSubstr("set_prepared_binary_results(false)")));
    }
    EXPECT_THROW(row.get<std::string_view>(1), DataError);
    EXPECT_EQ(row.get<std::string>(1), "7");
  }
  EXPECT_GT(text_runs, 0);
  EXPECT_LT(text_runs, 10);
  // Turned off, the strings stay.
  conn.set_prepared_binary_results(false);
  cur.execute("SELECT %s::timestamptz AS ts, 7::int4 AS n", "2020-01-02 03:04:05+00");
  EXPECT_EQ((*cur.begin()).get<std::string_view>(1), "7");
}

TEST_F(PreparedBinaryStringsTest, RegTypesLoadAsNames) {
  Connection conn = connect();
  Cursor cur = conn.cursor();
  for (int i = 0; i < 10; ++i) {
    cur.execute("SELECT %s::regclass AS c, 'int4'::regtype AS t", "pg_class");
    const Row& row = *cur.begin();
    EXPECT_EQ(row.value(0), Value("pg_class")) << i;
    EXPECT_EQ(row.value(1), Value("integer")) << i;
    EXPECT_EQ(row.get<std::string>(0), "pg_class") << i;
  }
  // In binary (asked for), the oid.
  Cursor binary = conn.cursor({.binary = true});
  binary.execute("SELECT 'pg_class'::regclass");
  EXPECT_EQ(binary.fetchone(scalar_row<int64_t>), 1259);
  binary.execute("SELECT 'pg_class'::regclass");
  EXPECT_EQ(binary.fetchone(scalar_row<Value>), Value(int64_t{1259}));
}

}  // namespace
}  // namespace pgcpp
