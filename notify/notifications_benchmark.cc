// NOTIFY -> receiver latency and burst throughput: pgcpp's Notifications
// against a hand-written libpq loop (poll, PQconsumeInput, PQnotifies), in the
// same binary, on the same server.
//
//   bazel run -c opt //notify:notifications_benchmark
//
// Latency: one NOTIFY sent from another session, timed from just before the
// sender's command to the moment the receiver has it (the handler runs, or
// the libpq loop sees it). Burst: 10,000 notifications committed at once
// (pg_notify over generate_series), timed from the sender's commit to the
// last one received; items/s is the receiving rate.
#include <benchmark/benchmark.h>
#include <libpq-fe.h>
#include <poll.h>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>

#include "pgcpp/core/connection.h"
#include "pgcpp/notify/notifications.h"
#include "pgcpp/notify/notify.h"
#include "pgcpp/testing/benchmark_dsn.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kBurst = 10000;
const std::string kBurstSql =
    "SELECT pg_notify('bench', g::text) FROM generate_series(1, " + std::to_string(kBurst) + ") g";

// A plain libpq session: the sender for every benchmark, the receiver for the baseline.
class RawSession {
 public:
  RawSession() : conn_(PQconnectdb(pgcpp::testing::benchmark_dsn().c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) throw std::runtime_error(PQerrorMessage(conn_));
  }
  ~RawSession() { PQfinish(conn_); }
  RawSession(const RawSession&) = delete;
  RawSession& operator=(const RawSession&) = delete;

  void exec(const std::string& sql) {
    PGresult* res = PQexec(conn_, sql.c_str());
    ExecStatusType status = PQresultStatus(res);
    PQclear(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      throw std::runtime_error(PQerrorMessage(conn_));
    }
  }

  // Blocks until `count` notifications arrived.
  void receive(int count) {
    while (count > 0) {
      pollfd pfd{PQsocket(conn_), POLLIN, 0};
      if (::poll(&pfd, 1, 10000) <= 0) throw std::runtime_error("no notification within 10 s");
      if (PQconsumeInput(conn_) == 0) throw std::runtime_error(PQerrorMessage(conn_));
      while (PGnotify* n = PQnotifies(conn_)) {
        benchmark::DoNotOptimize(n->extra);
        PQfreemem(n);
        --count;
      }
    }
  }

 private:
  PGconn* conn_;
};

// A pgcpp session listening on "bench".
struct PgcppReceiver {
  PgcppReceiver() { notifications.listen("bench"); }
  pgcpp::Connection conn =
      pgcpp::Connection::connect(pgcpp::testing::benchmark_dsn(), {.autocommit = true});
  pgcpp::Notifications notifications{conn};
};

// One notification from `sender`, received through `notifications`.
void send_and_receive_one(RawSession& sender, pgcpp::Notifications& notifications) {
  sender.exec("NOTIFY bench, 'x'");
  for (const pgcpp::Notify& n : notifications.notifies(std::chrono::seconds(10), 1)) {
    benchmark::DoNotOptimize(n.payload);
  }
}

void set_seconds(benchmark::State& state, Clock::time_point start) {
  state.SetIterationTime(std::chrono::duration<double>(Clock::now() - start).count());
}

void BM_Latency_Libpq(benchmark::State& state) {
  RawSession sender;
  RawSession receiver;
  receiver.exec("LISTEN bench");
  for (auto _ : state) {
    Clock::time_point start = Clock::now();
    sender.exec("NOTIFY bench, 'x'");
    receiver.receive(1);
    set_seconds(state, start);
  }
}
BENCHMARK(BM_Latency_Libpq)->UseManualTime()->Unit(benchmark::kMicrosecond);

void BM_Latency_PgcppHandler(benchmark::State& state) {
  RawSession sender;
  PgcppReceiver receiver;
  pgcpp::Notifications& notifications = receiver.notifications;
  std::optional<Clock::time_point> handled;
  notifications.add_notify_handler([&](const pgcpp::Notify&) { handled = Clock::now(); });
  for (auto _ : state) {
    handled.reset();
    Clock::time_point start = Clock::now();
    // notifies() is the operation waiting on the connection; the handler runs inside it.
    send_and_receive_one(sender, notifications);
    if (!handled) throw std::runtime_error("the handler did not run");
    state.SetIterationTime(std::chrono::duration<double>(*handled - start).count());
  }
}
BENCHMARK(BM_Latency_PgcppHandler)->UseManualTime()->Unit(benchmark::kMicrosecond);

void BM_Latency_PgcppNotifies(benchmark::State& state) {
  RawSession sender;
  PgcppReceiver receiver;
  pgcpp::Notifications& notifications = receiver.notifications;
  for (auto _ : state) {
    Clock::time_point start = Clock::now();
    send_and_receive_one(sender, notifications);
    set_seconds(state, start);
  }
}
BENCHMARK(BM_Latency_PgcppNotifies)->UseManualTime()->Unit(benchmark::kMicrosecond);

void BM_Burst_Libpq(benchmark::State& state) {
  RawSession sender;
  RawSession receiver;
  receiver.exec("LISTEN bench");
  for (auto _ : state) {
    sender.exec(kBurstSql);
    Clock::time_point start = Clock::now();
    receiver.receive(kBurst);
    set_seconds(state, start);
  }
  state.SetItemsProcessed(state.iterations() * kBurst);
}
BENCHMARK(BM_Burst_Libpq)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_Burst_Pgcpp(benchmark::State& state) {
  RawSession sender;
  PgcppReceiver receiver;
  pgcpp::Notifications& notifications = receiver.notifications;
  int handled = 0;
  if (state.range(0) != 0) {
    notifications.add_notify_handler([&](const pgcpp::Notify&) { ++handled; });
  }
  for (auto _ : state) {
    sender.exec(kBurstSql);
    Clock::time_point start = Clock::now();
    for (const pgcpp::Notify& n : notifications.notifies(std::chrono::seconds(30), kBurst)) {
      benchmark::DoNotOptimize(n.payload);
    }
    set_seconds(state, start);
  }
  state.SetItemsProcessed(state.iterations() * kBurst);
  benchmark::DoNotOptimize(handled);
}
// Arg: 0 without a handler, 1 with one (every notification goes to both).
BENCHMARK(BM_Burst_Pgcpp)->Arg(0)->Arg(1)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace
