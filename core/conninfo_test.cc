#include "pgcpp/core/conninfo.h"

#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "pgcpp/core/error_testing.h"
#include "pgcpp/core/errors.h"

namespace pgcpp {
namespace {

const char kSnowman[] = "\xe2\x98\x83";

// Clears the PG* variables these tests depend on and restores them afterwards.
class ConninfoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : kVars) {
      if (const char* v = std::getenv(name)) saved_[name] = v;
      unsetenv(name);
    }
  }
  void TearDown() override {
    for (const char* name : kVars) {
      auto it = saved_.find(name);
      if (it == saved_.end()) {
        unsetenv(name);
      } else {
        setenv(name, it->second.c_str(), 1);
      }
    }
  }

 private:
  static constexpr const char* kVars[] = {"PGHOST", "PGHOSTADDR", "PGPORT", "PGCONNECT_TIMEOUT"};
  std::map<std::string, std::string> saved_;
};

using core_testing::what_of;

TEST_F(ConninfoTest, ConninfoToDictKeepsOnlyTheGivenParameters) {
  EXPECT_EQ(conninfo_to_dict(""), ConnInfoDict{});
  EXPECT_EQ(conninfo_to_dict("dbname=foo user=bar"),
            (ConnInfoDict{{"dbname", "foo"}, {"user", "bar"}}));
  EXPECT_EQ(conninfo_to_dict("dbname=sony password="),
            (ConnInfoDict{{"dbname", "sony"}, {"password", ""}}));
  EXPECT_EQ(conninfo_to_dict("dbname='foo bar'"), (ConnInfoDict{{"dbname", "foo bar"}}));
  EXPECT_EQ(conninfo_to_dict("dbname='a\"b'"), (ConnInfoDict{{"dbname", "a\"b"}}));
  EXPECT_EQ(conninfo_to_dict(R"(dbname='a\'b')"), (ConnInfoDict{{"dbname", "a'b"}}));
  EXPECT_EQ(conninfo_to_dict(R"(dbname='a\\b')"), (ConnInfoDict{{"dbname", R"(a\b)"}}));
  EXPECT_EQ(conninfo_to_dict(std::string("dbname=") + kSnowman),
            (ConnInfoDict{{"dbname", kSnowman}}));
}

TEST_F(ConninfoTest, ConninfoToDictParsesUris) {
  EXPECT_EQ(conninfo_to_dict("postgresql://tester:secret@/test?port=5433"),
            (ConnInfoDict{
                {"user", "tester"}, {"password", "secret"}, {"dbname", "test"}, {"port", "5433"}}));
  EXPECT_EQ(
      conninfo_to_dict("postgres://h1:5432,h2:5433/db?sslmode=require"),
      (ConnInfoDict{
          {"host", "h1,h2"}, {"port", "5432,5433"}, {"dbname", "db"}, {"sslmode", "require"}}));
}

TEST_F(ConninfoTest, ConninfoToDictAppliesOverridesOnTop) {
  EXPECT_EQ(conninfo_to_dict("dbname=foo user=bar", {{"dbname", "baz"}, {"port", "5433"}}),
            (ConnInfoDict{{"dbname", "baz"}, {"user", "bar"}, {"port", "5433"}}));
  // As in psycopg, overrides are not validated until make_conninfo().
  EXPECT_EQ(conninfo_to_dict("", {{"foo", "bar"}}), (ConnInfoDict{{"foo", "bar"}}));
}

TEST_F(ConninfoTest, InvalidStringsRaiseProgrammingErrorWithLibpqsMessage) {
  EXPECT_EQ(what_of<ProgrammingError>([] { conninfo_to_dict("foo=bar"); }),
            R"(invalid connection option "foo")");
  EXPECT_EQ(what_of<ProgrammingError>([] { conninfo_to_dict("hello"); }),
            R"(missing "=" after "hello" in connection info string)");
  EXPECT_EQ(what_of<ProgrammingError>([] { conninfo_to_dict("dbname=foo bar"); }),
            R"(missing "=" after "bar" in connection info string)");
  EXPECT_EQ(what_of<ProgrammingError>([] { conninfo_to_dict("dbname='foo"); }),
            "unterminated quoted string in connection info string");
  EXPECT_NE(what_of<ProgrammingError>(
                [] { conninfo_to_dict("postgresql://tester:secret@/test?port=5433=x"); }),
            "<nothing thrown>");
  EXPECT_EQ(
      what_of<ProgrammingError>([] { conninfo_to_dict(std::string(kSnowman) + "=" + kSnowman); }),
      std::string("invalid connection option \"") + kSnowman + "\"");
  EXPECT_EQ(what_of<ProgrammingError>([] { conninfo_to_dict(std::string("dbname=a\0b", 10)); }),
            "invalid connection string: NUL byte at position 8");
}

