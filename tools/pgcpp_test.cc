// `pgcpp` end to end: the built binary spawned as a process against real servers (this
// suite's database on the shared test server, or the embedded server it starts itself).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "pgcpp/core/connection.h"
#include "pgcpp/testing/database.h"
#include "tools/bench_command.h"
#include "tools/json_check.h"

namespace pgcpp::tools {
namespace {

struct Outcome {
  int exit_code = -1;
  std::string out{};
  std::string err{};
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string temp_path(std::string_view name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + std::string(name);
}

// Runs the pgcpp binary with exactly `env` as its environment (plus PATH).
Outcome run_pgcpp(const std::vector<std::string>& args, std::vector<std::string> env,
                  std::chrono::seconds timeout = std::chrono::seconds(120)) {
  static int counter = 0;
  const std::string out_path = temp_path("out" + std::to_string(++counter));
  const std::string err_path = temp_path("err" + std::to_string(counter));
  const std::string binary = std::filesystem::absolute("tools/pgcpp").string();
  std::vector<std::string> argv_strings = {binary};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  env.push_back("PATH=/usr/bin:/bin");
  std::vector<char*> argv, envp;
  for (std::string& s : argv_strings) argv.push_back(s.data());
  for (std::string& s : env) envp.push_back(s.data());
  argv.push_back(nullptr);
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot spawn " + binary);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGTERM);
      waitpid(pid, &status, 0);
      ADD_FAILURE() << "pgcpp " << args[0] << " ran longer than " << timeout.count() << " s";
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), read_file(out_path),
          read_file(err_path)};
}

// User types get new oids in every database: "type_oid": 16385 -> "type_oid": USER.
std::string mask_user_oids(const std::string& json) {
  return std::regex_replace(json, std::regex(R"j("type_oid": \d{5,})j"), "\"type_oid\": USER");
}

// One column per type family of `pgcpp query --help` (mood, pair and hstore are made by
// SetUpTestSuite).
constexpr char kEveryFamily[] =
    "SELECT NULL::int4 AS nul, true AS b, 32767::int2 AS i2, 2147483647 AS i4, "
    "9007199254740993::int8 AS i8, 4000000000::oid AS o, 1.1::float4 AS f4, 0.1::float8 AS f8, "
    "'NaN'::float8 AS fnan, '-Infinity'::float4 AS finf, "
    "12345678901234567890.0123::numeric AS num, E'h\\u00e9llo \"q\"\\n' AS t, "
    "'x'::varchar AS vc, 'happy'::mood AS e, '192.168.0.1/24'::inet AS ip, "
    "'10.0.0.0/8'::cidr AS net, 'F47AC10B-58CC-4372-A567-0E02B2C3D479'::uuid AS u, "
    "'\\x00ff10'::bytea AS by, '2024-02-29'::date AS d, 'infinity'::date AS dinf, "
    "'13:45:00.25'::time AS tm, '2024-01-31 12:00:00.5'::timestamp AS ts, "
    "'2024-01-31 12:00:00+02'::timestamptz AS tstz, '-infinity'::timestamptz AS tsinf, "
    "'1 year 2 mons -3 days 04:05:06.5'::interval AS iv, '{\"a\": [1, 2]}'::json AS j, "
    "'{\"b\": null}'::jsonb AS jb, ARRAY[[1,2],[3,NULL]]::int4[] AS arr, '{}'::text[] AS earr, "
    "ROW(1,'x')::pair AS comp, '[1,10)'::int4range AS r, 'empty'::int4range AS er, "
    "'(,2024-01-01]'::daterange AS dr, '{[1,3),[5,7)}'::int4multirange AS mr, "
    "'a=>1, b=>NULL'::hstore AS h";

constexpr char kEveryFamilyJson[] =
    R"j({"columns": [{"name": "nul", "type_oid": 23, "type": "int4"}, )j"
    R"j({"name": "b", "type_oid": 16, "type": "bool"}, )j"
    R"j({"name": "i2", "type_oid": 21, "type": "int2"}, )j"
    R"j({"name": "i4", "type_oid": 23, "type": "int4"}, )j"
    R"j({"name": "i8", "type_oid": 20, "type": "int8"}, )j"
    R"j({"name": "o", "type_oid": 26, "type": "oid"}, )j"
    R"j({"name": "f4", "type_oid": 700, "type": "float4"}, )j"
    R"j({"name": "f8", "type_oid": 701, "type": "float8"}, )j"
    R"j({"name": "fnan", "type_oid": 701, "type": "float8"}, )j"
    R"j({"name": "finf", "type_oid": 700, "type": "float4"}, )j"
    R"j({"name": "num", "type_oid": 1700, "type": "numeric"}, )j"
    R"j({"name": "t", "type_oid": 25, "type": "text"}, )j"
    R"j({"name": "vc", "type_oid": 1043, "type": "varchar"}, )j"
    R"j({"name": "e", "type_oid": USER, "type": "mood"}, )j"
    R"j({"name": "ip", "type_oid": 869, "type": "inet"}, )j"
    R"j({"name": "net", "type_oid": 650, "type": "cidr"}, )j"
    R"j({"name": "u", "type_oid": 2950, "type": "uuid"}, )j"
    R"j({"name": "by", "type_oid": 17, "type": "bytea"}, )j"
    R"j({"name": "d", "type_oid": 1082, "type": "date"}, )j"
    R"j({"name": "dinf", "type_oid": 1082, "type": "date"}, )j"
    R"j({"name": "tm", "type_oid": 1083, "type": "time"}, )j"
    R"j({"name": "ts", "type_oid": 1114, "type": "timestamp"}, )j"
    R"j({"name": "tstz", "type_oid": 1184, "type": "timestamptz"}, )j"
    R"j({"name": "tsinf", "type_oid": 1184, "type": "timestamptz"}, )j"
    R"j({"name": "iv", "type_oid": 1186, "type": "interval"}, )j"
    R"j({"name": "j", "type_oid": 114, "type": "json"}, )j"
    R"j({"name": "jb", "type_oid": 3802, "type": "jsonb"}, )j"
    R"j({"name": "arr", "type_oid": 1007, "type": "int4[]"}, )j"
    R"j({"name": "earr", "type_oid": 1009, "type": "text[]"}, )j"
    R"j({"name": "comp", "type_oid": USER, "type": "pair"}, )j"
    R"j({"name": "r", "type_oid": 3904, "type": "int4range"}, )j"
    R"j({"name": "er", "type_oid": 3904, "type": "int4range"}, )j"
    R"j({"name": "dr", "type_oid": 3912, "type": "daterange"}, )j"
    R"j({"name": "mr", "type_oid": 4451, "type": "int4multirange"}, )j"
    R"j({"name": "h", "type_oid": USER, "type": "hstore"}], "rows": [)j"
    "\n  "
    R"j([null, true, 32767, 2147483647, 9007199254740993, 4000000000, 1.1, 0.1, "NaN", )j"
    R"j("-Infinity", "12345678901234567890.0123", "héllo \"q\"\n", "x", "happy", )j"
    R"j("192.168.0.1/24", "10.0.0.0/8", "f47ac10b-58cc-4372-a567-0e02b2c3d479", "\\x00ff10", )j"
    R"j("2024-02-29", "infinity", "13:45:00.25", "2024-01-31T12:00:00.5", )j"
    R"j("2024-01-31T10:00:00+00:00", "-infinity", )j"
    R"j({"months": 14, "days": -3, "microseconds": 14706500000}, {"a": [1, 2]}, {"b": null}, )j"
    R"j([[1, 2], [3, null]], [], [1, "x"], {"empty": false, "lower": 1, "upper": 10, "bounds": "[)"}, )j"
    R"j({"empty": true, "lower": null, "upper": null, "bounds": ""}, )j"
    R"j({"empty": false, "lower": null, "upper": "2024-01-02", "bounds": "()"}, )j"
    R"j([{"empty": false, "lower": 1, "upper": 3, "bounds": "[)"}, )j"
    R"j({"empty": false, "lower": 5, "upper": 7, "bounds": "[)"}], {"a": "1", "b": null}])j"
    "\n]}\n";

