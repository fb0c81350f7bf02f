#include "pgcpp/core/cursor.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "pgcpp/core/copy_protocol.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/core/protocol.h"
#include "pgcpp/core/waiting.h"

namespace pgcpp {

namespace {
// executemany() sends what libpq buffered every this many executions.
constexpr int kManyFlushEvery = 1000;
}  // namespace

Cursor::Cursor(std::shared_ptr<BaseConnection> conn, CursorOptions options)
    : conn_(std::move(conn)), adapters_(conn_->adapters()), options_(options) {}

Cursor::Cursor(RawTag, std::shared_ptr<BaseConnection> conn, CursorOptions options)
    : Cursor(std::move(conn), options) {
  binding_ = Binding::kRaw;
}

namespace {
const char* const kNoClientBinary = "client-side cursors don't support binary results";
}  // namespace

Cursor::Cursor(ClientTag, std::shared_ptr<BaseConnection> conn, CursorOptions options)
    : Cursor(std::move(conn), options) {
  if (options.binary.value_or(false)) throw NotSupportedError(kNoClientBinary);
  binding_ = Binding::kClient;
}

void Cursor::check_client_format(const ExecuteOptions& options) {
  if (options.binary.value_or(false)) throw NotSupportedError(kNoClientBinary);
}

Cursor& Cursor::run_client(const ExecuteOptions& options, const std::string& query) {
  check_client_format(options);
  return run_execute(query.c_str(), nullptr, ExecuteOptions{});  // never prepared
}

std::string Cursor::merge_literal_values(std::string_view query,
                                         std::span<const Value> params) const {
  std::shared_ptr<const ClientQuery> q = convert_client_query(query);
  q->check_sequence_params(params.size());
  std::vector<std::string> literals;
  literals.reserve(params.size());
  for (const Value& v : params) literals.push_back(as_literal(v, adapters_));
  return q->merge(literals);
}

std::string Cursor::merge_literal_named(std::string_view query, const NamedParams& params) const {
  std::shared_ptr<const ClientQuery> q = convert_client_query(query);
  q->check_mapping_params([&](std::string_view name) { return params.contains(name); });
  std::vector<std::string> literals;
  literals.reserve(q->names.size());
  for (const std::string& name : q->names) {
    literals.push_back(as_literal(params.find(name)->second, adapters_));
  }
  return q->merge(literals);
}

void Cursor::end_many_client(std::vector<PGresultPtr> kept, int64_t total, bool any) {
  // As executemany(): rowcount is the sum of the affected rows; the results
  // are the executions' (returning) or none.
  results_ = std::move(kept);
  select_result(0);
  rowcount_ = any ? total : 0;
}

const std::shared_ptr<const PgQuery>& Cursor::converted(std::string_view query,
                                                        size_t param_count) const {
  if (!last_query_ || query != last_query_text_) {
    if (binding_ == Binding::kRaw) {
      auto raw = std::make_shared<PgQuery>();
      raw->query = std::string(query);
      last_query_ = std::move(raw);  // no formats: every parameter is %s
    } else {
      last_query_ = convert_query(query);
    }
    last_query_text_.assign(query);
  }
  if (binding_ != Binding::kRaw) last_query_->check_sequence_params(param_count);
  return last_query_;
}

void Cursor::check_open() const {
  if (closed_) throw InterfaceError("the cursor is closed");
  conn_->checked_pgconn();
}

void Cursor::close() {
  closed_ = true;
  pending_.reset();
  results_.clear();
  select_result(0);
}

Cursor& Cursor::execute_values(std::string_view query, std::span<const Value> params,
                               ExecuteOptions options) {
  check_open();
  if (binding_ == Binding::kClient) return run_client(options, merge_literal_values(query, params));
  return run_execute(dump_values(query, params)->query.c_str(), &params_, options);
}

Cursor& Cursor::execute_named(std::string_view query, const NamedParams& params,
                              ExecuteOptions options) {
  check_open();
  if (binding_ == Binding::kClient) return run_client(options, merge_literal_named(query, params));
  return run_execute(dump_named(query, params)->query.c_str(), &params_, options);
}

Operation<void> Cursor::execute_values_operation_for(std::string_view query,
                                                     std::span<const Value> params,
                                                     ExecuteOptions options) {
  check_open();
  if (binding_ == Binding::kClient) {
    return client_operation(options, merge_literal_values(query, params));
  }
  return owned_execute_operation(dump_values(query, params), {}, options);
}

Operation<void> Cursor::execute_named_operation_for(std::string_view query,
                                                    const NamedParams& params,
                                                    ExecuteOptions options) {
  check_open();
  if (binding_ == Binding::kClient) {
    return client_operation(options, merge_literal_named(query, params));
  }
  return owned_execute_operation(dump_named(query, params), {}, options);
}

Operation<void> Cursor::client_operation(const ExecuteOptions& options, std::string query) {
  check_client_format(options);
  return owned_execute_operation(nullptr, std::move(query), ExecuteOptions{});  // never prepared
}

std::shared_ptr<const PgQuery> Cursor::dump_values(std::string_view query,
                                                   std::span<const Value> params) {
  std::shared_ptr<const PgQuery> q = converted(query, params.size());
  dump_params_into(params_, adapters_, q->formats, params);
  return q;
}

std::shared_ptr<const PgQuery> Cursor::dump_named(std::string_view query,
                                                  const NamedParams& params) {
  if (binding_ == Binding::kRaw) {
    throw ProgrammingError("raw queries require a sequence of parameters");
  }
  std::shared_ptr<const PgQuery> converted = convert_query(query);
  converted->check_mapping_params([&](std::string_view name) { return params.contains(name); });
  std::vector<ParamRef> ordered;
  ordered.reserve(converted->names.size());
  for (const std::string& name : converted->names) ordered.emplace_back(params.find(name)->second);
  dump_params_into(params_, adapters_, converted->formats, std::span<const ParamRef>(ordered));
  return converted;
}

namespace {

// Raises the error of a failed PREPARE.
void check_prepared(const std::vector<PGresultPtr>& results, PGconn* pg) {
  if (results.empty()) throw OperationalError("the connection is closed");
  const PGresult* res = results.back().get();
  const ExecStatusType status = PQresultStatus(res);
  if (status == PGRES_FATAL_ERROR) errors::raise_from_result(res, pg);
  if (status != PGRES_COMMAND_OK) {
    throw InternalError(std::string("unexpected result status from prepare: ") +
                        PQresStatus(status));
  }
}

// Whether the query started a COPY, which end_unexpected_copy() must end.
bool starts_copy(ExecStatusType status) {
  return status == PGRES_COPY_IN || status == PGRES_COPY_OUT;
}

}  // namespace

Cursor& Cursor::run_execute(const char* query, const DumpedParams* params,
                            const ExecuteOptions& options) {
  const std::optional<Format> format = format_for(options);
  std::lock_guard<ConnectionLock> guard(conn_->lock());
  if (conn_->prepared().has_maintenance() || conn_->needs_begin() || conn_->pipeline()) {
    wait(execute_operation(query, params, format, options.prepare));
    return *this;
  }
  // The common case: execute_operation's steps driven here without its
  // coroutine frame (a round trip's client work is what W4 measures).
  clear_results();
  PGconn* pg = conn_->checked_pgconn();
  const bool extended = decide(query, params, format, options.prepare);
  if (decision_.prepare == PreparedStatements::Prepare::kShould) {
    send_prepare(pg, query, params);
    check_prepared(wait(conn_->execute_sent()), pg);
  }
  send_execution(pg, query, params, format, extended);
  try {
    wait(protocol::execute_into(pg, results_, conn_->notify_sink()));
  } catch (const OperationalError&) {
    conn_->closed();  // a lost connection is recorded now (as execute_sent() does)
    throw;
  }
  if (learn_from_results(extended)) wait(end_unexpected_copy());
  check_results();
  select_result(0);
  return *this;
}

std::optional<Format> Cursor::format_for(const ExecuteOptions& options) const {
  std::optional<bool> binary = options.binary ? options.binary : options_.binary;
  if (!binary) return std::nullopt;
  return *binary ? Format::kBinary : Format::kText;
}

Operation<void> Cursor::owned_execute_operation(std::shared_ptr<const PgQuery> query,
                                                std::string text, ExecuteOptions options) {
  co_await execute_operation(query ? query->query.c_str() : text.c_str(),
                             query ? &params_ : nullptr, format_for(options), options.prepare);
}

void Cursor::clear_results() {
  results_.clear();
  pending_.reset();
  select_result(0);
}

bool Cursor::decide(const char* query, const DumpedParams* params, std::optional<Format> format,
                    std::optional<bool> prepare) {
  // Only the extended protocol prepares: no multi-statement query ever is. A
  // pipeline uses it for every statement.
  const bool extended =
      params || format == Format::kBinary || prepare == true || conn_->pipeline() != nullptr;
  if (extended) {
    const int nparams = params ? params->size() : 0;
    const Oid* types = params ? params->types() : nullptr;
    // The same query again: the decision made for it last time saves a lookup.
    const bool new_key =
        PreparedStatements::make_key(query, {types, static_cast<size_t>(nparams)}, prepared_key_);
    decision_ = conn_->prepared().get(prepared_key_, prepare, new_key ? nullptr : &decision_);
  } else {
    decision_ = {};
  }
  return extended;
}

void Cursor::send_prepare(PGconn* pg, const char* query, const DumpedParams* params) {
  if (PQsendPrepare(pg, decision_.name.c_str(), query, params ? params->size() : 0,
                    params ? params->types() : nullptr) == 0) {
    throw OperationalError("sending query failed: " + connection_error_message(pg));
  }
}

void Cursor::send_execution(PGconn* pg, const char* query, const DumpedParams* params,
                            std::optional<Format> format, bool extended) {
  using Prepare = PreparedStatements::Prepare;
  PreparedStatements& prepared = conn_->prepared();
  const PreparedStatements::Decision& decision = decision_;
  Format result_format = format.value_or(Format::kText);
  if (!format && decision.prepare == Prepare::kYes && decision.columns_known &&
      prepared.prepared_binary_results() &&
      PreparedStatements::binary_result_columns(decision.columns, adapters_)) {
    result_format = Format::kBinary;
  }
  if (extended) prepared.maybe_add_to_cache(prepared_key_, decision);
  const int nparams = params ? params->size() : 0;
  int sent;
  if (decision.prepare != Prepare::kNo) {
    sent =
        PQsendQueryPrepared(pg, decision.name.c_str(), nparams, params ? params->values() : nullptr,
                            params ? params->lengths() : nullptr,
                            params ? params->formats() : nullptr, static_cast<int>(result_format));
  } else if (!extended) {
    sent = PQsendQuery(pg, query);  // simple protocol: several statements allowed
  } else if (!params) {
    sent = PQsendQueryParams(pg, query, 0, nullptr, nullptr, nullptr, nullptr,
                             static_cast<int>(result_format));
  } else {
    sent = PQsendQueryParams(pg, query, nparams, params->types(), params->values(),
                             params->lengths(), params->formats(), static_cast<int>(result_format));
  }
  if (sent == 0) {
    throw OperationalError("sending query failed: " + connection_error_message(pg));
  }
}

bool Cursor::learn_from_results(bool extended) {
  PreparedStatements& prepared = conn_->prepared();
  if (extended) {
    prepared.validate(prepared_key_, decision_, results_.empty() ? nullptr : results_[0].get());
  }
  conn_->results_received(results_);
  return !results_.empty() && starts_copy(PQresultStatus(results_.back().get()));
}

Operation<void> Cursor::execute_operation(const char* query, const DumpedParams* params,
                                          std::optional<Format> format,
                                          std::optional<bool> prepare) {
  clear_results();
  PipelineState* pipeline = conn_->pipeline();
  // Each co_await costs a coroutine frame: the common case (nothing queued,
  // autocommit or already in a transaction) awaits none of these.
  if (conn_->prepared().has_maintenance()) co_await conn_->send_prepared_maintenance();
  if (conn_->needs_begin()) co_await conn_->start_query();
  PGconn* pg = conn_->checked_pgconn();
  const bool extended = decide(query, params, format, prepare);
  if (decision_.prepare == PreparedStatements::Prepare::kShould) {
    send_prepare(pg, query, params);
    if (pipeline) {
      pipeline->expect_command(nullptr, prepare_observer(prepared_key_));
    } else {
      check_prepared(co_await conn_->execute_sent(), pg);
    }
  }
  send_execution(pg, query, params, format, extended);
  if (pipeline) {
    pending_ = std::make_shared<PipelineSlot>();
    pipeline->expect(pending_, validate_observer(prepared_key_, decision_));
    co_await pipeline->communicate();  // the results come later
    co_return;
  }
  try {
    co_await protocol::execute_into(pg, results_, conn_->notify_sink());
  } catch (const OperationalError&) {
    conn_->closed();  // a lost connection is recorded now (as execute_sent() does)
    throw;
  }
  if (learn_from_results(extended)) co_await end_unexpected_copy();
  check_results();
  select_result(0);
}

PipelineState::Observer Cursor::prepare_observer(const std::string& key) const {
  return [conn = conn_.get(), key](const std::vector<PGresultPtr>& results) {
    if (results.empty() || PQresultStatus(results.back().get()) != PGRES_COMMAND_OK) {
      conn->prepared().prepare_failed(key);
    }
  };
}

PipelineState::Observer Cursor::validate_observer(
    const std::string& key, const PreparedStatements::Decision& decision) const {
  return [conn = conn_.get(), key, decision](const std::vector<PGresultPtr>& results) {
    conn->prepared().validate(key, decision, results.empty() ? nullptr : results[0].get());
  };
}

Operation<void> Cursor::end_unexpected_copy() {
  // A COPY belongs to copy(): end it here so that the connection stays usable, then
  // check_results() refuses it.
  if (results_.empty()) co_return;
  const char* const refusal = "COPY cannot be used with this method; use copy() instead";
  switch (PQresultStatus(results_.back().get())) {
    case PGRES_COPY_IN:
      co_await copy_protocol::end(*conn_, refusal);
      break;
    case PGRES_COPY_OUT:
      co_await copy_protocol::abandon(*conn_);
      break;
    default:
      break;
  }
}

void Cursor::check_results() const {
  if (results_.empty()) throw OperationalError("the connection is closed");
  internal::check_results(results_, conn_->pgconn());
}

void Cursor::start_many(const ExecuteManyOptions& options) {
  std::lock_guard<ConnectionLock> guard(conn_->lock());
  results_.clear();
  pending_.reset();
  select_result(0);
  wait(conn_->send_prepared_maintenance());
  wait(conn_->start_query());
  pending_ = std::make_shared<PipelineSlot>();
  pending_->mode =
      options.returning ? PipelineSlot::Mode::kManyReturning : PipelineSlot::Mode::kMany;
  if (!options.returning) rowcount_ = 0;  // the sum, as the results arrive
}

void Cursor::send_many(ManyState& state, const PgQuery& query) {
  using Prepare = PreparedStatements::Prepare;
  // Statements are only queued here (non-blocking libpq calls); the
  // pipeline's operations do the waiting.
  std::lock_guard<ConnectionLock> guard(conn_->lock());
  PGconn* pg = conn_->checked_pgconn();
  PipelineState* pipeline = conn_->pipeline();
  if (pipeline == nullptr) throw InterfaceError("executemany: the pipeline ended");
  const int n = params_.size();
  std::span<const Oid> types(params_.types(), static_cast<size_t>(n));
  if (!state.started ||
      !std::equal(types.begin(), types.end(), state.types.begin(), state.types.end())) {
    // psycopg's executemany prepares (prepare=true) unless prepare_threshold
    // is nullopt; asked once per parameter types, not once per row.
    PreparedStatements& prepared = conn_->prepared();
    if (PreparedStatements::make_key(query.query, types, prepared_key_)) decision_ = {};
    state.decision = prepared.get(prepared_key_, true);
    if (state.decision.prepare == Prepare::kShould) {
      if (PQsendPrepare(pg, state.decision.name.c_str(), query.query.c_str(), n, types.data()) ==
          0) {
        throw OperationalError("sending query failed: " + connection_error_message(pg));
      }
      pipeline->expect_command(nullptr, prepare_observer(prepared_key_));
    }
    prepared.maybe_add_to_cache(prepared_key_, state.decision);
    state.types.assign(types.begin(), types.end());
    state.validate = state.decision.prepare == Prepare::kShould;
    state.started = true;
  }
  const int format = options_.binary ? 1 : 0;
  const int sent =
      state.decision.prepare == Prepare::kNo
          ? PQsendQueryParams(pg, query.query.c_str(), n, types.data(), params_.values(),
                              params_.lengths(), params_.formats(), format)
          : PQsendQueryPrepared(pg, state.decision.name.c_str(), n, params_.values(),
                                params_.lengths(), params_.formats(), format);
  if (sent == 0) throw OperationalError("sending query failed: " + connection_error_message(pg));
  if (std::exchange(state.validate, false)) {
    pipeline->expect(pending_, validate_observer(prepared_key_, state.decision));
  } else {
    pipeline->expect(pending_);
  }
  // libpq buffers what it cannot write at once; send (and take in results)
  // every so often so that a long batch keeps bounded buffers.
  if (++state.unflushed >= kManyFlushEvery) {
    state.unflushed = 0;
    wait(pipeline->communicate());
  }
}

void Cursor::finish_many(const ExecuteManyOptions& options) {
  std::lock_guard<ConnectionLock> guard(conn_->lock());
  PipelineState* pipeline = conn_->pipeline();
  if (pipeline == nullptr) return;
  if (options.returning) {
    wait(pipeline->fetch(/*flush=*/true));
  } else {
    wait(pipeline->communicate());
  }
}

void Cursor::adopt_arrived() const {
  // A cursor with a slot has executed, so it is not a const object.
  Cursor& self = const_cast<Cursor&>(*this);
  PipelineSlot& slot = *self.pending_;
  slot.arrived = false;
  switch (slot.mode) {
    case PipelineSlot::Mode::kExecute:
      self.results_ = std::move(slot.results);
      slot.results.clear();
      self.select_result(0);
      break;
    case PipelineSlot::Mode::kManyReturning: {
      const bool first = self.results_.empty();
      for (PGresultPtr& res : slot.results) self.results_.push_back(std::move(res));
      slot.results.clear();
      if (first) self.select_result(0);
      break;
    }
    case PipelineSlot::Mode::kMany:
      self.rowcount_ += std::exchange(slot.rowcount, 0);
      break;
  }
}

void Cursor::fetch_pending() {
  if (!pending_ || pending_->outstanding == 0 || pending_->mode == PipelineSlot::Mode::kMany ||
      pgresult() != nullptr) {
    return;
  }
  std::lock_guard<ConnectionLock> guard(conn_->lock());
  if (PipelineState* pipeline = conn_->pipeline()) wait(pipeline->fetch(/*flush=*/true));
}

void Cursor::select_result(size_t index) {
  current_ = index;
  pos_ = 0;
  description_.reset();
  described_ = false;
  row_description_current_ = false;
  row_.reset();
  const PGresult* res = pgresult();
  if (res == nullptr) {
    rowcount_ = -1;
    return;
  }
  ExecStatusType status = PQresultStatus(res);
  if (status == PGRES_TUPLES_OK) {
    rowcount_ = PQntuples(res);
  } else {
    const char* tuples = PQcmdTuples(const_cast<PGresult*>(res));
    rowcount_ = tuples && *tuples ? std::stoll(tuples) : -1;
  }
}

const PGresult* Cursor::pgresult() const {
  adopt_pending();
  return current_ < results_.size() ? results_[current_].get() : nullptr;
}

const std::optional<std::vector<ColumnDescription>>& Cursor::description() const {
  if (!described_) {
    const PGresult* res = pgresult();
    if (res && (PQnfields(res) > 0 || PQresultStatus(res) == PGRES_TUPLES_OK)) {
      description_ = describe_columns(res, adapters_.types());
    }
    described_ = true;
  }
  return description_;
}

std::optional<int64_t> Cursor::rownumber() const {
  const PGresult* res = pgresult();
  if (res == nullptr || PQresultStatus(res) != PGRES_TUPLES_OK) return std::nullopt;
  return pos_;
}

std::optional<std::string> Cursor::statusmessage() const {
  const PGresult* res = pgresult();
  if (res == nullptr) return std::nullopt;
  const char* status = PQcmdStatus(const_cast<PGresult*>(res));
  if (status == nullptr || *status == '\0') return std::nullopt;
  return std::string(status);
}

bool Cursor::nextset() {
  check_open();
  adopt_pending();
  if (current_ + 1 >= results_.size()) return false;
  select_result(current_ + 1);
  return true;
}

void Cursor::scroll(int64_t value, ScrollMode mode) {
  tuples_result();
  int64_t target = mode == ScrollMode::kRelative ? pos_ + value : value;
  if (target < 0 || target > ntuples()) {
    throw std::out_of_range("scroll: position " + std::to_string(target) +
                            " out of bound (the result has " + std::to_string(ntuples()) +
                            " rows)");
  }
  pos_ = target;
}

const PGresult* Cursor::tuples_result() {
  if (closed_) throw InterfaceError("the cursor is closed");
  fetch_pending();
  const PGresult* res = pgresult();
  if (res == nullptr) throw ProgrammingError("no result available");
  ExecStatusType status = PQresultStatus(res);
  if (status != PGRES_TUPLES_OK && status != PGRES_SINGLE_TUPLE) {
    const char* tag = PQcmdStatus(const_cast<PGresult*>(res));
    throw ProgrammingError(std::string("the last operation didn't produce records (command "
                                       "status: ") +
                           (tag && *tag ? tag : PQresStatus(status)) + ")");
  }
  return res;
}

int64_t Cursor::ntuples() const {
  const PGresult* res = pgresult();
  return res ? PQntuples(res) : 0;
}

namespace {

// Whether `desc` was made for columns like those of `res` (a query run again).
bool describes(const RowDescription& desc, const PGresult* res) {
  const int n = PQnfields(res);
  if (desc.size() != static_cast<size_t>(n)) return false;
  for (int i = 0; i < n; ++i) {
    const Column& c = desc.column(static_cast<size_t>(i));
    if (c.type_oid != PQftype(res, i) || static_cast<int>(c.format) != PQfformat(res, i) ||
        c.type_modifier != PQfmod(res, i) || std::strcmp(c.name.c_str(), PQfname(res, i)) != 0) {
      return false;
    }
  }
  return true;
}

}  // namespace

const RowDescription& Cursor::row_description() {
  if (row_description_current_) return *row_description_;
  const PGresult* res = tuples_result();
  if (!row_description_ || !describes(*row_description_, res)) {
    std::vector<Column> columns;
    const int n = PQnfields(res);
    columns.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      columns.push_back(Column{PQfname(res, i), PQftype(res, i),
                               static_cast<Format>(PQfformat(res, i)), PQfmod(res, i)});
    }
    row_description_.emplace(std::move(columns), adapters_);
    fields_.assign(static_cast<size_t>(n), FieldData{});
  }
  row_description_current_ = true;
  return *row_description_;
}

const Row& Cursor::row_at(int64_t index) {
  const RowDescription& desc = row_description_current_ ? *row_description_ : row_description();
  const PGresult* res = pgresult();
  const int row = static_cast<int>(index);
  // Two libpq calls per field (only an empty field may be NULL), into locals the calls
  // cannot clobber.
  FieldData* fields = fields_.data();
  const int n = static_cast<int>(fields_.size());
  for (int col = 0; col < n; ++col) {
    const char* data = PQgetvalue(res, row, col);
    const int size = PQgetlength(res, row, col);
    fields[col] = FieldData{data, size, size == 0 && PQgetisnull(res, row, col) != 0};
  }
  row_.emplace(desc, fields_);
  return *row_;
}

Cursor::RowIterator Cursor::begin() {
  tuples_result();
  row_description();
  return RowIterator(this);
}

}  // namespace pgcpp
