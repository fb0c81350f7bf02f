#include "pgcpp/core/protocol.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>

#include <string>
#include <vector>

#include "pgcpp/core/cancel.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/core/waiting.h"
#include "pgcpp/testing/database.h"
#include "pgcpp/testing/server_activity.h"

namespace pgcpp {
namespace {

using ::testing::HasSubstr;

class ProtocolTest : public pgcpp::testing::DatabaseTest {
 protected:
  PGconnPtr connect() { return wait(protocol::connect(dsn(), std::chrono::seconds(10))); }

  // Sends `sql` and runs it to the end with the sync driver.
  std::vector<PGresultPtr> run(PGconn* conn, const std::string& sql) {
    EXPECT_EQ(PQsendQuery(conn, sql.c_str()), 1) << PQerrorMessage(conn);
    return wait(protocol::execute(conn));
  }
};

// A tiny event loop: resumes whichever operation's socket is ready.
class EventLoop {
 public:
  void add(Operation<std::vector<PGresultPtr>>* op, std::string name) {
    op->resume(Ready::kNone);
    ops_.push_back({op, std::move(name)});
  }
  // Runs until every operation is done; returns their names in finishing order.
  std::vector<std::string> run() {
    std::vector<std::string> finished;
    for (auto& entry : ops_) {
      if (entry.op->done()) finished.push_back(entry.name);
    }
    while (finished.size() < ops_.size()) {
      std::vector<pollfd> fds;
      for (auto& entry : ops_) {
        const Wait& w = entry.op->wait();
        short events = static_cast<short>((static_cast<int>(w.events) & 1 ? POLLIN : 0) |
                                          (static_cast<int>(w.events) & 2 ? POLLOUT : 0));
        fds.push_back({entry.op->done() ? -1 : w.fd, events, 0});
      }
      int n = ::poll(fds.data(), fds.size(), 10000);
      EXPECT_GT(n, 0) << "the loop stalled: an operation blocked the others";
      if (n <= 0) break;
      for (size_t i = 0; i < ops_.size(); ++i) {
        if (ops_[i].op->done() || fds[i].revents == 0) continue;
        int ready =
            (fds[i].revents & (POLLIN | POLLHUP) ? 1 : 0) | (fds[i].revents & POLLOUT ? 2 : 0);
        ops_[i].op->resume(static_cast<Ready>(ready));
        if (ops_[i].op->done()) finished.push_back(ops_[i].name);
      }
    }
    return finished;
  }