class PgcppTest : public testing::DatabaseTest {
 protected:
  static void SetUpTestSuite() {
    DatabaseTest::SetUpTestSuite();
    Connection conn = Connection::connect(dsn(), {.autocommit = true});
    conn.execute(
        "CREATE EXTENSION hstore; CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); "
        "CREATE TYPE pair AS (a int4, b text)");
  }

  // PGCPP_DSN pointing at this suite's database.
  static Outcome run(const std::vector<std::string>& args) {
    return run_pgcpp(args, {"PGCPP_DSN=" + dsn()});
  }
};

TEST_F(PgcppTest, JsonRendersEveryTypeFamilyFromLoadedValues) {
  Outcome text = run({"query", "--format", "json", kEveryFamily});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_TRUE(is_valid_json(text.out)) << text.out;
  EXPECT_EQ(mask_user_oids(text.out), kEveryFamilyJson);
}

TEST_F(PgcppTest, BinaryResultsPrintTheSameJsonAsText) {
  Outcome text = run({"query", "--format", "json", kEveryFamily});
  Outcome binary = run({"query", "--format", "json", "--binary", kEveryFamily});
  ASSERT_EQ(binary.exit_code, 0) << binary.err;
  EXPECT_EQ(binary.out, text.out);
}

TEST_F(PgcppTest, OtherTypesPrintTheirTextInBothFormats) {
  const std::string sql =
      "SELECT '(1,2)'::point AS p, 5::money AS m, NULL::point AS n, '\\x01'::bytea AS b";
  Outcome text = run({"query", "--format", "json", sql});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find(R"j(["(1,2)", "$5.00", null, "\\x01"])j"), std::string::npos) << text.out;
  Outcome binary = run({"query", "--format", "json", "--binary", sql});
  ASSERT_EQ(binary.exit_code, 0) << binary.err;
  EXPECT_EQ(binary.out, text.out);
}

