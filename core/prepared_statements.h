// PreparedStatements: the per-connection cache deciding which queries run as
// server-side prepared statements (psycopg's PrepareManager).
//
// A query sent over the extended protocol (one with parameters, binary
// results, or prepare=true) is counted under its key, the converted query
// text plus its parameter type oids. Once it has run prepare_threshold times
// unprepared (default 5: it is prepared on its 6th execution; 0: on its first;
// nullopt: never, e.g. behind PgBouncer in transaction pooling), it is
// prepared as "_pgcpp_<n>" and executed by name from then on. At most
// prepared_max statements stay prepared (LRU; the evicted ones are
// DEALLOCATEd as part of the next operation). Queries sent with the simple
// protocol (no parameters, text results), e.g. multi-statement ones, are never
// prepared.
//
// The cache is cleared (and DEALLOCATE ALL queued) after every result whose
// command status is DROP, ALTER, DISCARD, DEALLOCATE or ROLLBACK (also
// ROLLBACK TO SAVEPOINT, a COMMIT answered ROLLBACK, ROLLBACK PREPARED), each
// time one is seen: a schema change can change a statement's result type,
// which the server refuses for a statement prepared before it, and a rollback
// may undo one. The connection passes every result it receives, from user
// queries and internal commands alike, to observe() in one place
// (BaseConnection::results_received); only the results of the cache's own
// DEALLOCATEs are kept from it. Unlike psycopg (which checks only the
// executions that create a cache entry, and on rollback() / transaction
// blocks), an identical DROP clears the cache every time. The connection
// also clears it when an error takes a transaction block to idle (a COMMIT
// failing on a deferred constraint or a serialization failure: a rollback
// whose result does not say so; psycopg keeps its cache then).
//
// Users configure it through Connection (prepare_threshold(),
// prepared_max(), prepared_binary_results()) or ExecuteOptions::prepare:
//
//   auto conn = pgcpp::Connection::connect(dsn, {.prepare_threshold = 0});  // always
//   conn.cursor().execute({.prepare = false}, "SELECT %s::int", 1);       // not this one
//
// How a sender uses it (Cursor::execute_operation; a pipeline does the same
// with its sends and results interleaved):
//
//   PreparedStatements& ps = conn.prepared();
//   co_await conn.send_prepared_maintenance();   // the queued DEALLOCATEs
//   PreparedStatements::make_key(query, types, key);
//   PreparedStatements::Decision d = ps.get(key, options.prepare);
//   if (d.prepare == kShould) send PQsendPrepare(d.name, query, types);
//   ps.maybe_add_to_cache(key, d);
//   send PQsendQueryPrepared(d.name, ...) for kShould/kYes, else PQsendQueryParams;
//   ... if the PREPARE failed: ps.prepare_failed(key);
//   ps.validate(key, d, first result of the execution);
//   conn.results_received(every result);   // as for queries the cache never sees
//
// Binary results: once a prepared statement has run, its result column types
// are known (recorded by validate() from its first prepared execution, which
// uses text), and binary_result_columns() says whether every column has a
// binary loader giving the same values as the text one; the cursor then asks
// for binary results unless the user chose a format or turned
// prepared_binary_results off.
//
// Thread safety: none of its own; it belongs to a BaseConnection and is used
// under the connection's lock.
#ifndef PGCPP_CORE_PREPARED_STATEMENTS_H_
#define PGCPP_CORE_PREPARED_STATEMENTS_H_

#include <cstdint>
#include <list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pgcpp/adapt/adapters_map.h"
#include "pgcpp/adapt/oid.h"
#include "pgcpp/core/pq.h"

namespace pgcpp {

class PreparedStatements {
 public:
  enum class Prepare {
    kNo,      // run it unprepared (PQsendQueryParams / PQsendQuery)
    kYes,     // already prepared: PQsendQueryPrepared(name)
    kShould,  // PQsendPrepare(name) first, then PQsendQueryPrepared(name)
  };
  struct Decision {
    Prepare prepare = Prepare::kNo;
    std::string name{};  // the statement's name, for kYes and kShould
    // kYes: the statement's result column types once known (empty span with
    // columns_known false otherwise). Valid until the next call that changes
    // the cache.
    std::span<const Oid> columns{};
    bool columns_known = false;