 private:
  struct Entry {
    Operation<std::vector<PGresultPtr>>* op;
    std::string name;
  };
  std::vector<Entry> ops_;
};

TEST_F(ProtocolTest, ConnectAndExecute) {
  PGconnPtr conn = connect();
  EXPECT_EQ(PQstatus(conn.get()), CONNECTION_OK);
  EXPECT_EQ(PQisnonblocking(conn.get()), 1);
  auto results = run(conn.get(), "SELECT 1; SELECT 2, 3");
  ASSERT_EQ(results.size(), 2u);
  EXPECT_STREQ(PQgetvalue(results[0].get(), 0, 0), "1");
  EXPECT_EQ(PQnfields(results[1].get()), 2);
}

TEST_F(ProtocolTest, TwoConnectionsInterleaveOnOneThread) {
  PGconnPtr holder = connect();
  PGconnPtr waiter = connect();
  run(holder.get(), "SELECT pg_advisory_lock(4242)");

  // The waiter blocks on the server until the holder releases the lock. A
  // driver that ran one operation to its end before starting the other would
  // never finish; the event loop suspends the waiter and runs the holder.
  const std::string lock = "SELECT pg_advisory_lock(4242), 'waiter'";
  ASSERT_EQ(PQsendQuery(waiter.get(), lock.c_str()), 1);
  auto waiting = protocol::execute(waiter.get());
  EventLoop loop;
  loop.add(&waiting, "waiter");  // sent, and now suspended in the loop
  ASSERT_TRUE(pgcpp::testing::wait_for_active_query(dsn(), lock, /*blocked_on_lock=*/true));
  ASSERT_EQ(PQsendQuery(holder.get(), "SELECT pg_advisory_unlock(4242), 'holder'"), 1);
  auto releasing = protocol::execute(holder.get());
  ASSERT_FALSE(waiting.done()) << "the waiter must be suspended, not blocking the thread";
  loop.add(&releasing, "holder");
  EXPECT_THAT(loop.run(), ::testing::UnorderedElementsAre("holder", "waiter"));
  auto waited = waiting.result();
  ASSERT_EQ(waited.size(), 1u);
  EXPECT_STREQ(PQgetvalue(waited[0].get(), 0, 1), "waiter");
}

TEST_F(ProtocolTest, ConnectOperationsInterleave) {
  auto a = protocol::connect(dsn(), std::chrono::seconds(10));
  auto b = protocol::connect(dsn(), std::chrono::seconds(10));
  a.resume(Ready::kNone);
  b.resume(Ready::kNone);
  while (!a.done() || !b.done()) {
    for (auto* op : {&a, &b}) {
      if (!op->done())
        op->resume(poll_once(
            Wait{op->wait().fd, op->wait().events, Clock::now() + std::chrono::milliseconds(5)}));
    }
  }
  EXPECT_EQ(PQstatus(a.result().get()), CONNECTION_OK);
  EXPECT_EQ(PQstatus(b.result().get()), CONNECTION_OK);
}

TEST_F(ProtocolTest, ConnectFailureSaysConnectionFailed) {
  try {
    wait(protocol::connect("host=127.0.0.1 port=1", std::chrono::seconds(5)));
    FAIL() << "connected to port 1";
  } catch (const OperationalError& e) {
    EXPECT_THAT(e.what(), HasSubstr("connection failed"));
  }
}

TEST_F(ProtocolTest, LargeQueryIsFlushedCompletely) {
  PGconnPtr conn = connect();
  std::string literal(4 << 20, 'x');  // bigger than any socket buffer
  auto results = run(conn.get(), "SELECT length('" + literal + "')");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_STREQ(PQgetvalue(results[0].get(), 0, 0), std::to_string(literal.size()).c_str());
}

TEST_F(ProtocolTest, NotificationsReachTheSinkDuringAnyOperation) {
  PGconnPtr listener = connect();
  PGconnPtr sender = connect();
  run(listener.get(), "LISTEN chan");
  run(sender.get(), "NOTIFY chan, 'hello'");
  std::vector<std::string> payloads;
  protocol::NotifySink sink = [&](PGnotifyPtr n) { payloads.emplace_back(n->extra); };
  ASSERT_EQ(PQsendQuery(listener.get(), "SELECT pg_sleep(0.1)"), 1);
  wait(protocol::execute(listener.get(), &sink));
  EXPECT_EQ(payloads, (std::vector<std::string>{"hello"}));
}

TEST_F(ProtocolTest, WithoutASinkNotificationsStayQueued) {
  PGconnPtr listener = connect();
  PGconnPtr sender = connect();
  run(listener.get(), "LISTEN chan");
  run(sender.get(), "NOTIFY chan, 'kept'");
  run(listener.get(), "SELECT pg_sleep(0.1)");
  PGnotifyPtr n(PQnotifies(listener.get()));
  ASSERT_NE(n, nullptr);
  EXPECT_STREQ(n->extra, "kept");
}

TEST_F(ProtocolTest, CancelKeyMatchesTheBackend) {
  PGconnPtr conn = connect();
  std::optional<CancelKey> key = CancelKey::read(conn.get());
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->backend_pid, PQbackendPID(conn.get()));
}

TEST_F(ProtocolTest, CancelRunsBesideTheQueryItCancels) {
  PGconnPtr conn = connect();
  std::optional<CancelKey> key = CancelKey::read(conn.get());
  ASSERT_TRUE(key.has_value());
  ASSERT_EQ(PQsendQuery(conn.get(), "SELECT pg_sleep(30)"), 1);
  auto query = protocol::execute(conn.get());
  query.resume(Ready::kNone);
  ASSERT_FALSE(query.done());
  // A cancel that reaches the backend before the query starts is ignored.
  ASSERT_TRUE(pgcpp::testing::wait_for_active_query(dsn(), "SELECT pg_sleep(30)"));
  wait(protocol::cancel(*key, Clock::now() + std::chrono::seconds(10)));
  while (!query.done()) query.resume(poll_once(query.wait()));
  auto results = query.result();
  ASSERT_EQ(results.size(), 1u);
  EXPECT_STREQ(PQresultErrorField(results[0].get(), PG_DIAG_SQLSTATE), "57014");
}

TEST_F(ProtocolTest, CancelToAClosedPortFails) {
  PGconnPtr conn = connect();
  std::optional<CancelKey> key = CancelKey::read(conn.get());
  ASSERT_TRUE(key.has_value());
  auto* in = reinterpret_cast<sockaddr_in*>(&key->address);
  in->sin_port = htons(1);
  EXPECT_THROW(wait(protocol::cancel(*key, Clock::now() + std::chrono::seconds(5))),
               OperationalError);
}

}  // namespace
}  // namespace pgcpp