TEST_F(PgcppTest, TableLooksLikePsql) {
  Outcome r = run({"query",
                   "SELECT * FROM (VALUES (1, 'Ann'::text, 12.5::numeric, NULL::date), "
                   "(22, 'Bo, \"B\"', 1, '2024-02-29')) AS t(id, name, price, since)"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            " id |  name   | price |   since    \n"
            "----+---------+-------+------------\n"
            "  1 | Ann     |  12.5 | \n"
            " 22 | Bo, \"B\" |     1 | 2024-02-29\n"
            "(2 rows)\n");
}

TEST_F(PgcppTest, TableAndCsvOfEveryTypeFamily) {
  Outcome table = run({"query", kEveryFamily});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("| happy |"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("| {\"months\": 14, \"days\": -3, \"microseconds\": 14706500000} |"),
            std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("| 2024-01-31T10:00:00+00:00 |"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("(1 row)\n"), std::string::npos);

  Outcome csv = run({"query", "--format", "csv", kEveryFamily});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out,
            "nul,b,i2,i4,i8,o,f4,f8,fnan,finf,num,t,vc,e,ip,net,u,by,d,dinf,tm,ts,tstz,tsinf,iv,j,"
            "jb,arr,earr,comp,r,er,dr,mr,h\r\n"
            ",true,32767,2147483647,9007199254740993,4000000000,1.1,0.1,NaN,-Infinity,"
            "12345678901234567890.0123,\"héllo \"\"q\"\"\n\",x,happy,192.168.0.1/24,10.0.0.0/8,"
            "f47ac10b-58cc-4372-a567-0e02b2c3d479,\\x00ff10,2024-02-29,infinity,13:45:00.25,"
            "2024-01-31T12:00:00.5,2024-01-31T10:00:00+00:00,-infinity,"
            "\"{\"\"months\"\": 14, \"\"days\"\": -3, \"\"microseconds\"\": 14706500000}\","
            "\"{\"\"a\"\": [1, 2]}\",\"{\"\"b\"\": null}\",\"[[1, 2], [3, null]]\",[],"
            "\"[1, \"\"x\"\"]\",\"{\"\"empty\"\": false, \"\"lower\"\": 1, \"\"upper\"\": 10, "
            "\"\"bounds\"\": \"\"[)\"\"}\",\"{\"\"empty\"\": true, \"\"lower\"\": null, "
            "\"\"upper\"\": null, \"\"bounds\"\": \"\"\"\"}\",\"{\"\"empty\"\": false, "
            "\"\"lower\"\": null, \"\"upper\"\": \"\"2024-01-02\"\", \"\"bounds\"\": \"\"()\"\"}\","
            "\"[{\"\"empty\"\": false, \"\"lower\"\": 1, \"\"upper\"\": 3, \"\"bounds\"\": "
            "\"\"[)\"\"}, {\"\"empty\"\": false, \"\"lower\"\": 5, \"\"upper\"\": 7, "
            "\"\"bounds\"\": \"\"[)\"\"}]\",\"{\"\"a\"\": \"\"1\"\", \"\"b\"\": null}\"\r\n");
}

TEST_F(PgcppTest, ParametersFillPlaceholders) {
  Outcome r = run({"query", "--format", "csv", "SELECT %s::int4 + 1 AS n, %s AS s", "41", "-x"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "n,s\r\n42,-x\r\n");
  Outcome after_dashes = run({"query", "--format", "csv", "--", "SELECT %s AS s", "--binary"});
  ASSERT_EQ(after_dashes.exit_code, 0) << after_dashes.err;
  EXPECT_EQ(after_dashes.out, "s\r\n--binary\r\n");
}

TEST_F(PgcppTest, BadQueryReportsSqlstatePositionAndHint) {
  Outcome syntax = run({"query", "SELECT 1 FROM WHERE"});
  EXPECT_EQ(syntax.exit_code, 1);
  EXPECT_EQ(syntax.out, "");
  EXPECT_NE(syntax.err.find("pgcpp query: pgcpp::errors::SyntaxError: ERROR 42601: syntax error"),
            std::string::npos)
      << syntax.err;
  EXPECT_NE(syntax.err.find("LINE 1: SELECT 1 FROM WHERE\n                      ^\n"),
            std::string::npos)
      << syntax.err;
  EXPECT_NE(syntax.err.find("POSITION: 15"), std::string::npos) << syntax.err;

  Outcome hint = run({"query", "SELECT lenght('x')"});
  EXPECT_EQ(hint.exit_code, 1);
  EXPECT_NE(hint.err.find("ERROR 42883: function lenght(unknown) does not exist"),
            std::string::npos)
      << hint.err;
  EXPECT_NE(hint.err.find("HINT: No function matches"), std::string::npos) << hint.err;
}

TEST_F(PgcppTest, BadDsnReportsTheConnectionFailure) {
  Outcome r =
      run_pgcpp({"query", "--dsn", "host=127.0.0.1 port=1 connect_timeout=5", "SELECT 1"}, {});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("pgcpp query: pgcpp::OperationalError: connection failed"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("Connection refused"), std::string::npos) << r.err;

  Outcome malformed = run_pgcpp({"query", "--dsn", "nonsense", "SELECT 1"}, {});
  EXPECT_EQ(malformed.exit_code, 1);
  EXPECT_NE(malformed.err.find("nonsense"), std::string::npos) << malformed.err;
}

TEST_F(PgcppTest, UsageErrorsExitWithTwo) {
  Outcome unknown = run({"query", "--bogus", "SELECT 1"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown option '--bogus'"), std::string::npos) << unknown.err;
  EXPECT_EQ(run({"query", "--format", "xml", "SELECT 1"}).exit_code, 2);
  EXPECT_EQ(run({"query"}).exit_code, 2);
  EXPECT_EQ(run({"nosuchcommand"}).exit_code, 2);
}

TEST_F(PgcppTest, EveryCommandHasHelp) {
  for (std::string command : {"query", "server", "demo", "bench"}) {
    Outcome r = run({command, "--help"});
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_EQ(r.out.rfind("usage: pgcpp " + command, 0), 0u) << r.out;
  }
}

TEST_F(PgcppTest, EmbeddedServerWhenNoDsnIsSet) {
  // No PGCPP_DSN and no PG* variables in the child's environment.
  Outcome r = run_pgcpp({"query", "--format", "csv", "SELECT current_setting('port') AS port"}, {});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("starting an embedded server"), std::string::npos) << r.err;
  std::smatch port;
  ASSERT_TRUE(std::regex_search(r.err, port, std::regex("port=(\\d+)"))) << r.err;
  EXPECT_EQ(r.out, "port\r\n" + port[1].str() + "\r\n");
  // Gone once the command ended.
  EXPECT_THROW(Connection::connect("host=127.0.0.1 connect_timeout=5 port=" + port[1].str()),
               OperationalError);
}

TEST_F(PgcppTest, ServerForTwoSecondsLeavesNothingBehind) {
  Outcome r = run({"server", "--for", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::smatch dsn, data;
  ASSERT_TRUE(std::regex_search(r.out, dsn, std::regex("dsn: (.*)\n"))) << r.out;
  ASSERT_TRUE(std::regex_search(r.out, data, std::regex("data: (.*)\n"))) << r.out;
  EXPECT_FALSE(std::filesystem::exists(data[1].str())) << data[1];
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(data[1].str()).parent_path()));
  EXPECT_THROW(Connection::connect(dsn[1].str() + " connect_timeout=5"), OperationalError);
  // No process still runs on that folder.
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::string cmdline = read_file(entry.path().string() + "/cmdline");
    EXPECT_EQ(cmdline.find(data[1].str()), std::string::npos) << entry.path();
  }
}

TEST_F(PgcppTest, BenchWritesValidJson) {
  const std::string json_path = temp_path("bench.json");
  const std::string svg_path = temp_path("bench.svg");
  Outcome r = run(
      {"bench", "--rows", "10000", "--repetitions", "2", "--json", json_path, "--svg", svg_path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string json = read_file(json_path);
  EXPECT_TRUE(is_valid_json(json)) << json;
  EXPECT_NE(json.find("\"workloads\": ["), std::string::npos) << json;
  for (const BenchEntry& entry : bench_workloads()) {
    EXPECT_NE(json.find("\"name\": \"" + entry.name + "\""), std::string::npos) << json;
  }
  EXPECT_NE(json.find("\"size\": 10000, \"sized_by\": \"rows\""), std::string::npos) << json;
  EXPECT_EQ(read_file(svg_path).rfind("<svg ", 0), 0u);
  EXPECT_NE(r.out.find(" workload "), std::string::npos) << r.out;
}

TEST_F(PgcppTest, DemoRunsToTheEnd) {
  const auto start = std::chrono::steady_clock::now();
  Outcome r = run({"demo"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
  EXPECT_NE(r.out.find("demo finished: 8 steps"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("] 100% 1000000 rows\n  COPY pgcpp_demo_copy FROM STDIN: COPY 1000000"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("read 500000 rows, sum of score 62499875000"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("accounts holds 1 row"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("received on pgcpp_demo: 'hello from B'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("recover() from a new connection found it"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("requests_num=2000"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace pgcpp::tools
