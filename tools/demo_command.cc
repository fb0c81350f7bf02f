#include "tools/demo_command.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "pgcpp/core/connection.h"
#include "pgcpp/core/connection_info.h"
#include "pgcpp/core/copy.h"
#include "pgcpp/core/server_cursor.h"
#include "pgcpp/core/transaction.h"
#include "pgcpp/notify/notifications.h"
#include "pgcpp/pool/connection_pool.h"
#include "pgcpp/tpc/two_phase.h"
#include "pgcpp/tpc/xid.h"
#include "tools/command_args.h"
#include "tools/embedded_server.h"

namespace pgcpp::tools {

namespace {

constexpr std::string_view kUsage =
    "usage: pgcpp demo [--dsn DSN]\n"
    "\n"
    "A guided tour of pgcpp: connecting, typed queries, transactions and savepoints,\n"
    "COPY, server cursors, LISTEN/NOTIFY, two-phase commit and the connection pool,\n"
    "each step printed with what it did. Tables it creates are named pgcpp_demo_* and\n"
    "dropped at the end.\n"
    "\n"
    "  --dsn DSN   where to connect; default: $PGCPP_DSN, else libpq's PG* variables,\n"
    "              else an embedded server started for the demo\n";

struct DemoContext {
  std::string dsn;
  std::ostream& out;
};

struct DemoStep {
  std::string_view title;
  void (*run)(DemoContext&);
};

void connect_step(DemoContext& ctx) {
  Connection conn = Connection::connect(ctx.dsn);
  ConnectionInfo info = conn.info();
  ctx.out << "  Connection::connect(dsn) -> connected\n"
          << "  info.dsn()            " << info.dsn() << "\n"
          << "  info.server_version() " << info.server_version() << "\n"
          << "  info.backend_pid()    " << info.backend_pid() << "\n"
          << "  info.encoding()       " << info.encoding() << "\n"
          << "  info.timezone()       " << info.timezone() << "\n";
}

void typed_query_step(DemoContext& ctx) {
  Connection conn = Connection::connect(ctx.dsn);
  ctx.out << "  for (auto [n, square, word] : conn.execute(...).rows<int32_t, int64_t, "
             "std::string>())\n";
  for (auto [n, square, word] :
       conn.execute("SELECT n, n::int8 * n, to_char(n, 'FMRN') FROM generate_series(1, %s) n", 5)
           .rows<int32_t, int64_t, std::string>()) {
    ctx.out << "    " << n << "  " << square << "  " << word << "\n";
  }
  auto [sum] = *conn.execute("SELECT %s::int4 + %s::int4", 40, 2).fetchone(typed_row<int32_t>);
  ctx.out << "  SELECT $1::int4 + $2::int4 with (40, 2) -> " << sum << "\n";
}

void transaction_step(DemoContext& ctx) {
  Connection conn = Connection::connect(ctx.dsn);
  conn.execute("CREATE TEMP TABLE accounts (id int PRIMARY KEY, balance numeric)");
  conn.commit();
  {
    auto tx = conn.transaction();  // BEGIN
    conn.execute("INSERT INTO accounts VALUES (%s, %s)", 1, 100);
    ctx.out << "  BEGIN; INSERT account 1\n";
    conn.transaction({.savepoint_name = "risky"}, [&](Transaction& savepoint) {
      conn.execute("INSERT INTO accounts VALUES (%s, %s)", 2, 50);
      ctx.out << "  SAVEPOINT risky; INSERT account 2; ROLLBACK TO SAVEPOINT risky\n";
      throw Rollback(savepoint);
    });
  }  // COMMIT
  auto [count] = *conn.execute("SELECT count(*) FROM accounts").fetchone(typed_row<int64_t>);
  ctx.out << "  COMMIT -> accounts holds " << count << " row (account 2 was rolled back)\n";
}

// A progress bar on one line, rewritten in place.
void progress_bar(std::ostream& out, int64_t done, int64_t total) {
  constexpr int kWidth = 40;
  const int filled = static_cast<int>(done * kWidth / total);
  out << "\r  [" << std::string(filled, '#') << std::string(kWidth - filled, '.') << "] "
      << done * 100 / total << "% " << done << " rows" << std::flush;
}

void copy_step(DemoContext& ctx) {
  constexpr int64_t kRows = 1000000;
  Connection conn = Connection::connect(ctx.dsn, {.autocommit = true});
  conn.execute("DROP TABLE IF EXISTS pgcpp_demo_copy");
  conn.execute("CREATE UNLOGGED TABLE pgcpp_demo_copy (id int8, name text, score float8)");
  Cursor cur = conn.cursor();
  const char* const kNames[] = {"alpha", "beta", "gamma", "delta"};
  const auto start = std::chrono::steady_clock::now();
  {
    Copy copy = cur.copy("COPY pgcpp_demo_copy (id, name, score) FROM STDIN");
    for (int64_t i = 0; i < kRows; ++i) {
      copy.write_row(i, std::string_view(kNames[i % 4]), static_cast<double>(i) / 4);
      if ((i + 1) % 50000 == 0) progress_bar(ctx.out, i + 1, kRows);
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ctx.out << "\n  COPY pgcpp_demo_copy FROM STDIN: " << cur.statusmessage().value_or("") << " in "
          << static_cast<int64_t>(seconds * 1000) << " ms ("
          << static_cast<int64_t>(kRows / seconds) << " rows/s)\n";
}

void server_cursor_step(DemoContext& ctx) {
  Connection conn = Connection::connect(ctx.dsn);
  auto tx = conn.transaction();
  ServerCursor cur = conn.server_cursor("pgcpp_demo_scan");
  cur.itersize = 10000;
  cur.execute("SELECT id, score FROM pgcpp_demo_copy WHERE id %% %s = 0", 2);
  int64_t rows = 0;
  double total = 0;
  for (auto [id, score] : cur.rows<int64_t, double>()) {
    ++rows;
    total += score;
  }
  cur.close();
  ctx.out << "  DECLARE \"pgcpp_demo_scan\" CURSOR FOR SELECT ... ; FETCH FORWARD 10000 at a time\n"
          << "  read " << rows << " rows, sum of score " << static_cast<int64_t>(total)
          << ", never more than 10000 rows in memory\n";
  conn.execute("DROP TABLE pgcpp_demo_copy");
}

void notify_step(DemoContext& ctx) {
  Connection listener = Connection::connect(ctx.dsn, {.autocommit = true});
  Connection sender = Connection::connect(ctx.dsn, {.autocommit = true});
  Notifications notifications(listener);
  notifications.listen("pgcpp_demo");
  ctx.out << "  connection A: LISTEN pgcpp_demo (backend " << listener.info().backend_pid()
          << ")\n";
  sender.execute("SELECT pg_notify('pgcpp_demo', %s)", "hello from B");
  ctx.out << "  connection B: pg_notify('pgcpp_demo', 'hello from B') (backend "
          << sender.info().backend_pid() << ")\n";
  int received = 0;
  for (const Notify& n : notifications.notifies(std::chrono::seconds(10), 1)) {
    ctx.out << "  connection A received on " << n.channel << ": '" << n.payload << "' from backend "
            << n.pid << "\n";
    ++received;
  }
  if (received == 0) throw std::runtime_error("no notification arrived within 10 s");
}

void two_phase_step(DemoContext& ctx) {
  Connection conn = Connection::connect(ctx.dsn, {.autocommit = true});
  auto [max_prepared] = *conn.execute("SELECT current_setting('max_prepared_transactions')::int4")
                             .fetchone(typed_row<int32_t>);
  if (max_prepared == 0) {
    ctx.out << "  skipped: the server has max_prepared_transactions = 0\n";
    return;
  }
  conn.execute("DROP TABLE IF EXISTS pgcpp_demo_transfers");
  conn.execute("CREATE TABLE pgcpp_demo_transfers (id int, note text)");
  conn.set_autocommit(false);
  const Xid xid(1, "pgcpp-demo-" + std::to_string(getpid()), "branch-a");
  {
    TwoPhase tpc(conn);
    tpc.begin(xid);
    conn.execute("INSERT INTO pgcpp_demo_transfers VALUES (%s, %s)", 1, "prepared");
    tpc.prepare();
    ctx.out << "  PREPARE TRANSACTION for xid (1, '" << xid.gtrid() << "', 'branch-a')\n";
  }
  conn.close();
  ctx.out << "  the coordinator's connection is closed: the transaction stays prepared\n";
  Connection recovery_conn = Connection::connect(ctx.dsn, {.autocommit = true});
  TwoPhase recovery(recovery_conn);
  for (const Xid& found : recovery.recover()) {
    if (found == xid) {
      ctx.out << "  recover() from a new connection found it; COMMIT PREPARED\n";
      recovery.commit(found);
    }
  }
  auto [rows] = *recovery_conn.execute("SELECT count(*) FROM pgcpp_demo_transfers")
                     .fetchone(typed_row<int64_t>);
  ctx.out << "  pgcpp_demo_transfers now holds " << rows << " committed row\n";
  recovery_conn.execute("DROP TABLE pgcpp_demo_transfers");
  if (rows != 1) throw std::runtime_error("the prepared transaction was not recovered");
}

void pool_step(DemoContext& ctx) {
  constexpr int kThreads = 8;
  constexpr int kQueriesPerThread = 250;
  ConnectionPool pool(ctx.dsn, {.min_size = 4, .max_size = 8});
  pool.wait();
  std::atomic<int64_t> total{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&pool, &total, t] {
      for (int i = 0; i < kQueriesPerThread; ++i) {
        auto conn = pool.connection();
        auto [v] = *conn->execute("SELECT %s::int4", t * kQueriesPerThread + i)
                        .fetchone(typed_row<int32_t>);
        total += v;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ctx.out << "  " << kThreads << " threads x " << kQueriesPerThread
          << " queries through ConnectionPool(min_size 4, max_size 8): "
          << static_cast<int64_t>(kThreads * kQueriesPerThread / seconds) << " queries/s\n"
          << "  sum of the results " << total.load() << "\n  get_stats():";
  for (const auto& [key, value] : pool.get_stats()) ctx.out << " " << key << "=" << value;
  ctx.out << "\n";
}

// The tour, in order: one line per step.
constexpr DemoStep kSteps[] = {
    {"connect, and what ConnectionInfo says", &connect_step},
    {"a typed query", &typed_query_step},
    {"a transaction with a savepoint rolled back", &transaction_step},
    {"COPY of 1,000,000 rows", &copy_step},
    {"a server cursor reading them back in pages", &server_cursor_step},
    {"LISTEN/NOTIFY between two connections", &notify_step},
    {"two-phase commit: prepared, then recovered", &two_phase_step},
    {"a connection pool shared by 8 threads", &pool_step},
};

}  // namespace

int demo_command(std::span<const std::string_view> args) {
  std::optional<std::string> dsn;
  CommandArgs in(args);
  if (!in.read_options(kUsage, [&](std::string_view arg) {
        if (arg != "--dsn") return false;
        dsn = std::string(in.value(arg));
        return true;
      })) {
    return 0;
  }
  Target target = resolve_target(dsn, {.settings = {{"max_prepared_transactions", "10"}}});
  DemoContext ctx{target.dsn, std::cout};
  std::cout << "pgcpp demo: connecting through " << target.origin << "\n";
  const auto start = std::chrono::steady_clock::now();
  int number = 0;
  for (const DemoStep& step : kSteps) {
    std::cout << "\n[" << ++number << "/" << std::size(kSteps) << "] " << step.title << "\n";
    const auto step_start = std::chrono::steady_clock::now();
    step.run(ctx);
    std::cout << "  ("
              << std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - step_start)
                     .count()
              << " ms)" << std::endl;
  }
  std::cout << "\ndemo finished: " << std::size(kSteps) << " steps in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - start)
                   .count()
            << " ms\n";
  return 0;
}

}  // namespace pgcpp::tools
