#include "pgcpp/notify/notifications.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "pgcpp/core/connection.h"
#include "pgcpp/core/conninfo.h"
#include "pgcpp/core/error_testing.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/core/waiting.h"
#include "pgcpp/notify/notify.h"
#include "pgcpp/testing/database.h"
#include "pgcpp/testing/fault_proxy.h"
#include "pgcpp/testing/server_activity.h"

namespace pgcpp {
namespace {

using core_testing::what_of;
using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

static_assert(std::input_iterator<NotifyStream::iterator>);
static_assert(std::sentinel_for<std::default_sentinel_t, NotifyStream::iterator>);

std::vector<Notify> collect(NotifyStream&& stream) {
  std::vector<Notify> result;
  for (const Notify& n : stream) result.push_back(n);
  return result;
}

std::vector<std::string> payloads(NotifyStream&& stream) {
  std::vector<std::string> result;
  for (const Notify& n : stream) result.push_back(n.payload);
  return result;
}

class NotificationsTest : public pgcpp::testing::DatabaseTest {
 protected:
  Connection connect() { return Connection::connect(dsn(), {.autocommit = true}); }

  // Sends from the sender session; NOTIFY is delivered when the command commits.
  void send(const std::string& channel, const std::string& payload) {
    sender_notifications_.notify(channel, payload);
  }

  int sender_pid() { return PQbackendPID(sender_.base().pgconn()); }

  Connection sender_ = connect();
  Notifications sender_notifications_{sender_};
  Connection listener_ = connect();
};

TEST_F(NotificationsTest, NotifiesYieldsWhatAnotherSessionSends) {
  Notifications notifications(listener_);
  notifications.listen("chan");
  send("chan", "hello");
  std::vector<Notify> received = collect(notifications.notifies(seconds(30), 1));
  EXPECT_THAT(received,
              ElementsAre(Notify{.channel = "chan", .payload = "hello", .pid = sender_pid()}));
}

TEST_F(NotificationsTest, PayloadsUpToTheServerLimit) {
  Notifications notifications(listener_);
  notifications.listen("chan");
  const std::string largest(7999, 'x');
  send("chan", largest);
  send("chan", "");
  EXPECT_THAT(payloads(notifications.notifies(seconds(30), 2)), ElementsAre(largest, ""));
  EXPECT_THROW(send("chan", std::string(8000, 'x')), errors::InvalidParameterValue);
}

TEST_F(NotificationsTest, UnicodeChannelsAndPayloads) {
  Notifications notifications(listener_);
  const std::string channel = "canal_\xc3\xa9t\xc3\xa9";  // canal_été
  const std::string payload = "\xe2\x82\xac \xf0\x9f\x90\x98 \xe6\x97\xa5\xe6\x9c\xac";  // € 🐘 日本
  notifications.listen(channel);
  send(channel, payload);
  std::vector<Notify> received = collect(notifications.notifies(seconds(30), 1));
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].channel, channel);
  EXPECT_EQ(received[0].payload, payload);
}

TEST_F(NotificationsTest, ChannelNamesAreQuotedIdentifiers) {
  Notifications notifications(listener_);
  // Upper case, a space, a double quote and a single quote: as-is, never folded or split.
  const std::string channel = "My \"Chan\" it's";
  notifications.listen(channel);
  // pg_notify() takes the name as plain text: it matches only if LISTEN quoted it right.
  sender_.exec_command("SELECT pg_notify('My \"Chan\" it''s', 'quoted')");
  std::vector<Notify> received = collect(notifications.notifies(seconds(30), 1));
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].channel, channel);
  EXPECT_EQ(received[0].payload, "quoted");
  send(channel, "sent with notify()");
  EXPECT_THAT(payloads(notifications.notifies(seconds(30), 1)), ElementsAre("sent with notify()"));
}