   private:
    friend class PreparedStatements;
    // The key's slot as get() found it, usable while nothing was erased since.
    const void* slot_ = nullptr;
    uint64_t generation_ = 0;
  };

  static constexpr int kDefaultThreshold = 5;
  static constexpr int kDefaultMax = 100;

  // The cache key of a query and its parameter types, written into `key`
  // (a caller's buffer, reused between executions). Returns false when `key`
  // already was that key.
  static bool make_key(std::string_view query, std::span<const Oid> types, std::string& key);

  // --- Settings (psycopg's connection attributes) ---
  // nullopt: never prepare. Negative: ProgrammingError.
  std::optional<int> prepare_threshold() const { return threshold_; }
  void set_prepare_threshold(std::optional<int> value);
  // nullopt: no limit. Negative: ProgrammingError. Shrinking it evicts (and
  // queues the deallocation of) the least recently used statements at once.
  std::optional<int> prepared_max() const { return max_; }
  void set_prepared_max(std::optional<int> value);
  // Whether a prepared statement's results are asked in binary when every
  // column has a binary loader (default true). A format the user chose wins.
  bool prepared_binary_results() const { return binary_results_; }
  void set_prepared_binary_results(bool value) { binary_results_ = value; }

  // --- The decisions, in the order a sender makes them ---
  // What to do with the execution of `key`; `prepare` is the per-call choice
  // (true: prepare now, false: don't, nullopt: per the threshold). Never
  // prepares when prepare_threshold() is nullopt.
  // `previous`: a decision this cache made earlier for the same key (saves
  // the lookup while nothing was erased since).
  Decision get(std::string_view key, std::optional<bool> prepare,
               const Decision* previous = nullptr);
  // Records an execution as sent: counts a kNo, names a kShould, marks the
  // key most recently used; evicts beyond prepared_max (queuing DEALLOCATEs).
  void maybe_add_to_cache(std::string_view key, const Decision& decision);
  // The PREPARE of a kShould failed: the statement does not exist.
  void prepare_failed(std::string_view key);
  // After the execution's first result: an unprepared query that failed is
  // not counted; a prepared one records its result column types.
  void validate(std::string_view key, const Decision& decision, const PGresult* result);
  // After every result of every command (BaseConnection::results_received):
  // clears the cache after a DROP, ALTER, DISCARD, DEALLOCATE or ROLLBACK.
  // Returns whether it cleared.
  bool observe(const PGresult* result);
  // Forgets every key; when something was prepared, queues DEALLOCATE ALL.
  // Returns whether a command is queued.
  bool clear();

  // The DEALLOCATE commands to send before the next query (and forgets them).
  bool has_maintenance() const { return deallocate_all_ || !to_deallocate_.empty(); }
  std::vector<std::string> take_maintenance();

  // Whether every column of `columns` loads the same value from binary data
  // as from text through `adapters` (the builtin types with binary codecs and
  // arrays of them; a type with a user loader only if it has a binary one).
  static bool binary_result_columns(std::span<const Oid> columns, const AdaptersMap& adapters);

  // For tests and introspection.
  size_t prepared_count() const { return names_.size(); }
  size_t counted_count() const { return counts_.size(); }

 private:
  struct Entry {
    std::string key{};
    int64_t count = 0;   // unprepared executions so far
    std::string name{};  // empty while counting
    std::vector<Oid> columns{};
    bool columns_known = false;
  };
  using List = std::list<Entry>;
  struct Slot {
    List::iterator it;
    bool prepared = false;
  };

  Slot* find(std::string_view key);
  // find(key), or the slot `decision` remembers when it is still valid.
  Slot* find(std::string_view key, const Decision& decision);
  void erase(std::string_view key);
  void evict();

  std::optional<int> threshold_ = kDefaultThreshold;
  std::optional<int> max_ = kDefaultMax;
  bool binary_results_ = true;
  // Most recently used first. The map's keys view the entries' keys.
  List counts_;
  List names_;
  std::unordered_map<std::string_view, Slot> index_;
  uint64_t next_name_ = 1;   // never reused on a connection
  uint64_t generation_ = 0;  // counts erasures: a Decision's slot_ is valid while unchanged
  std::vector<std::string> to_deallocate_;
  bool deallocate_all_ = false;
};

}  // namespace pgcpp

#endif  // PGCPP_CORE_PREPARED_STATEMENTS_H_