TEST_F(ConninfoTest, MakeConninfoWithoutOverridesReturnsTheStringUnchanged) {
  EXPECT_EQ(make_conninfo(""), "");
  EXPECT_EQ(make_conninfo("dbname=foo"), "dbname=foo");
  EXPECT_EQ(make_conninfo("dbname=a host=b user=c password=d"),
            "dbname=a host=b user=c password=d");
  EXPECT_EQ(make_conninfo("postgresql://u@h/db"), "postgresql://u@h/db");
  EXPECT_EQ(what_of<ProgrammingError>([] { make_conninfo("dbname=foo bar"); }),
            R"(missing "=" after "bar" in connection info string)");
}

TEST_F(ConninfoTest, MakeConninfoMergesAndEscapesLikePsycopg) {
  EXPECT_EQ(make_conninfo("dbname=foo", {{"user", "bar"}}), "dbname=foo user=bar");
  EXPECT_EQ(make_conninfo("dbname=foo", {{"dbname", "bar"}}), "dbname=bar");
  EXPECT_EQ(make_conninfo("dbname=sony", {{"password", ""}}), "dbname=sony password=''");
  EXPECT_EQ(make_conninfo("user=bar", {{"dbname", "foo bar"}}), "dbname='foo bar' user=bar");
  EXPECT_EQ(make_conninfo("", {{"dbname", "foo"}, {"port", "15432"}}), "dbname=foo port=15432");
  EXPECT_EQ(make_conninfo("", {{"dbname", "a'b"}}), R"(dbname=a\'b)");
  EXPECT_EQ(make_conninfo("", {{"dbname", R"(a\b)"}}), R"(dbname=a\\b)");
  EXPECT_EQ(make_conninfo("", {{"dbname", R"(it's a \ test)"}}), R"(dbname='it\'s a \\ test')");
  EXPECT_EQ(make_conninfo("", {{"dbname", kSnowman}}), std::string("dbname=") + kSnowman);
  EXPECT_EQ(make_conninfo("postgresql://host1/test", {{"host", "host2"}}),
            "dbname=test host=host2");
}

TEST_F(ConninfoTest, EscapedValuesRoundTripThroughLibpq) {
  const std::vector<std::string> values = {
      "",
      " ",
      "'",
      "\\",
      "\\'",
      "'\\",
      "a b",
      "' \\ '",
      "x=y",
      "\"",
      "abc\\",
      "''",
      "tab\there",
      "new\nline",
      "nbsp\xc2\xa0here",
      "em\xe2\x80\x83space",
      kSnowman,
      "a,b",
  };
  for (const std::string& value : values) {
    SCOPED_TRACE(value);
    const std::string conninfo = make_conninfo("", {{"application_name", value}});
    EXPECT_EQ(conninfo_to_dict(conninfo).at("application_name"), value) << conninfo;
  }
  EXPECT_EQ(conninfo_escape("a\tb"), "'a\tb'");
  EXPECT_EQ(conninfo_escape("nbsp\xc2\xa0"), "'nbsp\xc2\xa0'");  // Python's \s covers U+00A0
  EXPECT_EQ(conninfo_escape("sep\x1f"), "'sep\x1f'");
  EXPECT_EQ(conninfo_escape("plain"), "plain");
}