TEST_F(NotificationsTest, BadChannelNamesAreRefused) {
  Notifications notifications(listener_);
  EXPECT_THROW(notifications.listen(""), ProgrammingError);
  EXPECT_EQ(
      what_of<ProgrammingError>([&] { notifications.listen(std::string(64, 'c')); }),
      "channel name too long: 64 bytes, PostgreSQL keeps only 63: '" + std::string(64, 'c') + "'");
  EXPECT_NO_THROW(notifications.listen(std::string(63, 'c')));
  EXPECT_THROW(notifications.listen(std::string("a\0b", 3)), DataError);
}

TEST_F(NotificationsTest, HandlersRunDuringAnyOperation) {
  Notifications notifications(listener_);
  notifications.listen("chan");
  std::vector<std::string> handled;
  std::thread::id handler_thread;
  notifications.add_notify_handler([&](const Notify& n) {
    handled.push_back(n.payload);
    handler_thread = std::this_thread::get_id();
  });
  send("chan", "x");
  // The server pushes it to the idle session; the next commands read it.
  while (handled.empty()) listener_.exec_command("SELECT 1");
  EXPECT_THAT(handled, ElementsAre("x"));
  EXPECT_EQ(handler_thread, std::this_thread::get_id());
  EXPECT_EQ(notifications.backlog_size(), 0u);  // the handler consumed it (psycopg #1091)
}

TEST_F(NotificationsTest, ANotificationSentDuringALongRunningQueryIsDelivered) {
  Connection gatekeeper = Connection::connect(dsn());
  listener_.exec_command("CREATE TABLE IF NOT EXISTS gate (id int)");
  Notifications notifications(listener_);
  notifications.listen("chan");
  gatekeeper.exec_command("BEGIN");
  gatekeeper.exec_command("LOCK TABLE gate");
  bool blocked = false;
  std::thread other([&] {
    // The listener's query waits for the lock; the NOTIFY commits with its release.
    blocked = pgcpp::testing::wait_for_active_query(dsn(), "SELECT count(*) FROM gate", true);
    gatekeeper.exec_command("NOTIFY chan, 'during'");
    gatekeeper.exec_command("COMMIT");
  });
  listener_.exec_command("SELECT count(*) FROM gate");
  other.join();
  ASSERT_TRUE(blocked) << "the query never waited for the lock";
  // The server sends it once the query's transaction is over: the next read gets it.
  std::vector<Notify> received = collect(notifications.notifies(seconds(30), 1));
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].payload, "during");
  EXPECT_EQ(received[0].pid, PQbackendPID(gatekeeper.base().pgconn()));
}

TEST_F(NotificationsTest, TimeoutWithNothingPendingEnds) {
  Notifications notifications(listener_);
  notifications.listen("chan");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THAT(payloads(notifications.notifies(milliseconds(200))), IsEmpty());
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(200));
  EXPECT_THAT(payloads(notifications.notifies(seconds(0))), IsEmpty());
}

TEST_F(NotificationsTest, ZeroTimeoutReadsWhatIsThere) {
  Notifications notifications(listener_);
  notifications.listen("chan");
  send("chan", "1");
  send("chan", "2");
  // Sent and committed: the listener's server session has them, but its socket
  // may not yet. Whatever one non-blocking read finds, nothing is lost.
  std::vector<std::string> got = payloads(notifications.notifies(seconds(0)));
  ASSERT_LE(got.size(), 2u);
  if (got.size() < 2) {
    for (const std::string& p : payloads(notifications.notifies(seconds(30), 2 - got.size()))) {
      got.push_back(p);
    }
  }
  EXPECT_THAT(got, ElementsAre("1", "2"));
}

TEST_F(NotificationsTest, StopAfterEndsTheRangeAndKeepsTheRest) {
  Notifications notifications(listener_);
  notifications.listen("chan");
  sender_.exec_command("SELECT pg_notify('chan', g::text) FROM generate_series(1, 5) g");
  EXPECT_THAT(payloads(notifications.notifies(seconds(30), 3)), ElementsAre("1", "2", "3"));
  EXPECT_THAT(payloads(notifications.notifies(seconds(30), 2)), ElementsAre("4", "5"));
  EXPECT_THROW(notifications.notifies(std::nullopt, 0), ProgrammingError);
}

