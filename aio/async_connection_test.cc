#include "pgcpp/aio/async_connection.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "pgcpp/adapt/row.h"
#include "pgcpp/aio/async_test_util.h"
#include "pgcpp/aio/event_loop.h"
#include "pgcpp/aio/task.h"
#include "pgcpp/core/connection.h"
#include "pgcpp/core/conninfo.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/testing/database.h"

namespace pgcpp {
namespace {

using Commands = std::vector<std::string>;

class AsyncConnectionTest : public pgcpp::testing::DatabaseTest {
 protected:
  void SetUp() override {
    Connection conn = Connection::connect(dsn(), {.autocommit = true});
    conn.exec_command("DROP TABLE IF EXISTS items");
    conn.exec_command("CREATE TABLE items (id int PRIMARY KEY)");
  }

  // What another connection sees committed.
  static int64_t committed_count() {
    Connection conn = Connection::connect(dsn());
    auto row = conn.execute("SELECT count(*) FROM items").fetchone(typed_row<int64_t>);
    return std::get<0>(*row);
  }

  // Connects and records the connection's internal commands in `commands`.
  Task<AsyncConnection> connect_observed(Commands& commands) {
    AsyncConnection conn = co_await AsyncConnection::connect(dsn());
    conn.base().set_command_observer(
        [&commands](std::string_view command) { commands.emplace_back(command); });
    co_return conn;
  }

