#include "pgcpp/aio/async_notifications.h"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pgcpp/aio/async_connection.h"
#include "pgcpp/aio/async_test_util.h"
#include "pgcpp/aio/event_loop.h"
#include "pgcpp/aio/task.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/notify/notify.h"
#include "pgcpp/testing/database.h"

namespace pgcpp {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class AsyncNotificationsTest : public pgcpp::testing::DatabaseTest {
 protected:
  static Task<AsyncConnection> connect_autocommit() {
    const ConnectOptions options{.autocommit = true};  // named: see task.h
    co_return co_await AsyncConnection::connect(dsn(), options);
  }

  // Everything a stream yields until it ends.
  static Task<std::vector<Notify>> drain(AsyncNotifyStream& stream) {
    std::vector<Notify> got;
    while (std::optional<Notify> n = co_await stream.next()) got.push_back(std::move(*n));
    co_return got;
  }

  // Spawns `other`, waits (`timeout` at most) for one notification while it runs,
  // then for `other` to end (its last step may still be ending when the
  // notification arrives).
  Task<std::optional<Notify>> one_while(AsyncNotifications& notifications, Task<void> other,
                                        Clock::duration timeout = seconds(30)) {
    bool done = false;
    loop_.spawn(flag_when_done(std::move(other), done));
    std::optional<Notify> got;
    {
      AsyncNotifyStream stream = notifications.notifies(timeout, 1);
      got = co_await stream.next();
    }
    while (!done) co_await loop_.sleep(milliseconds(5));
    co_return got;
  }
  static Task<void> flag_when_done(Task<void> task, bool& done) {
    co_await std::move(task);
    done = true;
  }

  EventLoop loop_;
};

TEST_F(AsyncNotificationsTest, NotifyFromAnotherConnectionReachesNotifiesAndHandler) {
  loop_.run([&]() -> Task<void> {
    AsyncConnection listener = co_await connect_autocommit();
    AsyncConnection sender = co_await connect_autocommit();
    AsyncNotifications notifications(listener);
    std::vector<Notify> handled;
    notifications.add_notify_handler([&](const Notify& n) { handled.push_back(n); });
    co_await notifications.listen("jobs");
    co_await sender.execute("NOTIFY jobs, 'job 1'");

    AsyncNotifyStream stream = notifications.notifies(seconds(30), 1);
    std::optional<Notify> got = co_await stream.next();
    const Notify expected{
        .channel = "jobs", .payload = "job 1", .pid = sender.info().backend_pid()};
    CO_ASSERT_TRUE(got.has_value());
    EXPECT_EQ(*got, expected);
    EXPECT_EQ(handled, std::vector<Notify>{expected});
    EXPECT_FALSE((co_await stream.next()).has_value());  // stop_after reached: no wait
    EXPECT_EQ(notifications.handler_errors(), 0u);
  }());
}

TEST_F(AsyncNotificationsTest, ListenThroughExecuteInAutocommit) {
  loop_.run([&]() -> Task<void> {
    AsyncConnection listener = co_await connect_autocommit();
    AsyncConnection sender = co_await connect_autocommit();
    AsyncNotifications notifications(listener);
    co_await listener.execute("LISTEN plain");
    co_await sender.execute("NOTIFY plain, 'via execute'");
    AsyncNotifyStream stream = notifications.notifies(seconds(30), 1);
    std::vector<Notify> got = co_await drain(stream);
    CO_ASSERT_TRUE(got.size() == 1u);
    EXPECT_EQ(got[0].channel, "plain");
    EXPECT_EQ(got[0].payload, "via execute");
  }());
}

TEST_F(AsyncNotificationsTest, StopAfterLeavesTheRestForTheNextRange) {
  loop_.run([&]() -> Task<void> {
    AsyncConnection listener = co_await connect_autocommit();
    AsyncConnection sender = co_await connect_autocommit();
    AsyncNotifications notifications(listener);
    co_await notifications.listen("batch");
    // One transaction: the three arrive together, in one read.
    co_await sender.execute(
        "DO $$ BEGIN PERFORM pg_notify('batch', '1'); PERFORM pg_notify('batch', '2');"
        " PERFORM pg_notify('batch', '3'); END $$");
    std::vector<Notify> first;
    {
      AsyncNotifyStream stream = notifications.notifies(seconds(30), 2);
      first = co_await drain(stream);
    }
    CO_ASSERT_TRUE(first.size() == 2u);
    EXPECT_EQ(first[0].payload, "1");
    EXPECT_EQ(first[1].payload, "2");
    AsyncNotifyStream rest = notifications.notifies(milliseconds(200));
    std::vector<Notify> second = co_await drain(rest);
    CO_ASSERT_TRUE(second.size() == 1u);
    EXPECT_EQ(second[0].payload, "3");
  }());
}

TEST_F(AsyncNotificationsTest, TimeoutEndsTheRangeWithWhatArrivedAndNoError) {
  loop_.run([&]() -> Task<void> {
    AsyncConnection listener = co_await connect_autocommit();
    AsyncNotifications notifications(listener);
    co_await notifications.listen("quiet");
    co_await notifications.notify("quiet", "only one");  // a session hears itself
    const auto start = Clock::now();
    std::vector<Notify> got;
    {
      AsyncNotifyStream stream = notifications.notifies(milliseconds(300), 10);
      got = co_await drain(stream);
    }
    const auto elapsed = Clock::now() - start;
    CO_ASSERT_TRUE(got.size() == 1u);
    EXPECT_EQ(got[0].payload, "only one");
    EXPECT_GE(elapsed, milliseconds(300));
    EXPECT_LT(elapsed, seconds(10));
    // timeout 0: what is there plus one non-blocking read.
    AsyncNotifyStream poll = notifications.notifies(Clock::duration::zero());
    EXPECT_TRUE((co_await drain(poll)).empty());
  }());
}

// psycopg #1310: while one task waits in next(), the loop runs other tasks,
// and they may use the same connection (it is not locked while idle): the
// helper's queries and LISTEN on the waiting connection must end before the
// range can. A range holding the lock for its 250 ms wait slices would let
// one query through per slice: the 2 s range would end before the NOTIFY.
TEST_F(AsyncNotificationsTest, OtherTasksRunAndUseTheConnectionWhileOneWaits) {
  int ticks = 0;
  loop_.run([&]() -> Task<void> {
    AsyncConnection listener = co_await connect_autocommit();
    AsyncConnection sender = co_await connect_autocommit();
    AsyncNotifications notifications(listener);
    auto helper = [&]() -> Task<void> {
      for (int i = 0; i < 3; ++i) {
        co_await loop_.sleep(milliseconds(20));
        ++ticks;
      }
      for (int i = 0; i < 20; ++i) co_await listener.execute("SELECT 1");
      co_await listener.execute("LISTEN late");
      co_await sender.execute("NOTIFY late, 'after listen'");
    };
    std::optional<Notify> got = co_await one_while(notifications, helper(), seconds(2));
    CO_ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->payload, "after listen");
    EXPECT_EQ(ticks, 3);
  }());
}