TEST_F(NotificationsTest, ABurstOfTenThousandArrivesInOrder) {
  Notifications notifications(listener_);
  notifications.listen("burst");
  constexpr int kCount = 10000;
  sender_.exec_command("SELECT pg_notify('burst', g::text) FROM generate_series(1, " +
                       std::to_string(kCount) + ") g");
  int expected = 1;
  for (const Notify& n : notifications.notifies(seconds(60), kCount)) {
    ASSERT_EQ(n.payload, std::to_string(expected)) << "out of order";
    ++expected;
  }
  EXPECT_EQ(expected, kCount + 1);
  EXPECT_EQ(notifications.dropped(), 0u);
}

TEST_F(NotificationsTest, NothingIsLostBetweenTwoLoops) {
  // psycopg #962: what other operations read while nobody iterates is kept.
  Notifications notifications(listener_);
  notifications.listen("chan");
  send("chan", "first");
  EXPECT_THAT(payloads(notifications.notifies(seconds(30), 1)), ElementsAre("first"));
  send("chan", "between");
  notifications.listen("other");  // operations read "between" on their way
  while (notifications.backlog_size() == 0) listener_.exec_command("SELECT 1");
  EXPECT_EQ(notifications.backlog_size(), 1u);
  send("other", "after");
  EXPECT_THAT(payloads(notifications.notifies(seconds(30), 2)), ElementsAre("between", "after"));
}

TEST_F(NotificationsTest, NotificationsLibpqHeldBeforeConstructionAreKept) {
  listener_.exec_command("LISTEN early");
  send("early", "queued in libpq");
  // Once the idle session's socket has it, the next command reads it; with no
  // sink yet, libpq keeps it in its own queue.
  Ready ready = poll_once(Wait{PQsocket(listener_.base().pgconn()), WaitFor::kRead,
                               std::chrono::steady_clock::now() + seconds(30)});
  ASSERT_TRUE(readable(ready));
  listener_.exec_command("SELECT 1");
  Notifications notifications(listener_);
  EXPECT_EQ(notifications.backlog_size(), 1u);
  EXPECT_THAT(payloads(notifications.notifies(seconds(0))), ElementsAre("queued in libpq"));
}

TEST_F(NotificationsTest, TheBacklogIsBoundedAndDropsTheOldest) {
  Notifications notifications(listener_, {.max_backlog = 3});
  notifications.listen("chan");
  sender_.exec_command("SELECT pg_notify('chan', g::text) FROM generate_series(1, 5) g");
  // Read by an unrelated operation with nobody iterating and no handler.
  while (notifications.backlog_size() + notifications.dropped() < 5) {
    listener_.exec_command("SELECT 1");
  }
  EXPECT_EQ(notifications.dropped(), 2u);
  EXPECT_THAT(payloads(notifications.notifies(seconds(0))), ElementsAre("3", "4", "5"));
  Connection other = connect();
  EXPECT_EQ(what_of<ProgrammingError>([&] { Notifications none(other, {.max_backlog = 0}); }),
            "max_backlog must be at least 1, got 0");
}

TEST_F(NotificationsTest, HandlersAndRangesBothGetEverything) {
  Notifications notifications(listener_);
  notifications.listen("chan");
  std::vector<std::string> handled;
  notifications.add_notify_handler([&](const Notify& n) { handled.push_back(n.payload); });
  send("chan", "1");
  send("chan", "2");
  EXPECT_THAT(payloads(notifications.notifies(seconds(30), 2)), ElementsAre("1", "2"));
  EXPECT_THAT(handled, ElementsAre("1", "2"));
}

TEST_F(NotificationsTest, RemovedHandlersAreNotCalled) {
  Notifications notifications(listener_);
  notifications.listen("chan");
  int first = 0;
  int second = 0;
  NotifyHandlerId id = notifications.add_notify_handler([&](const Notify&) { ++first; });
  notifications.add_notify_handler([&](const Notify&) { ++second; });
  notifications.remove_notify_handler(id);
  EXPECT_EQ(what_of<ProgrammingError>([&] { notifications.remove_notify_handler(id); }),
            "remove_notify_handler(): no handler with id " + std::to_string(id));
  send("chan", "x");
  EXPECT_THAT(payloads(notifications.notifies(seconds(30), 1)), ElementsAre("x"));
  EXPECT_EQ(first, 0);
  EXPECT_EQ(second, 1);
}