TEST_F(ConninfoTest, MakeConninfoRejectsUnknownKeywordsAndNulBytes) {
  EXPECT_EQ(what_of<ProgrammingError>([] {
              make_conninfo("dbname=foo", {{"bar", "baz"}});
            }),
            R"(invalid connection option "bar")");
  // A keyword that is not a word could smuggle in other parameters.
  EXPECT_EQ(what_of<ProgrammingError>([] {
              make_conninfo("", {{"dbname=x host", "evil"}});
            }),
            R"(invalid connection option "dbname=x host")");
  EXPECT_EQ(what_of<ProgrammingError>([] {
              make_conninfo("", {{"", "x"}});
            }),
            R"(invalid connection option "")");
  EXPECT_EQ(what_of<ProgrammingError>([] {
              make_conninfo("", {{"dbname", std::string("a\0b", 3)}});
            }),
            R"(invalid value for connection option "dbname": NUL byte at position 1)");
}

TEST_F(ConninfoTest, GetParamFallsBackToTheEnvironment) {
  EXPECT_EQ(get_param({}, "host"), std::nullopt);
  setenv("PGHOST", "envhost", 1);
  EXPECT_EQ(get_param({}, "host"), "envhost");
  EXPECT_EQ(get_param({{"host", "given"}}, "host"), "given");
  EXPECT_EQ(get_param({}, "no_such_keyword"), std::nullopt);
}

TEST_F(ConninfoTest, SplitAttemptsKeepsASingleHostUnchanged) {
  const ConnInfoDict params = conninfo_to_dict("host=a port=5433 dbname=x");
  EXPECT_EQ(split_attempts(params), std::vector<ConnInfoDict>{params});
  EXPECT_EQ(split_attempts({}), std::vector<ConnInfoDict>{ConnInfoDict{}});
}

TEST_F(ConninfoTest, SplitAttemptsMakesOneAttemptPerHost) {
  EXPECT_EQ(split_attempts(conninfo_to_dict("host=a,b port=5432 dbname=x")),
            (std::vector<ConnInfoDict>{
                {{"host", "a"}, {"port", "5432"}, {"dbname", "x"}},
                {{"host", "b"}, {"port", "5432"}, {"dbname", "x"}},
            }));
  EXPECT_EQ(
      split_attempts(conninfo_to_dict("host=a,b port=1,2")),
      (std::vector<ConnInfoDict>{{{"host", "a"}, {"port", "1"}}, {{"host", "b"}, {"port", "2"}}}));
  EXPECT_EQ(split_attempts(conninfo_to_dict("host=a,b hostaddr=1.1.1.1,2.2.2.2")),
            (std::vector<ConnInfoDict>{{{"host", "a"}, {"hostaddr", "1.1.1.1"}},
                                       {{"host", "b"}, {"hostaddr", "2.2.2.2"}}}));
  EXPECT_EQ(split_attempts(conninfo_to_dict("hostaddr=1.1.1.1,2.2.2.2")),
            (std::vector<ConnInfoDict>{{{"hostaddr", "1.1.1.1"}}, {{"hostaddr", "2.2.2.2"}}}));
  // An empty entry is libpq's default host.
  EXPECT_EQ(split_attempts(conninfo_to_dict("host=foo.com, port=5432,5433")),
            (std::vector<ConnInfoDict>{{{"host", "foo.com"}, {"port", "5432"}},
                                       {{"host", ""}, {"port", "5433"}}}));
}

TEST_F(ConninfoTest, SplitAttemptsReadsTheEnvironment) {
  setenv("PGHOST", "a,b", 1);
  EXPECT_EQ(split_attempts({{"port", "5432"}}),
            (std::vector<ConnInfoDict>{{{"host", "a"}, {"port", "5432"}},
                                       {{"host", "b"}, {"port", "5432"}}}));
  setenv("PGPORT", "1,2,3", 1);
  EXPECT_EQ(what_of<OperationalError>([] { split_attempts({}); }),
            "could not match 3 port numbers to 2 hosts");
}

TEST_F(ConninfoTest, SplitAttemptsRejectsMismatchedCounts) {
  EXPECT_EQ(what_of<OperationalError>([] {
              split_attempts(conninfo_to_dict("host=a,b hostaddr=1.1.1.1,2.2.2.2,3.3.3.3"));
            }),
            "could not match 2 host names with 3 hostaddr values");
  EXPECT_EQ(
      what_of<OperationalError>([] { split_attempts(conninfo_to_dict("host=a,b port=1,2,3")); }),
      "could not match 3 port numbers to 2 hosts");
  EXPECT_EQ(what_of<OperationalError>([] { split_attempts(conninfo_to_dict("host=a port=1,2")); }),
            "could not match 2 port numbers to 1 hosts");
}