// The notification is read by the other task's query, not by the waiting range:
// it is queued for the range (and wakes it) as well as given to the handler.
TEST_F(AsyncNotificationsTest, NotificationReadByAnotherTasksQueryReachesTheWaitingRange) {
  loop_.run([&]() -> Task<void> {
    AsyncConnection conn = co_await connect_autocommit();
    AsyncNotifications notifications(conn);
    int handled = 0;
    notifications.add_notify_handler([&](const Notify&) { ++handled; });
    co_await conn.execute("LISTEN shared");
    auto query = [&]() -> Task<void> {
      co_await conn.execute("SELECT pg_notify('shared', 'from a query')");
    };
    std::optional<Notify> got = co_await one_while(notifications, query());
    CO_ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->payload, "from a query");
    EXPECT_EQ(handled, 1);
  }());
}

TEST_F(AsyncNotificationsTest, NotificationsArrivingWithQueryResultsGoToHandlers) {
  loop_.run([&]() -> Task<void> {
    AsyncConnection conn = co_await connect_autocommit();
    AsyncNotifications notifications(conn);
    std::vector<std::string> payloads;
    notifications.add_notify_handler([&](const Notify& n) { payloads.push_back(n.payload); });
    co_await conn.execute("LISTEN own");
    // The server sends the session's own notification with this query's results.
    AsyncCursor cur = co_await conn.execute("SELECT pg_notify('own', 'with rows'), 42");
    EXPECT_EQ(payloads, std::vector<std::string>{"with rows"});
    EXPECT_EQ(cur.rowcount(), 1);
    // A handler consumed it: nothing queued for a later range.
    EXPECT_EQ(notifications.backlog_size(), 0u);
  }());
}

TEST_F(AsyncNotificationsTest, SecondReceiverAndStopAfterZeroAreRefused) {
  loop_.run([&]() -> Task<void> {
    AsyncConnection conn = co_await connect_autocommit();
    AsyncNotifications notifications(conn);
    EXPECT_THROW(AsyncNotifications again(conn), ProgrammingError);
    EXPECT_THROW(notifications.notifies(std::nullopt, 0), ProgrammingError);
    AsyncNotifyStream stream = notifications.notifies(milliseconds(10));
    EXPECT_THROW(notifications.notifies(), ProgrammingError);  // one range at a time
  }());
}

TEST_F(AsyncNotificationsTest, BadChannelsAndPayloadsRaise) {
  loop_.run([&]() -> Task<void> {
    AsyncConnection conn = co_await connect_autocommit();
    AsyncNotifications notifications(conn);
    EXPECT_THROW(co_await notifications.listen(""), ProgrammingError);
    const std::string long_name(64, 'c');
    EXPECT_THROW(co_await notifications.unlisten(long_name), ProgrammingError);
    // The server's refusal, after the operation suspended.
    const std::string huge(8000, 'x');
    EXPECT_THROW(co_await notifications.notify("chan", huge), errors::InvalidParameterValue);
    co_await notifications.notify("chan", "still usable");
  }());
}

TEST_F(AsyncNotificationsTest, ClosingTheConnectionWhileWaitingRaises) {
  loop_.run([&]() -> Task<void> {
    AsyncConnection conn = co_await connect_autocommit();
    AsyncNotifications notifications(conn);
    co_await notifications.listen("never");
    auto closer = [&]() -> Task<void> {
      co_await loop_.sleep(milliseconds(50));
      co_await conn.close();
    };
    loop_.spawn(closer());
    AsyncNotifyStream stream = notifications.notifies(seconds(30));
    const auto start = Clock::now();
    EXPECT_THROW(co_await stream.next(), OperationalError);
    EXPECT_LT(Clock::now() - start, seconds(10));
  }());
}

}  // namespace
}  // namespace pgcpp
