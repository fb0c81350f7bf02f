#include "pgcpp/testing/fault_proxy.h"

#include <libpq-fe.h>
#include <poll.h>

#include <chrono>
#include <stdexcept>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pgcpp/testing/ephemeral_server.h"
#include "pgcpp/testing/test_util.h"

namespace pgcpp::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing_internal::connect;
using testing_internal::eventually;
using testing_internal::query_value;
using Clock = std::chrono::steady_clock;

class FaultProxyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new EphemeralServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { proxy_ = std::make_unique<FaultProxy>(server_->host(), server_->port()); }
  std::string proxied_dsn() const { return proxy_->dsn(server_->dsn()); }

  static EphemeralServer* server_;
  std::unique_ptr<FaultProxy> proxy_;
};

EphemeralServer* FaultProxyTest::server_ = nullptr;

TEST_F(FaultProxyTest, ForwardsALibpqConnection) {
  auto conn = connect(proxied_dsn());
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  EXPECT_EQ(PQport(conn.get()), std::to_string(proxy_->port()));
  EXPECT_EQ(query_value(conn.get(), "SELECT 1"), "1");
  // Megabytes each way: partial writes and backpressure.
  const std::string big(3'000'000, 'x');
  EXPECT_EQ(query_value(conn.get(), "SELECT length(repeat('x', 3000000))"), "3000000");
  EXPECT_EQ(query_value(conn.get(), "SELECT repeat('x', 3000000)"), big);
  EXPECT_EQ(query_value(conn.get(), "SELECT length('" + big + "')"), "3000000");
  EXPECT_EQ(proxy_->connection_count(), 1);
  conn.reset();
  EXPECT_TRUE(eventually([&] { return proxy_->connection_count() == 0; }, seconds(10)));
}

TEST_F(FaultProxyTest, DsnLeadsToTheProxy) {
  const std::string port = std::to_string(proxy_->port());
  EXPECT_EQ(proxy_->dsn("host=127.0.0.1 port=5432 user=postgres dbname=db"),
            "user=postgres dbname=db host=127.0.0.1 hostaddr=127.0.0.1 port=" + port);
  // A host name stays, for TLS verify-full; a socket folder does not.
  EXPECT_EQ(proxy_->dsn("postgresql://u@localhost:5432/db?sslmode=verify-full"),
            "user=u dbname=db sslmode=verify-full host=localhost hostaddr=127.0.0.1 port=" + port);
  EXPECT_EQ(proxy_->dsn("host=/tmp/x dbname=db"),
            "dbname=db host=127.0.0.1 hostaddr=127.0.0.1 port=" + port);
  EXPECT_THROW(proxy_->dsn("host='unterminated"), std::invalid_argument);
}

TEST_F(FaultProxyTest, CutAllBreaksLiveConnections) {
  auto conn = connect(proxied_dsn());
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  ASSERT_EQ(query_value(conn.get(), "SELECT 1"), "1");
  proxy_->cut_all();
  EXPECT_EQ(proxy_->connection_count(), 0);
  EXPECT_THAT(query_value(conn.get(), "SELECT 1"), StartsWith("ERROR"));
  EXPECT_EQ(PQstatus(conn.get()), CONNECTION_BAD);
  EXPECT_EQ(query_value(proxied_dsn(), "SELECT 1"), "1");  // new connections still pass
}

TEST_F(FaultProxyTest, StopAndStartAccepting) {
  auto live = connect(proxied_dsn());
  ASSERT_EQ(PQstatus(live.get()), CONNECTION_OK) << PQerrorMessage(live.get());
  proxy_->stop_accepting();
  EXPECT_THAT(query_value(proxied_dsn(), "SELECT 1"), HasSubstr("Connection refused"));
  EXPECT_EQ(query_value(live.get(), "SELECT 1"), "1");  // live connections continue
  proxy_->start_accepting();
  EXPECT_EQ(query_value(proxied_dsn(), "SELECT 1"), "1");
}

TEST_F(FaultProxyTest, BlackHoleMakesConnectTimeOut) {
  proxy_->set_black_hole(true);
  const auto start = Clock::now();
  auto conn = connect(proxied_dsn() + " connect_timeout=2");
  const auto elapsed = Clock::now() - start;
  EXPECT_EQ(PQstatus(conn.get()), CONNECTION_BAD);
  EXPECT_THAT(PQerrorMessage(conn.get()), HasSubstr("timeout expired"));
  // libpq 15 counts connect_timeout in whole seconds of time(): 2 means 1 to 2 s.
  EXPECT_GE(elapsed, milliseconds(900));
  proxy_->set_black_hole(false);
  EXPECT_EQ(query_value(proxied_dsn(), "SELECT 1"), "1");
}

TEST_F(FaultProxyTest, BlackHoleStallsLiveConnectionsUntilLifted) {
  auto conn = connect(proxied_dsn());
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  proxy_->set_black_hole(true);
  ASSERT_EQ(PQsendQuery(conn.get(), "SELECT 42"), 1);
  pollfd wait{PQsocket(conn.get()), POLLIN, 0};
  EXPECT_EQ(poll(&wait, 1, 300), 0) << "data arrived through the black hole";
  proxy_->set_black_hole(false);
  PGresult* result = PQgetResult(conn.get());  // blocks until the reply passes
  ASSERT_EQ(PQresultStatus(result), PGRES_TUPLES_OK) << PQerrorMessage(conn.get());
  EXPECT_STREQ(PQgetvalue(result, 0, 0), "42");
  PQclear(result);
  while ((result = PQgetResult(conn.get())) != nullptr) PQclear(result);
}

TEST_F(FaultProxyTest, DelayAddsLatency) {
  auto conn = connect(proxied_dsn());
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  proxy_->set_delay(milliseconds(150));
  const auto start = Clock::now();
  EXPECT_EQ(query_value(conn.get(), "SELECT 1"), "1");
  // The query and its reply are each held 150 ms.
  EXPECT_GE(Clock::now() - start, milliseconds(300));
}

TEST(FaultProxyArguments, AreChecked) {
  EXPECT_THROW(FaultProxy("127.0.0.1", 0), std::invalid_argument);
  EXPECT_THROW(FaultProxy("no-such-host.invalid", 5432), std::runtime_error);
  FaultProxy proxy("127.0.0.1", 5432);
  EXPECT_THROW(proxy.set_delay(milliseconds(-1)), std::invalid_argument);
  EXPECT_GT(proxy.port(), 0);
}

}  // namespace
}  // namespace pgcpp::testing