// psycopg's fake resolver: foo.com and qux.com exist, everything else fails.
std::vector<std::string> fake_resolve(const std::string& host, const std::string& port) {
  EXPECT_FALSE(port.empty());
  if (host == "foo.com") return {"1.1.1.1"};
  if (host == "qux.com") return {"2.2.2.2"};
  if (host == "two.com") return {"3.3.3.3", "::3"};
  throw OperationalError("unknown test host: " + host);
}

std::vector<std::string> no_resolve(const std::string& host, const std::string&) {
  ADD_FAILURE() << "should not resolve " << host;
  return {};
}

TEST_F(ConninfoTest, ConninfoAttemptsResolvesEachHost) {
  EXPECT_EQ(conninfo_attempts(conninfo_to_dict("host=foo.com,qux.com port=5433"), fake_resolve),
            (std::vector<ConnInfoDict>{
                {{"host", "foo.com"}, {"hostaddr", "1.1.1.1"}, {"port", "5433"}},
                {{"host", "qux.com"}, {"hostaddr", "2.2.2.2"}, {"port", "5433"}},
            }));
  // A name with two addresses gives two attempts.
  EXPECT_EQ(conninfo_attempts(conninfo_to_dict("host=two.com"), fake_resolve),
            (std::vector<ConnInfoDict>{{{"host", "two.com"}, {"hostaddr", "3.3.3.3"}},
                                       {{"host", "two.com"}, {"hostaddr", "::3"}}}));
  // Hosts that do not resolve are skipped.
  EXPECT_EQ(conninfo_attempts(conninfo_to_dict("host=nosuchhost.com,foo.com"), fake_resolve),
            (std::vector<ConnInfoDict>{{{"host", "foo.com"}, {"hostaddr", "1.1.1.1"}}}));
  // If none resolves, the last error is raised.
  EXPECT_EQ(what_of<OperationalError>([] {
              conninfo_attempts(conninfo_to_dict("host=bad1.com,bad2.com"), fake_resolve);
            }),
            "unknown test host: bad2.com");
}

TEST_F(ConninfoTest, ConninfoAttemptsLeavesWhatNeedsNoResolution) {
  const std::vector<std::string> untouched = {
      "",
      "host='' user=bar",
      "host=/var/run/postgresql",
      "host=@abstract",
      R"(host=C:\\pg\\sockets)",
      "host=foo.com hostaddr=1.2.3.4",
  };
  for (const std::string& conninfo : untouched) {
    SCOPED_TRACE(conninfo);
    const ConnInfoDict params = conninfo_to_dict(conninfo);
    EXPECT_EQ(conninfo_attempts(params, no_resolve), std::vector<ConnInfoDict>{params});
  }
  EXPECT_EQ(conninfo_attempts(conninfo_to_dict("host=127.0.0.1 user=bar"), no_resolve),
            (std::vector<ConnInfoDict>{
                {{"host", "127.0.0.1"}, {"user", "bar"}, {"hostaddr", "127.0.0.1"}}}));
  EXPECT_EQ(conninfo_attempts(conninfo_to_dict("host=::1,1.1.1.1"), no_resolve),
            (std::vector<ConnInfoDict>{{{"host", "::1"}, {"hostaddr", "::1"}},
                                       {{"host", "1.1.1.1"}, {"hostaddr", "1.1.1.1"}}}));
  setenv("PGHOSTADDR", "1.2.3.4", 1);
  EXPECT_EQ(conninfo_attempts(conninfo_to_dict("host=foo.com"), no_resolve),
            (std::vector<ConnInfoDict>{{{"host", "foo.com"}}}));
}

TEST_F(ConninfoTest, ConninfoAttemptsWithoutResolverOnlySplits) {
  EXPECT_EQ(conninfo_attempts(conninfo_to_dict("host=foo.com,qux.com")),
            (std::vector<ConnInfoDict>{{{"host", "foo.com"}}, {{"host", "qux.com"}}}));
}

