#include "pgcpp/core/sql.h"

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "pgcpp/adapt/dumper.h"
#include "pgcpp/adapt/value.h"
#include "pgcpp/core/error_testing.h"
#include "pgcpp/core/errors.h"

namespace pgcpp::sql {
namespace {

using core_testing::what_of;

std::string programming_error(auto f) { return what_of<ProgrammingError>(f); }

TEST(SqlTest, IdentifiersAreDoubleQuotedWithQuotesDoubled) {
  EXPECT_EQ(Identifier("foo").as_string(), "\"foo\"");
  EXPECT_EQ(Identifier("ba'r").as_string(), "\"ba'r\"");
  EXPECT_EQ(Identifier("ba\"z").as_string(), "\"ba\"\"z\"");
  EXPECT_EQ(Identifier("a b").as_string(), "\"a b\"");
  EXPECT_EQ(Identifier("s", "t").as_string(), "\"s\".\"t\"");
  EXPECT_EQ(Identifier(std::vector<std::string>{"db", "s", "t"}).as_string(), "\"db\".\"s\".\"t\"");
  EXPECT_EQ(Identifier("s", "t").strings(), (std::vector<std::string>{"s", "t"}));
}

TEST(SqlTest, HostileIdentifiersStayInsideTheirQuotes) {
  EXPECT_EQ(Identifier("x\"; DROP TABLE t; --").as_string(), "\"x\"\"; DROP TABLE t; --\"");
  EXPECT_EQ(Identifier("\"").as_string(), "\"\"\"\"");
  EXPECT_EQ(Identifier("a\\b").as_string(), "\"a\\b\"");  // no escapes inside "..."
  EXPECT_EQ(Identifier("a.b").as_string(), "\"a.b\"");    // a dot in a part is not a separator
  EXPECT_EQ(Identifier("t\xc3\xabst\xe2\x98\x83").as_string(), "\"t\xc3\xabst\xe2\x98\x83\"");
}

TEST(SqlTest, BadIdentifiersAreRefused) {
  EXPECT_EQ(programming_error([] { Identifier(std::vector<std::string>{}); }),
            "Identifier cannot be empty");
  EXPECT_EQ(programming_error([] { Identifier(""); }), "SQL identifier parts cannot be empty");
  EXPECT_EQ(programming_error([] { Identifier("s", ""); }), "SQL identifier parts cannot be empty");
  EXPECT_EQ(what_of<DataError>([] { Identifier(std::string("a\0b", 3)); }),
            "SQL identifiers cannot contain NUL (0x00) bytes");
}

TEST(SqlTest, StringLiteralsAreQuotedAsPsycopgDoesWithoutAConnection) {
  EXPECT_EQ(Literal("x").as_string(), "'x'");
  EXPECT_EQ(Literal("").as_string(), "''");
  EXPECT_EQ(Literal(std::string("it's")).as_string(), "'it''s'");
  EXPECT_EQ(Literal(std::string_view("'; DROP TABLE t; --")).as_string(), "'''; DROP TABLE t; --'");
  // A backslash switches to E'' (with a leading space) and is doubled.
  EXPECT_EQ(Literal("a\\b").as_string(), " E'a\\\\b'");
  EXPECT_EQ(Literal("it's a \\ test").as_string(), " E'it''s a \\\\ test'");
  EXPECT_EQ(Literal("\\'").as_string(), " E'\\\\'''");
  EXPECT_EQ(Literal("caf\xc3\xa9 \xe2\x98\x83").as_string(), "'caf\xc3\xa9 \xe2\x98\x83'");
  EXPECT_EQ(Literal("line\nbreak").as_string(), "'line\nbreak'");
  EXPECT_EQ(quote("O'Rourke"), "'O''Rourke'");
}

TEST(SqlTest, TextWithANulByteIsADataError) {
  EXPECT_EQ(what_of<DataError>([] { Literal(std::string("a\0b", 3)).as_string(); }),
            "std::string value contains a NUL byte at position 1: PostgreSQL text cannot hold one");
}

TEST(SqlTest, OtherLiterals) {
  EXPECT_EQ(Literal(nullptr).as_string(), "NULL");
  EXPECT_EQ(Literal(std::nullopt).as_string(), "NULL");
  EXPECT_EQ(Literal(std::optional<int>()).as_string(), "NULL");
  EXPECT_EQ(Literal(std::optional<int>(3)).as_string(), "3");
  EXPECT_EQ(Literal(std::optional<std::string>("x")).as_string(), "'x'");
  EXPECT_EQ(Literal(static_cast<const char*>(nullptr)).as_string(), "NULL");
  EXPECT_EQ(Literal(true).as_string(), "true");
  EXPECT_EQ(Literal(false).as_string(), "false");
  EXPECT_EQ(Literal(42).as_string(), "42");
  EXPECT_EQ(Literal(0).as_string(), "0");
  EXPECT_EQ(Literal(-3).as_string(), " -3");
  EXPECT_EQ(Literal(std::numeric_limits<int64_t>::min()).as_string(), " -9223372036854775808");
  EXPECT_EQ(Literal(std::numeric_limits<uint64_t>::max()).as_string(), "18446744073709551615");
  EXPECT_EQ(Literal(static_cast<unsigned char>(200)).as_string(), "200");
}

TEST(SqlTest, DoublesAreWrittenAsPythonsRepr) {
  EXPECT_EQ(Literal(1.5).as_string(), "1.5");
  EXPECT_EQ(Literal(-1.5).as_string(), " -1.5");
  EXPECT_EQ(Literal(1.0).as_string(), "1.0");
  EXPECT_EQ(Literal(100.0).as_string(), "100.0");
  EXPECT_EQ(Literal(0.1).as_string(), "0.1");
  EXPECT_EQ(Literal(0.3).as_string(), "0.3");
  EXPECT_EQ(Literal(12345.678).as_string(), "12345.678");
  EXPECT_EQ(Literal(1e15).as_string(), "1000000000000000.0");
  EXPECT_EQ(Literal(1e16).as_string(), "1e+16");
  EXPECT_EQ(Literal(1e22).as_string(), "1e+22");
  EXPECT_EQ(Literal(1e-4).as_string(), "0.0001");
  EXPECT_EQ(Literal(1e-5).as_string(), "1e-05");
  EXPECT_EQ(Literal(2.5e-5).as_string(), "2.5e-05");
  EXPECT_EQ(Literal(1.5e-7).as_string(), "1.5e-07");
  EXPECT_EQ(Literal(123456789012345678.0).as_string(), "1.2345678901234568e+17");
  EXPECT_EQ(Literal(5e-324).as_string(), "5e-324");
  EXPECT_EQ(Literal(std::numeric_limits<double>::max()).as_string(), "1.7976931348623157e+308");
  // psycopg renders -0.0, which PostgreSQL reads as numeric zero: keep the sign.
  EXPECT_EQ(Literal(-0.0).as_string(), "'-0'::float8");
  EXPECT_EQ(Literal(0.1f).as_string(), "0.1");
  EXPECT_EQ(Literal(std::numeric_limits<double>::quiet_NaN()).as_string(), "'NaN'::float8");
  EXPECT_EQ(Literal(std::numeric_limits<double>::infinity()).as_string(), "'Infinity'::float8");
  EXPECT_EQ(Literal(-std::numeric_limits<double>::infinity()).as_string(), "'-Infinity'::float8");
}

TEST(SqlTest, LiteralsMatchPsycopgsMogrifyExample) {
  // From psycopg's ClientCursor.mogrify() example.
  EXPECT_EQ(SQL(", ")
                .join(std::vector<Value>{Value(int64_t{-1}), Value(std::string("it's")),
                                         Value(std::string("a\\b")), Value(), Value(true),
                                         Value(std::numeric_limits<double>::infinity())})
                .as_string(),
            " -1, 'it''s',  E'a\\\\b', NULL, true, 'Infinity'::float8");
}

TEST(SqlTest, LiteralsRenderEveryAdaptableType) {
  EXPECT_EQ(Literal(Date()).as_string(), "'2000-01-01'::date");
  EXPECT_EQ(Literal(std::vector<int32_t>{1, 2}).as_string(), "'{1,2}'::int4[]");
  EXPECT_EQ(Literal(Numeric("-1.5")).as_string(), " -1.5");
  EXPECT_EQ(Literal(Bytes("\x01")).as_string(), " E'\\\\x01'::bytea");
  EXPECT_EQ(SQL("SELECT {}").format(Jsonb{"{}"}).as_string(), "SELECT '{}'::jsonb");
  EXPECT_THROW(Literal(std::map<int, int>{}).as_string(), ProgrammingError);
}

struct Shout {
  std::string text;
};

class ShoutDumper : public TypedDumper<Shout> {
 public:
  ShoutDumper() : TypedDumper(oids::kText, Format::kText) {}
  bool dump_value(const Shout& s, std::string& out) const override {
    out += s.text + "!";
    return true;
  }
};

TEST(SqlTest, LiteralsUseTheAdaptersOfTheContext) {
  AdaptersMap adapters;
  adapters.register_dumper<Shout>(std::make_shared<ShoutDumper>());
  const Composed query = SQL("SELECT {}").format(Shout{"hi"});
  EXPECT_EQ(query.as_string(adapters), "SELECT 'hi!'");
  EXPECT_THROW(query.as_string(), ProgrammingError);  // the global adapters don't know Shout
}

TEST(SqlTest, PlaceholdersRenderPsycopgsSyntax) {
  EXPECT_EQ(Placeholder().as_string(), "%s");
  EXPECT_EQ(Placeholder(ParamFormat::kBinary).as_string(), "%b");
  EXPECT_EQ(Placeholder(ParamFormat::kText).as_string(), "%t");
  EXPECT_EQ(Placeholder("name").as_string(), "%(name)s");
  EXPECT_EQ(Placeholder("n", ParamFormat::kBinary).as_string(), "%(n)b");
  EXPECT_EQ(Placeholder("n").name(), "n");
  EXPECT_EQ(Placeholder("n", ParamFormat::kText).format(), ParamFormat::kText);
  EXPECT_EQ(programming_error([] { Placeholder("a)b"); }), "invalid name: 'a)b'");
  EXPECT_EQ(programming_error([] { Placeholder("it's)"); }), "invalid name: \"it's)\"");
}

TEST(SqlTest, FormatMergesComposablesAndLiterals) {
  EXPECT_EQ(SQL("select {} from {}").format(Identifier("a b"), Identifier("s", "t")).as_string(),
            "select \"a b\" from \"s\".\"t\"");
  EXPECT_EQ(SQL("SELECT * FROM {} WHERE {} = %s")
                .format(Identifier("people"), Identifier("id"))
                .as_string(),
            "SELECT * FROM \"people\" WHERE \"id\" = %s");
  EXPECT_EQ(SQL("SELECT * FROM {tbl} WHERE name = {name}")
                .format(arg("tbl", Identifier("people")), arg("name", "O'Rourke"))
                .as_string(),
            "SELECT * FROM \"people\" WHERE name = 'O''Rourke'");
  EXPECT_EQ(SQL("{1} {0} {1}").format(1, "two").as_string(), "'two' 1 'two'");
  EXPECT_EQ(SQL("{0:}").format(7).as_string(), "7");           // an empty spec is no spec
  EXPECT_EQ(SQL("{} {}").format(1, 2, 3).as_string(), "1 2");  // extra arguments are ignored
  EXPECT_EQ(SQL("{{}} {{{0}}}").format(5).as_string(), "{} {5}");
  EXPECT_EQ(SQL("no fields").format().as_string(), "no fields");
}

TEST(SqlTest, FormatBuildsTheSameStructureAsPsycopg) {
  EXPECT_EQ(SQL("a{}b").format(Identifier("x")), Composed({SQL("a"), Identifier("x"), SQL("b")}));
  // Python's parser ends a literal chunk after each escaped brace.
  EXPECT_EQ(SQL("{{x}}").format(), Composed({SQL("{"), SQL("x}")}));
  EXPECT_EQ(SQL("{}").format("x"), Composed({Literal("x")}));
}

TEST(SqlTest, FormatErrorsArePsycopgsAndPythons) {
  EXPECT_EQ(programming_error([] { SQL("{0:>10}").format(1); }),
            "no format specification supported by SQL");
  EXPECT_EQ(programming_error([] { SQL("{0!r}").format(1); }),
            "no format conversion supported by SQL");
  EXPECT_EQ(programming_error([] { SQL("{}{0}").format(1); }),
            "cannot switch from automatic field numbering to manual");
  EXPECT_EQ(programming_error([] { SQL("{0}{}").format(1); }),
            "cannot switch from manual field numbering to automatic");
  EXPECT_EQ(programming_error([] { SQL("{").format(); }),
            "Single '{' encountered in format string");
  EXPECT_EQ(programming_error([] { SQL("a}b").format(); }),
            "Single '}' encountered in format string");
  EXPECT_EQ(programming_error([] { SQL("{0}}").format(1); }),
            "Single '}' encountered in format string");
  EXPECT_EQ(programming_error([] { SQL("{abc").format(); }), "expected '}' before end of string");
  EXPECT_EQ(programming_error([] { SQL("{a{b}c}").format(); }), "unexpected '{' in field name");
  EXPECT_EQ(programming_error([] { SQL("{0!rr}").format(1); }),
            "expected ':' after conversion specifier");
  EXPECT_EQ(programming_error([] { SQL("{2}").format(1); }),
            "SQL.format(): positional argument 2 missing (1 given)");
  EXPECT_EQ(programming_error([] { SQL("{} {}").format(1); }),
            "SQL.format(): positional argument 1 missing (1 given)");
  EXPECT_EQ(programming_error([] { SQL("{99999999999999999999999}").format(1); }),
            "SQL.format(): positional argument 99999999999999999999999 missing (1 given)");
  EXPECT_EQ(programming_error([] { SQL("{x}").format(arg("y", 1)); }),
            "SQL.format(): named argument 'x' missing");
  EXPECT_EQ(programming_error([] { SQL("{x}").format(arg("x", 1), arg("x", 2)); }),
            "SQL.format(): named argument 'x' given twice");
}

TEST(SqlTest, JoinInterposesTheSeparator) {
  EXPECT_EQ(SQL(", ").join({Identifier("foo"), Identifier("bar"), Identifier("baz")}).as_string(),
            "\"foo\", \"bar\", \"baz\"");
  EXPECT_EQ(SQL(", ").join(std::vector<int>{1, -2, 3}).as_string(), "1,  -2, 3");
  EXPECT_EQ(SQL(", ").join(std::vector<std::string>{"a", "b'c"}).as_string(), "'a', 'b''c'");
  EXPECT_EQ(SQL(", ").join(std::vector<int>{}), Composed({}));
  EXPECT_EQ(SQL(", ").join(std::vector<int>{}).as_string(), "");
  EXPECT_EQ(SQL(", ").join({Identifier("only")}), Composed({Identifier("only")}));

  const Composed fields = Identifier("foo") + Identifier("bar");
  EXPECT_EQ(fields.join(", ").as_string(), "\"foo\", \"bar\"");
  EXPECT_EQ(fields.join(SQL(" AND ")).as_string(), "\"foo\" AND \"bar\"");
  EXPECT_EQ(SQL(",").join(fields).as_string(), "\"foo\",\"bar\"");  // a Composed is iterable
  EXPECT_EQ(SQL(", ").join(Placeholder() * 3).as_string(), "%s, %s, %s");
}

TEST(SqlTest, PlusAndTimesBuildComposed) {
  EXPECT_EQ(SQL("a") + SQL("b"), Composed({SQL("a"), SQL("b")}));
  EXPECT_EQ((SQL("a") + SQL("b")).as_string(), "ab");
  const Composed ab = SQL("a") + SQL("b");
  EXPECT_EQ(ab + SQL("c"), Composed({SQL("a"), SQL("b"), SQL("c")}));
  EXPECT_EQ(SQL("c") + ab, Composed({SQL("c"), SQL("a"), SQL("b")}));
  EXPECT_EQ(ab + ab, Composed({SQL("a"), SQL("b"), SQL("a"), SQL("b")}));
  EXPECT_EQ(SQL("x") * 3, Composed({SQL("x"), SQL("x"), SQL("x")}));
  EXPECT_EQ(SQL("x") * 0, Composed({}));
  EXPECT_EQ((SQL("select ") + Literal(1) + SQL(" from ") + Identifier("t")).as_string(),
            "select 1 from \"t\"");
}

TEST(SqlTest, EqualityComparesKindAndContent) {
  EXPECT_EQ(SQL("x"), SQL("x"));
  EXPECT_NE(SQL("x"), SQL("y"));
  EXPECT_NE(Composable(SQL("x")), Composable(Identifier("x")));
  EXPECT_EQ(Identifier("a", "b"), Identifier("a", "b"));
  EXPECT_NE(Identifier("a", "b"), Identifier("a.b"));
  EXPECT_EQ(Literal(1), Literal(1));
  EXPECT_NE(Literal(1), Literal(2));
  EXPECT_NE(Literal("1"), Literal(1));
  EXPECT_EQ(Placeholder("a"), Placeholder("a"));
  EXPECT_NE(Placeholder("a"), Placeholder("a", ParamFormat::kBinary));
  EXPECT_NE(Composed({SQL("x")}), SQL("x"));
}

TEST(SqlTest, NullAndDefaultConstants) {
  EXPECT_EQ(null().as_string(), "NULL");
  EXPECT_EQ(default_().as_string(), "DEFAULT");
  EXPECT_EQ(SQL("INSERT INTO t VALUES ({}, {})").format(default_(), null()).as_string(),
            "INSERT INTO t VALUES (DEFAULT, NULL)");
}

TEST(SqlTest, ComposedIsAccessible) {
  const Composed c = SQL("a") + Identifier("b");
  ASSERT_EQ(c.seq().size(), 2u);
  EXPECT_EQ(c.seq()[1], Identifier("b"));
  int n = 0;
  for (const Composable& item : c) n += item == SQL("a") ? 1 : 0;
  EXPECT_EQ(n, 1);
  EXPECT_EQ(SQL("t").text(), "t");
  EXPECT_EQ(Literal(5), Literal(int64_t{5}));  // the same SQL
  EXPECT_FALSE(Literal(5) == Literal(6));
}

}  // namespace
}  // namespace pgcpp::sql