  EventLoop loop_;
};

TEST_F(AsyncConnectionTest, ConnectExecuteFetch) {
  loop_.run([&]() -> Task<void> {
    AsyncConnection conn = co_await AsyncConnection::connect(dsn());
    EXPECT_FALSE(conn.closed());
    EXPECT_FALSE(conn.autocommit());
    AsyncCursor cur =
        co_await conn.execute("SELECT 1 AS one, 'two' AS two UNION ALL SELECT 3, 'x'");
    EXPECT_EQ(cur.rowcount(), 2);
    CO_ASSERT_TRUE(cur.description().has_value());
    EXPECT_EQ((*cur.description())[0].name, "one");
    EXPECT_EQ((*cur.description())[1].name, "two");
    auto first = cur.fetchone(typed_row<int, std::string>);
    CO_ASSERT_TRUE(first.has_value());
    EXPECT_EQ(*first, std::make_tuple(1, std::string("two")));
    std::vector<std::tuple<int, std::string>> rest = cur.fetchall(typed_row<int, std::string>);
    EXPECT_EQ(rest, (std::vector<std::tuple<int, std::string>>{{3, "x"}}));
    EXPECT_FALSE(cur.fetchone().has_value());
    // The implicit transaction, as the sync client.
    EXPECT_EQ(conn.transaction_status(), TransactionStatus::kInTrans);
    EXPECT_EQ(conn.info().dbname(), database_name());
    co_await conn.close();
    EXPECT_TRUE(conn.closed());
    EXPECT_FALSE(conn.broken());
  }());
}

TEST_F(AsyncConnectionTest, ParametersAndTypedRows) {
  loop_.run([&]() -> Task<void> {
    AsyncConnection conn = co_await AsyncConnection::connect(dsn(), {.autocommit = true});
    std::string name = "Ann";
    AsyncCursor cur = co_await conn.execute("SELECT %s::int + %s, %s, %s::text IS NULL", 40, 2,
                                            name, std::optional<std::string>());
    std::vector<std::tuple<int, std::string, bool>> rows;
    for (auto row : cur.rows<int, std::string, bool>()) rows.push_back(row);
    EXPECT_EQ(rows, (std::vector<std::tuple<int, std::string, bool>>{{42, "Ann", true}}));

    // A cursor executed again; the parameters may be temporaries.
    AsyncCursor again = conn.cursor();
    co_await again.execute("SELECT generate_series(1, %s)", 5);
    EXPECT_EQ(again.fetchmany(2, typed_row<int>).size(), 2u);
    co_await again.execute("SELECT %s || 'x'", std::string("temp"));
    EXPECT_EQ(std::get<0>(*again.fetchone(typed_row<std::string>)), "tempx");

    // Zero-copy row views and dict rows.
    co_await again.execute("SELECT 7 AS seven");
    int64_t total = 0;
    for (const Row& row : again) total += row.get<int64_t>(0);
    EXPECT_EQ(total, 7);
    co_await again.execute("SELECT 8 AS eight");
    std::vector<DictRow> dicts = again.fetchall(dict_row);
    CO_ASSERT_TRUE(dicts.size() == 1u);
    EXPECT_EQ(dicts[0].at("eight").get<int>(), 8);
  }());
}

TEST_F(AsyncConnectionTest, NamedAndRunTimeParameters) {
  loop_.run([&]() -> Task<void> {
    AsyncConnection conn = co_await AsyncConnection::connect(dsn());
    AsyncCursor cur = conn.cursor();
    NamedParams named{{"a", Value(2)}, {"b", Value(std::string("x"))}};
    co_await cur.execute_named("SELECT %(a)s::int * %(a)s, %(b)s", named);
    EXPECT_EQ(*cur.fetchone(typed_row<int, std::string>), std::make_tuple(4, std::string("x")));
    std::vector<Value> values{Value(40), Value(2)};
    co_await cur.execute_values("SELECT %s::int + %s", values);
    EXPECT_EQ(std::get<0>(*cur.fetchone(typed_row<int>)), 42);
  }());
}

TEST_F(AsyncConnectionTest, RawAndClientSideCursorFactories) {
  loop_.run([&]() -> Task<void> {
    AsyncConnection raw =
        co_await AsyncConnection::connect(dsn(), {.cursor_factory = CursorFactory::kRawCursor});
    AsyncCursor cur = co_await raw.execute("SELECT $1::int + $1::int", 21);
    EXPECT_EQ(std::get<0>(*cur.fetchone(typed_row<int>)), 42);

    AsyncConnection client =
        co_await AsyncConnection::connect(dsn(), {.cursor_factory = CursorFactory::kClientCursor});
    AsyncCursor merged = co_await client.execute("SELECT %s::int * 2, %s", 21, "it's");
    EXPECT_EQ(*merged.fetchone(typed_row<int, std::string>),
              std::make_tuple(42, std::string("it's")));
    NamedParams named{{"a", Value(3)}};
    co_await merged.execute_named("SELECT %(a)s::int + %(a)s", named);
    EXPECT_EQ(std::get<0>(*merged.fetchone(typed_row<int>)), 6);
  }());
}

TEST_F(AsyncConnectionTest, RowsOfATemporaryCursorOwnTheResult) {
  loop_.run([&]() -> Task<void> {
    AsyncConnection conn = co_await AsyncConnection::connect(dsn());
    int sum = 0;
    for (auto [n] : (co_await conn.execute("SELECT generate_series(1, 4)")).rows<int>()) sum += n;
    EXPECT_EQ(sum, 10);
  }());
}

struct Item {
  int id;
  std::string label;
};

TEST_F(AsyncConnectionTest, CursorsWithARowFactory) {
  loop_.run([&]() -> Task<void> {
    AsyncConnection conn = co_await AsyncConnection::connect(dsn());
    auto dicts = conn.cursor(dict_row);
    std::optional<DictRow> row = (co_await dicts.execute("SELECT 1 AS x")).fetchone();
    CO_ASSERT_TRUE(row.has_value());
    EXPECT_EQ(row->at("x").get<int32_t>(), 1);
    auto items = conn.cursor(class_row<Item>);
    co_await items.execute("SELECT n AS id, 'n' || n AS label FROM generate_series(1, 3) n");
    std::vector<std::string> labels;
    for (const Item& item : items.rows()) labels.push_back(item.label);
    EXPECT_EQ(labels, (std::vector<std::string>{"n1", "n2", "n3"}));
    // A factory passed to a call still wins.
    co_await items.execute("SELECT 4, 'four'");
    std::optional<std::tuple<int, std::string>> plain = items.fetchone(typed_row<int, std::string>);
    CO_ASSERT_TRUE(plain.has_value());
    EXPECT_EQ(*plain, std::make_tuple(4, std::string("four")));
  }());
}

TEST_F(AsyncConnectionTest, ABadParameterCountRaisesLikeTheSyncCursor) {
  loop_.run([&]() -> Task<void> {
    AsyncConnection conn = co_await AsyncConnection::connect(dsn());
    AsyncCursor cur = conn.cursor();
    EXPECT_THROW(co_await cur.execute("SELECT %s, %s", 1), ProgrammingError);
  }());
}

TEST_F(AsyncConnectionTest, ErrorsRaiseTheSyncClientsClassesBySqlstate) {
  loop_.run([&]() -> Task<void> {
    AsyncConnection conn = co_await AsyncConnection::connect(dsn(), {.autocommit = true});
    try {
      co_await conn.execute("SELECT * FROM no_such_table");
      ADD_FAILURE() << "no exception";
    } catch (const errors::UndefinedTable& e) {
      EXPECT_EQ(e.sqlstate(), "42P01");
    }
    co_await conn.execute("INSERT INTO items VALUES (1)");
    EXPECT_THROW(co_await conn.execute("INSERT INTO items VALUES (%s)", 1),
                 errors::UniqueViolation);
    EXPECT_THROW(co_await conn.execute("SELECT 1 / 0"), errors::DivisionByZero);
    EXPECT_THROW(co_await conn.exec_command("SELEC 1"), errors::SyntaxError);
    // The connection stays usable.
    AsyncCursor cur = co_await conn.execute("SELECT 1");
    EXPECT_EQ(std::get<0>(*cur.fetchone(typed_row<int>)), 1);
  }());
  // The same class from the sync client.
  Connection sync = Connection::connect(dsn());
  EXPECT_THROW(sync.execute("SELECT * FROM no_such_table"), errors::UndefinedTable);
}

TEST_F(AsyncConnectionTest, AFailedStatementNeedsARollbackOutsideAutocommit) {
  loop_.run([&]() -> Task<void> {
    AsyncConnection conn = co_await AsyncConnection::connect(dsn());
    EXPECT_THROW(co_await conn.execute("SELECT 1 / 0"), errors::DivisionByZero);
    EXPECT_EQ(conn.transaction_status(), TransactionStatus::kInError);
    EXPECT_THROW(co_await conn.execute("SELECT 1"), errors::InFailedSqlTransaction);
    co_await conn.rollback();
    EXPECT_EQ(conn.transaction_status(), TransactionStatus::kIdle);
  }());
}

TEST_F(AsyncConnectionTest, CommitAndRollback) {
  Commands commands;
  loop_.run([&]() -> Task<void> {
    AsyncConnection conn = co_await connect_observed(commands);
    co_await conn.execute("INSERT INTO items VALUES (1)");
    co_await conn.commit();
    co_await conn.execute("INSERT INTO items VALUES (2)");
    co_await conn.rollback();
  }());
  EXPECT_EQ(commands, (Commands{"BEGIN", "COMMIT", "BEGIN", "ROLLBACK"}));
  EXPECT_EQ(committed_count(), 1);
}

TEST_F(AsyncConnectionTest, TransactionCommitsOnNormalReturn) {
  Commands commands;
  loop_.run([&]() -> Task<void> {
    AsyncConnection conn = co_await connect_observed(commands);
    co_await conn.transaction([&](AsyncTransaction& tx) -> Task<void> {
      EXPECT_EQ(tx.status(), AsyncTransaction::Status::kActive);
      co_await conn.execute("INSERT INTO items VALUES (1)");
    });
    EXPECT_EQ(conn.transaction_status(), TransactionStatus::kIdle);
  }());
  EXPECT_EQ(commands, (Commands{"BEGIN", "COMMIT"}));
  EXPECT_EQ(committed_count(), 1);
}

TEST_F(AsyncConnectionTest, TransactionRollsBackOnExceptionAndRethrows) {
  Commands commands;
  loop_.run([&]() -> Task<void> {
    AsyncConnection conn = co_await connect_observed(commands);
    EXPECT_THROW(co_await conn.transaction([&](AsyncTransaction&) -> Task<void> {
      co_await conn.execute("INSERT INTO items VALUES (1)");
      throw std::runtime_error("boom");
    }),
                 std::runtime_error);
    // A server error inside the block: rolled back, the error goes on.
    EXPECT_THROW(co_await conn.transaction([&](AsyncTransaction&) -> Task<void> {
      co_await conn.execute("INSERT INTO items VALUES (2)");
      co_await conn.execute("INSERT INTO items VALUES (2)");
    }),
                 errors::UniqueViolation);
  }());
  EXPECT_EQ(commands, (Commands{"BEGIN", "ROLLBACK", "BEGIN", "ROLLBACK"}));
  EXPECT_EQ(committed_count(), 0);
}

TEST_F(AsyncConnectionTest, NestedTransactionsUseSavepoints) {
  Commands commands;
  loop_.run([&]() -> Task<void> {
    AsyncConnection conn = co_await connect_observed(commands);
    co_await conn.transaction([&](AsyncTransaction&) -> Task<void> {
      co_await conn.execute("INSERT INTO items VALUES (1)");
      try {
        co_await conn.transaction([&](AsyncTransaction& inner) -> Task<void> {
          EXPECT_EQ(inner.savepoint_name(), "_pg3_2");
          co_await conn.execute("INSERT INTO items VALUES (2)");
          throw std::runtime_error("inner fails");
        });
      } catch (const std::runtime_error&) {
      }
      co_await conn.transaction([&](AsyncTransaction&) -> Task<void> {
        co_await conn.execute("INSERT INTO items VALUES (3)");
        throw Rollback();  // absorbed by this block
      });
      co_await conn.transaction([&](AsyncTransaction&) -> Task<void> {
        co_await conn.execute("INSERT INTO items VALUES (4)");
      });
    });
  }());
  EXPECT_EQ(commands, (Commands{"BEGIN", "SAVEPOINT \"_pg3_2\"", "ROLLBACK TO \"_pg3_2\"",
                                "RELEASE \"_pg3_2\"", "SAVEPOINT \"_pg3_2\"",
                                "ROLLBACK TO \"_pg3_2\"", "RELEASE \"_pg3_2\"",
                                "SAVEPOINT \"_pg3_2\"", "RELEASE \"_pg3_2\"", "COMMIT"}));
  Connection check = Connection::connect(dsn());
  std::vector<std::tuple<int>> ids =
      check.execute("SELECT id FROM items ORDER BY id").fetchall(typed_row<int>);
  EXPECT_EQ(ids, (std::vector<std::tuple<int>>{{1}, {4}}));
}

TEST_F(AsyncConnectionTest, RollbackNamingAnOuterBlockUnwindsToIt) {
  Commands commands;
  std::vector<std::string> log;
  loop_.run([&]() -> Task<void> {
    AsyncConnection conn = co_await connect_observed(commands);
    co_await conn.transaction([&](AsyncTransaction& outer) -> Task<void> {
      co_await conn.execute("INSERT INTO items VALUES (1)");
      co_await conn.transaction([&](AsyncTransaction&) -> Task<void> {
        co_await conn.execute("INSERT INTO items VALUES (2)");
        throw Rollback(outer);
      });
      log.push_back("not reached");
    });
    log.push_back("after the block");
    EXPECT_EQ(conn.transaction_status(), TransactionStatus::kIdle);
  }());
  EXPECT_EQ(log, (std::vector<std::string>{"after the block"}));
  EXPECT_EQ(commands, (Commands{"BEGIN", "SAVEPOINT \"_pg3_2\"", "ROLLBACK TO \"_pg3_2\"",
                                "RELEASE \"_pg3_2\"", "ROLLBACK"}));
  EXPECT_EQ(committed_count(), 0);
}

TEST_F(AsyncConnectionTest, AutocommitAndCharacteristicsSetters) {
  Commands commands;
  loop_.run([&]() -> Task<void> {
    AsyncConnection conn = co_await connect_observed(commands);
    co_await conn.set_autocommit(true);
    EXPECT_TRUE(conn.autocommit());
    co_await conn.execute("INSERT INTO items VALUES (1)");
    EXPECT_EQ(conn.transaction_status(), TransactionStatus::kIdle);  // no BEGIN
    co_await conn.set_autocommit(false);
    co_await conn.set_isolation_level(IsolationLevel::kSerializable);
    co_await conn.set_read_only(true);
    EXPECT_EQ(conn.isolation_level(), IsolationLevel::kSerializable);
    EXPECT_EQ(conn.read_only(), std::optional<bool>(true));
    AsyncCursor cur = co_await conn.execute("SHOW transaction_isolation");
    EXPECT_EQ(std::get<0>(*cur.fetchone(typed_row<std::string>)), "serializable");
    // Not idle: the setters refuse, as the sync ones do.
    EXPECT_THROW(co_await conn.set_autocommit(true), ProgrammingError);
    co_await conn.rollback();
    co_await conn.set_read_only(std::nullopt);
    co_await conn.set_deferrable(true);
    EXPECT_EQ(conn.deferrable(), std::optional<bool>(true));
  }());
  EXPECT_EQ(commands, (Commands{"BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY", "ROLLBACK"}));
  EXPECT_EQ(committed_count(), 1);
}

TEST_F(AsyncConnectionTest, OperationsOnAClosedConnectionRaise) {
  loop_.run([&]() -> Task<void> {
    AsyncConnection conn = co_await AsyncConnection::connect(dsn());
    co_await conn.close();
    co_await conn.close();  // idempotent
    EXPECT_TRUE(conn.closed());
    EXPECT_THROW(co_await conn.execute("SELECT 1"), OperationalError);
    EXPECT_THROW(co_await conn.commit(), OperationalError);
    co_await conn.cancel();  // nothing to do
  }());
}

TEST_F(AsyncConnectionTest, ConnectUsesTheLoopThatRunsIt) {
  Task<AsyncConnection> t = AsyncConnection::connect(dsn());  // lazy: nothing happens yet
  EventLoop other;
  EXPECT_NO_THROW(other.run(std::move(t)));  // inside run(), the running loop is used
}

TEST_F(AsyncConnectionTest, ConnectWithOptionsOnly) {
  ConnInfoDict params = conninfo_to_dict(dsn());
  loop_.run([&]() -> Task<void> {
    // Named, not a temporary of the co_await expression (GCC 12, see task.h).
    ConnectOptions options{.autocommit = true,
                           .host = params.at("host"),
                           .port = std::stoi(params.at("port")),
                           .dbname = database_name()};
    if (params.count("user")) options.user = params.at("user");
    AsyncConnection conn = co_await AsyncConnection::connect(options);
    EXPECT_TRUE(conn.autocommit());
    EXPECT_EQ(conn.info().dbname(), database_name());
  }());
}

TEST_F(AsyncConnectionTest, TheDestructorClosesEvenWithCursorsLeft) {
  loop_.run([&]() -> Task<void> {
    std::optional<AsyncConnection> conn(co_await AsyncConnection::connect(dsn()));
    AsyncCursor cur = co_await conn->execute("SELECT 1");
    BaseConnection& base = conn->base();
    std::shared_ptr<BaseConnection> keep = base.shared_from_this();
    conn.reset();
    EXPECT_TRUE(keep->closed());  // as the sync Connection: a cursor does not keep it open
    EXPECT_FALSE(keep->broken());
    EXPECT_EQ(std::get<0>(*cur.fetchone(typed_row<int>)), 1);  // its results stay readable
  }());
}

TEST_F(AsyncConnectionTest, ConnectionFailuresRaiseOperationalError) {
  loop_.run([&]() -> Task<void> {
    // Not a temporary: GCC 12 destroys a throwing co_await's temporaries twice (see task.h).
    const ConnectOptions options{.dbname = "no_such_database_here"};
    try {
      co_await AsyncConnection::connect(dsn(), options);
      ADD_FAILURE() << "connected";
    } catch (const OperationalError& e) {
      EXPECT_THAT(e.what(), ::testing::HasSubstr("no_such_database_here"));
    }
  }());
}

}  // namespace
}  // namespace pgcpp