TEST_F(ConninfoTest, ResolverGetsTheDefaultPort) {
  std::string seen_port;
  auto resolver = [&](const std::string&, const std::string& port) {
    seen_port = port;
    return std::vector<std::string>{"1.1.1.1"};
  };
  conninfo_attempts(conninfo_to_dict("host=foo.com"), resolver);
  EXPECT_EQ(seen_port, "5432");
  conninfo_attempts(conninfo_to_dict("host=foo.com port=6543"), resolver);
  EXPECT_EQ(seen_port, "6543");
}

TEST_F(ConninfoTest, ResolveHostUsesGetaddrinfo) {
  EXPECT_EQ(resolve_host("127.0.0.1", "5432"), std::vector<std::string>{"127.0.0.1"});
  const std::vector<std::string> local = resolve_host("localhost", "5432");
  ASSERT_FALSE(local.empty());
  for (const std::string& address : local) {
    EXPECT_TRUE(address == "127.0.0.1" || address == "::1") << address;
  }
  EXPECT_EQ(
      what_of<OperationalError>([] { resolve_host("", ""); }).rfind("failed to resolve host ''", 0),
      0u);
}

TEST_F(ConninfoTest, TimeoutFollowsPsycopgsRule) {
  using std::chrono::seconds;
  EXPECT_EQ(timeout_from_conninfo({}), seconds(130));
  EXPECT_EQ(timeout_from_conninfo({{"connect_timeout", "10"}}), seconds(10));
  EXPECT_EQ(timeout_from_conninfo({{"connect_timeout", "2"}}), seconds(2));
  EXPECT_EQ(timeout_from_conninfo({{"connect_timeout", "1"}}), seconds(2));
  EXPECT_EQ(timeout_from_conninfo({{"connect_timeout", "1.9"}}), seconds(2));
  EXPECT_EQ(timeout_from_conninfo({{"connect_timeout", "3.7"}}), seconds(3));
  EXPECT_EQ(timeout_from_conninfo({{"connect_timeout", " 3 "}}), seconds(3));
  EXPECT_EQ(timeout_from_conninfo({{"connect_timeout", "0"}}), seconds(130));
  EXPECT_EQ(timeout_from_conninfo({{"connect_timeout", "-5"}}), seconds(130));
  EXPECT_EQ(timeout_from_conninfo({{"connect_timeout", "0.5"}}), seconds(130));
  setenv("PGCONNECT_TIMEOUT", "5", 1);
  EXPECT_EQ(timeout_from_conninfo({}), seconds(5));
  EXPECT_EQ(timeout_from_conninfo({{"connect_timeout", "7"}}), seconds(7));
}

TEST_F(ConninfoTest, TimeoutThatIsNotANumberIsAProgrammingError) {
  for (const char* bad : {"abc", "", "5s", "inf", "nan", "0x10", "1e30"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(what_of<ProgrammingError>([&] {
                timeout_from_conninfo({{"connect_timeout", bad}});
              }),
              std::string("bad value for connect_timeout: '") + bad + "'");
  }
  setenv("PGCONNECT_TIMEOUT", "soon", 1);
  EXPECT_EQ(what_of<ProgrammingError>([] { timeout_from_conninfo({}); }),
            "bad value for connect_timeout: 'soon'");
}

TEST_F(ConninfoTest, PasswordsAreMaskedForDisplay) {
  EXPECT_EQ(mask_password({{"user", "u"}, {"password", "secret"}, {"sslpassword", "key"}}),
            (ConnInfoDict{{"user", "u"},
                          {"password", std::string(kMaskedPassword)},
                          {"sslpassword", std::string(kMaskedPassword)}}));
  EXPECT_EQ(mask_password({{"user", "u"}}), (ConnInfoDict{{"user", "u"}}));
  const std::string shown = conninfo_for_display("postgresql://u:s3cr%20t@h/db");
  EXPECT_EQ(shown, "dbname=db host=h password=******** user=u");
  EXPECT_EQ(shown.find("s3cr"), std::string::npos);
  EXPECT_EQ(conninfo_for_display("dbname='my db'"), "dbname='my db'");
}

}  // namespace
}  // namespace pgcpp