TEST_F(NotificationsTest, AThrowingHandlerFailsNeitherTheOperationNorTheOthers) {
  Notifications notifications(listener_);
  notifications.listen("chan");
  int later = 0;
  notifications.add_notify_handler([](const Notify&) { throw std::runtime_error("boom"); });
  notifications.add_notify_handler([&](const Notify&) { ++later; });
  send("chan", "x");
  while (later == 0) EXPECT_NO_THROW(listener_.exec_command("SELECT 1"));
  EXPECT_EQ(later, 1);
  EXPECT_EQ(notifications.handler_errors(), 1u);
  listener_.exec_command("SELECT 1");  // the connection is fine
}

TEST_F(NotificationsTest, UnlistenStopsDelivery) {
  Notifications notifications(listener_);
  notifications.listen("a");
  notifications.listen("b");
  notifications.unlisten("a");
  send("a", "ignored");
  send("b", "kept");  // same sender: delivered after "a" would have been
  EXPECT_THAT(payloads(notifications.notifies(seconds(30), 1)), ElementsAre("kept"));
  notifications.unlisten_all();
  send("b", "ignored too");
  notifications.listen("c");
  send("c", "last");
  EXPECT_THAT(payloads(notifications.notifies(seconds(30), 1)), ElementsAre("last"));
}

TEST_F(NotificationsTest, OneReceiverPerConnection) {
  Notifications notifications(listener_);
  EXPECT_EQ(what_of<ProgrammingError>([&] { Notifications second(listener_); }),
            "this connection's notifications are already received elsewhere");
  auto range = notifications.notifies(seconds(0));
  EXPECT_EQ(what_of<ProgrammingError>([&] { notifications.notifies(seconds(0)); }),
            "notifies() is already running on this connection");
}

TEST_F(NotificationsTest, OtherThreadsUseTheConnectionWhileNotifiesWaits) {
  // psycopg #1310: the waiting range does not hold the connection's lock.
  Notifications notifications(listener_);
  notifications.listen("a");
  std::vector<std::string> got;
  std::thread waiter([&] { got = payloads(notifications.notifies(seconds(60), 1)); });
  notifications.listen("b");           // would block until the timeout if the lock were held
  listener_.exec_command("SELECT 1");  // so would any query
  send("b", "via b");
  waiter.join();
  EXPECT_THAT(got, ElementsAre("via b"));
}

// A range waiting with no timeout while another thread runs `breaker`: whenever
// it lands (before or during the wait), the range raises instead of hanging.
void expect_waiting_range_raises(Notifications& notifications,
                                 const std::function<void()>& breaker) {
  std::thread other([&] {
    std::this_thread::sleep_for(milliseconds(100));  // likely while waiting; not required
    breaker();
  });
  EXPECT_THROW(payloads(notifications.notifies()), OperationalError);
  other.join();
}

TEST_F(NotificationsTest, ACutConnectionWhileWaitingRaisesOperationalError) {
  ConnInfoDict p = conninfo_to_dict(dsn());
  pgcpp::testing::FaultProxy proxy(p.at("host"), std::stoi(p.at("port")));
  Connection conn = Connection::connect(proxy.dsn(dsn()), {.autocommit = true});
  Notifications notifications(conn);
  notifications.listen("chan");
  expect_waiting_range_raises(notifications, [&] { proxy.cut_all(); });
  EXPECT_TRUE(conn.broken());
}

TEST_F(NotificationsTest, AConnectionClosedWhileWaitingRaisesOperationalError) {
  Notifications notifications(listener_);
  notifications.listen("chan");
  expect_waiting_range_raises(notifications, [&] { listener_.close(); });
}

}  // namespace
}  // namespace pgcpp
