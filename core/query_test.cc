#include "pgcpp/core/query.h"

#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "pgcpp/core/error_testing.h"
#include "pgcpp/core/errors.h"

namespace pgcpp {
namespace {

using F = ParamFormat;

std::string pg(std::string_view query) { return convert_query_uncached(query).query; }

std::string programming_error(auto f) { return core_testing::what_of<ProgrammingError>(f); }

std::string conversion_error(std::string_view query) {
  return programming_error([&] { convert_query_uncached(query); });
}

TEST(QueryTest, QueriesWithoutPlaceholdersAreUnchangedButForDoubledPercents) {
  EXPECT_EQ(pg(""), "");
  EXPECT_EQ(pg("foo bar"), "foo bar");
  EXPECT_EQ(pg("foo %% bar"), "foo % bar");
  EXPECT_EQ(pg("%%"), "%");
  PgQuery q = convert_query_uncached("select 1");
  EXPECT_EQ(q.style, PlaceholderStyle::kNone);
  EXPECT_EQ(q.param_count(), 0u);
  EXPECT_TRUE(q.formats.empty());
}

TEST(QueryTest, PositionalPlaceholdersAreNumberedInOrder) {
  EXPECT_EQ(pg("%s"), "$1");
  EXPECT_EQ(pg("%s foo"), "$1 foo");
  EXPECT_EQ(pg("foo %s"), "foo $1");
  EXPECT_EQ(pg("foo %%%s bar"), "foo %$1 bar");
  EXPECT_EQ(pg("%s %% %s"), "$1 % $2");
  PgQuery q = convert_query_uncached("foo %s%b bar %t baz %s");
  EXPECT_EQ(q.query, "foo $1$2 bar $3 baz $4");
  EXPECT_EQ(q.formats, (std::vector<F>{F::kAuto, F::kBinary, F::kText, F::kAuto}));
  EXPECT_EQ(q.style, PlaceholderStyle::kPositional);
  EXPECT_EQ(q.param_count(), 4u);
  EXPECT_TRUE(q.names.empty());
}

TEST(QueryTest, NamedPlaceholdersReuseTheirNumber) {
  PgQuery q = convert_query_uncached("%(a)s,%(a)s,%(b)b");
  EXPECT_EQ(q.query, "$1,$1,$2");
  EXPECT_EQ(q.names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(q.formats, (std::vector<F>{F::kAuto, F::kBinary}));
  EXPECT_EQ(q.placeholder_count, 3u);
  EXPECT_EQ(q.param_count(), 2u);

  PgQuery q2 = convert_query_uncached("select %(hi)s %(there)t %(hi)s");
  EXPECT_EQ(q2.query, "select $1 $2 $1");
  EXPECT_EQ(q2.names, (std::vector<std::string>{"hi", "there"}));
  // Any character but ')' may be in a name.
  EXPECT_EQ(convert_query_uncached("%(caf\xc3\xa9 %d\n)s").names,
            std::vector<std::string>{"caf\xc3\xa9 %d\n"});
}

TEST(QueryTest, APercentAtTheEndOrBeforeANewlineStaysAsPsycopgLeavesIt) {
  EXPECT_EQ(pg("select 10 %"), "select 10 %");
  EXPECT_EQ(pg("select 10 %\n+ %s"), "select 10 %\n+ $1");
}

TEST(QueryTest, BadPlaceholdersRaisePsycopgsMessages) {
  EXPECT_EQ(conversion_error("foo %d bar"),
            "only '%s', '%b', '%t' are allowed as placeholders, got '%d'");
  EXPECT_EQ(conversion_error("3%2"), "only '%s', '%b', '%t' are allowed as placeholders, got '%2'");
  EXPECT_EQ(conversion_error("foo %(foo)d bar"),
            "only '%s', '%b', '%t' are allowed as placeholders, got '%(foo)d'");
  EXPECT_EQ(conversion_error("foo %(foo) bar"),
            "only '%s', '%b', '%t' are allowed as placeholders, got '%(foo) '");
  EXPECT_EQ(conversion_error("like 'a%'"),
            "only '%s', '%b', '%t' are allowed as placeholders, got '%''");
  // A multi-byte character after '%' is quoted whole.
  EXPECT_EQ(conversion_error("x %\xc3\xa9"),
            "only '%s', '%b', '%t' are allowed as placeholders, got '%\xc3\xa9'");
  const std::string operator_hint =
      "incomplete placeholder: '%'; if you want to use '%' as an operator you can double it up, "
      "i.e. use '%%'";
  EXPECT_EQ(conversion_error("foo % bar"), operator_hint);
  EXPECT_EQ(conversion_error("foo %%% bar"), operator_hint);
  EXPECT_EQ(conversion_error("foo %(foo bar"), "incomplete placeholder: '%(foo'");
  EXPECT_EQ(conversion_error("select %("), "incomplete placeholder: '%('");
  EXPECT_EQ(conversion_error("select %(a"), "incomplete placeholder: '%(a'");
  EXPECT_EQ(conversion_error("select %(a)"), "incomplete placeholder: '%(a)'");
  EXPECT_EQ(conversion_error("select %()s"), "incomplete placeholder: '%()s'");
  EXPECT_EQ(conversion_error("select %(a)\ns"), "incomplete placeholder: '%(a)'");
  EXPECT_EQ(conversion_error("foo %(foo)s bar %s baz"),
            "positional and named placeholders cannot be mixed");
  EXPECT_EQ(conversion_error("foo %s bar %(foo)s baz"),
            "positional and named placeholders cannot be mixed");
  EXPECT_EQ(conversion_error("foo %(name)s %(name)b bar"),
            "placeholder 'name' cannot have different formats");
}

TEST(QueryTest, SequenceParametersAreCounted) {
  convert_query_uncached("select %s, %s").check_sequence_params(2);
  convert_query_uncached("").check_sequence_params(0);
  EXPECT_EQ(programming_error([] { convert_query_uncached("select %s").check_sequence_params(0); }),
            "the query has 1 placeholders but 0 parameters were passed");
  EXPECT_EQ(programming_error([] { convert_query_uncached("").check_sequence_params(1); }),
            "the query has 0 placeholders but 1 parameters were passed");
  EXPECT_EQ(programming_error([] { convert_query_uncached("%%").check_sequence_params(1); }),
            "the query has 0 placeholders but 1 parameters were passed");
  EXPECT_EQ(programming_error([] { convert_query_uncached("$1").check_sequence_params(1); }),
            "the query has 0 placeholders but 1 parameters were passed");
  // Named placeholders count each use.
  EXPECT_EQ(
      programming_error([] { convert_query_uncached("%(a)s %(a)s").check_sequence_params(1); }),
      "the query has 2 placeholders but 1 parameters were passed");
  EXPECT_EQ(
      programming_error([] { convert_query_uncached("%(a)s %(a)s").check_sequence_params(2); }),
      "named placeholders require a mapping of parameters");
}

TEST(QueryTest, MappingParametersMustNameEveryPlaceholder) {
  const std::set<std::string> given = {"c", "hello", "world"};
  auto contains = [&](std::string_view name) { return given.count(std::string(name)) > 0; };
  convert_query_uncached("select %(hello)s").check_mapping_params(contains);
  convert_query_uncached("hello %%").check_mapping_params(contains);
  EXPECT_EQ(programming_error([&] {
              convert_query_uncached("%(b)s %(a)s %(c)s %(b)s").check_mapping_params(contains);
            }),
            "query parameter missing: a, b");
  EXPECT_EQ(programming_error(
                [&] { convert_query_uncached("select %s").check_mapping_params(contains); }),
            "positional placeholders (%s) require a sequence of parameters");
}

TEST(QueryTest, ClientQuerySplitsAroundPlaceholders) {
  ClientQuery q = convert_client_query_uncached("a %s b %%%b c");
  ASSERT_EQ(q.parts.size(), 2u);
  EXPECT_EQ(q.parts[0].pre, "a ");
  EXPECT_EQ(q.parts[0].param, 0u);
  EXPECT_EQ(q.parts[1].pre, " b %");
  EXPECT_EQ(q.parts[1].param, 1u);
  EXPECT_EQ(q.parts[1].format, F::kBinary);
  EXPECT_EQ(q.tail, " c");

  ClientQuery named = convert_client_query_uncached("%(a)s + %(a)b = %(b)s");
  EXPECT_EQ(named.names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(named.parts[1].name, "a");
  EXPECT_EQ(named.parts[1].param, 0u);  // different formats are fine: values become literals
  EXPECT_EQ(named.parts[2].param, 1u);
}

TEST(QueryTest, ClientQueryMergesLiteralsVerbatim) {
  EXPECT_EQ(
      convert_client_query_uncached("select %s, %s").merge(std::vector<std::string>{"1", "'x'"}),
      "select 1, 'x'");
  EXPECT_EQ(convert_client_query_uncached("%(a)s + %(a)s = %(b)s")
                .merge(std::vector<std::string>{"2", "4"}),
            "2 + 2 = 4");
  // `%%` becomes `%`; a literal's own `%s` is not a placeholder.
  EXPECT_EQ(convert_client_query_uncached("x like 'a%%' and y = %s")
                .merge(std::vector<std::string>{"'%s'"}),
            "x like 'a%' and y = '%s'");
  EXPECT_EQ(convert_client_query_uncached("no params").merge({}), "no params");
  EXPECT_THROW(convert_client_query_uncached("%s").merge({}), std::invalid_argument);
  EXPECT_EQ(programming_error([] { convert_client_query_uncached("%x"); }),
            "only '%s', '%b', '%t' are allowed as placeholders, got '%x'");
}

TEST(QueryTest, ConversionsAreCachedAndShared) {
  auto a = convert_query("SELECT %s -- cached");
  auto b = convert_query("SELECT %s -- cached");
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(a->query, "SELECT $1 -- cached");
  auto c = convert_client_query("SELECT %s -- cached");
  EXPECT_EQ(c.get(), convert_client_query("SELECT %s -- cached").get());
}

TEST(QueryTest, LongQueriesAndManyParametersAreNotCached) {
  const std::string long_query = "SELECT %s" + std::string(4096, ' ');
  EXPECT_NE(convert_query(long_query).get(), convert_query(long_query).get());
  const std::string at_limit = "SELECT %s" + std::string(4096 - 9, ' ');
  EXPECT_EQ(convert_query(at_limit).get(), convert_query(at_limit).get());

  std::string many = "SELECT %s";
  for (int i = 1; i < 51; ++i) many += ", %s";
  EXPECT_NE(convert_query(many).get(), convert_query(many).get());
  const std::string fifty = many.substr(0, many.size() - 4);
  EXPECT_EQ(convert_query(fifty).get(), convert_query(fifty).get());
}

TEST(QueryTest, CacheEvictsTheLeastRecentlyUsed) {
  auto fill = [](const std::string& tag, int n) {
    for (int i = 0; i < n; ++i) convert_query("SELECT %s -- " + tag + std::to_string(i));
  };
  auto kept = convert_query("SELECT %s -- kept");
  auto dropped = convert_query("SELECT %s -- dropped");
  fill("first", 100);
  EXPECT_EQ(convert_query("SELECT %s -- kept").get(), kept.get());  // now most recent again
  fill("second", 100);
  EXPECT_EQ(convert_query("SELECT %s -- kept").get(), kept.get());
  EXPECT_NE(convert_query("SELECT %s -- dropped").get(), dropped.get());
}

TEST(QueryTest, BadQueriesAreNotCached) {
  EXPECT_THROW(convert_query("SELECT %d"), ProgrammingError);
  EXPECT_THROW(convert_query("SELECT %d"), ProgrammingError);
}

TEST(QueryTest, ConcurrentConversionsAgree) {
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &failures] {
      for (int i = 0; i < 300; ++i) {
        const int n = (i * 7 + t) % 200;
        auto q = convert_query("SELECT %(x)s, %(y)b -- " + std::to_string(n));
        if (q->query != "SELECT $1, $2 -- " + std::to_string(n)) ++failures[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

TEST(QueryTest, FormatCodes) {
  EXPECT_EQ(placeholder_format_code(F::kAuto), 's');
  EXPECT_EQ(placeholder_format_code(F::kText), 't');
  EXPECT_EQ(placeholder_format_code(F::kBinary), 'b');
}

}  // namespace
}  // namespace pgcpp
