#include "pgcpp/core/copy.h"

#include <cstring>
#include <limits>

#include "pgcpp/core/errors.h"
#include "pgcpp/core/query.h"
#include "pgcpp/core/waiting.h"

namespace pgcpp {
namespace {

// write() passes larger data to libpq in pieces of this size (psycopg #255).
constexpr size_t kMaxPut = 1024 * 1024;

}  // namespace

Oid CopyType::resolve(const TypesRegistry& types) const {
  if (name_.empty()) return oid_;
  const Oid oid = types.get_oid(name_);
  if (oid == 0) throw ProgrammingError("set_types: unknown type '" + name_ + "'");
  return oid;
}

namespace copy_internal {

std::string merge_params(std::string_view statement, std::span<const std::string> literals) {
  std::shared_ptr<const ClientQuery> q = convert_client_query(statement);
  q->check_sequence_params(literals.size());
  return q->merge(literals);
}

std::string error_message(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return "error from C++: " + adapt_internal::demangle(typeid(e)) + " - " + e.what();
  } catch (...) {
    return "error from C++: unknown exception";
  }
}

}  // namespace copy_internal

Copy::Copy(Cursor& cursor, std::string statement)
    : cursor_(&cursor), conn_(cursor.conn_), lock_(conn_->lock()), adapters_(&cursor.adapters_) {
  cursor.results_.clear();
  cursor.select_result(0);
  PGresultPtr res = wait(copy_protocol::start(*conn_, std::move(statement)));
  binary_ = PQbinaryTuples(res.get()) != 0;
  copy_in_ = PQresultStatus(res.get()) == PGRES_COPY_IN;
  if (copy_in_) buffer_.reserve(kBlockSize + kBlockSize / 4);
}

Copy::~Copy() noexcept(false) {
  if (finished_) return;
  if (conn_->closed()) return;  // lost (already reported) or closed: nothing to end
  if (std::uncaught_exceptions() > uncaught_) {
    abort("error from C++: exception while copying");
    return;
  }
  finish();
}

void Copy::set_types(std::span<const CopyType> types) {
  types_.clear();
  dumpers_.clear();
  for (const CopyType& t : types) types_.push_back(t.resolve(adapters_->types()));
  if (copy_in_ && binary_) {
    for (Oid oid : types_) dumpers_.push_back(adapters_->get_dumper_by_oid(oid, Format::kBinary));
  }
}

void Copy::throw_not_writable() const {
  if (!copy_in_) throw ProgrammingError("cannot write to a COPY TO STDOUT");
  throw ProgrammingError("the COPY is finished");
}

void Copy::check_reading() {
  if (copy_in_) throw ProgrammingError("cannot read from a COPY FROM STDIN");
  if (finished_ && !data_ended_) throw ProgrammingError("the COPY is finished");
}

size_t Copy::start_binary_row(size_t fields) {
  if (fields > static_cast<size_t>(std::numeric_limits<int16_t>::max())) {
    throw DataError("too many fields for a COPY row: " + std::to_string(fields));
  }
  if (!header_sent_) {
    buffer_.append(copy_internal::kBinaryHeader);
    header_sent_ = true;
  }
  const size_t row_start = buffer_.size();
  copy_internal::append_be<int16_t>(buffer_, static_cast<int16_t>(fields));
  return row_start;
}

void Copy::flush() {
  if (buffer_.empty()) return;
  wait(copy_protocol::put(*conn_, buffer_));
  buffer_.clear();
}

void Copy::write(std::string_view data) {
  check_writing();
  wrote_raw_ = true;
  if (buffer_.size() + data.size() < kBlockSize) {
    buffer_.append(data);
    return;
  }
  flush();
  while (!data.empty()) {
    const std::string_view piece = data.substr(0, kMaxPut);
    wait(copy_protocol::put(*conn_, piece));
    data.remove_prefix(piece.size());
  }
}

void Copy::write_row(std::span<const Value> values) {
  check_writing();
  const size_t row_start = start_row(values.size());
  try {
    for (size_t i = 0; i < values.size(); ++i) write_field(values[i], i);
  } catch (...) {
    buffer_.resize(row_start);
    throw;
  }
  end_row();
}

bool Copy::dump_binary_value(const Value& value, size_t i) {
  if (value.is_null()) return true;
  const Dumper* d = column_dumper(i);
  if (d == nullptr) return dump_param(value, ParamFormat::kBinary, *adapters_, buffer_).is_null;
  if (d->type() == typeid(Value)) return !d->dump_erased(&value, buffer_);
  if (const AnyValue* any = std::get_if<AnyValue>(&value.storage());
      any != nullptr && any->type() == d->type()) {
    return !d->dump_erased(any->data(), buffer_);
  }
  throw_dumper_type(i, typeid(Value));
}

void Copy::throw_dumper_type(size_t i, const std::type_info& type) const {
  throw ProgrammingError("COPY column " + std::to_string(i) + ": the dumper for " +
                         adapt_internal::describe_oid(types_[i]) + " takes " +
                         adapt_internal::demangle(dumpers_[i]->type()) + ", not " +
                         adapt_internal::demangle(type));
}

void Copy::finish() {
  if (finished_) return;
  if (!copy_in_) {
    while (!read().empty()) {
    }
    return;
  }
  if (binary_ && !wrote_raw_) {
    if (!header_sent_) buffer_.append(copy_internal::kBinaryHeader);
    buffer_.append(copy_internal::kBinaryTrailer);
  }
  finished_ = true;  // whatever happens next, this COPY is over
  PGresultPtr result;
  try {
    flush();
    result = wait(copy_protocol::end(*conn_, nullptr));
  } catch (...) {
    lock_.unlock();
    throw;
  }
  conclude(std::move(result), true);
}

void Copy::abort(const std::string& message) {
  if (finished_) return;
  finished_ = true;
  try {
    PGresultPtr res = copy_in_      ? wait(copy_protocol::end(*conn_, message.c_str()))
                      : data_ended_ ? wait(copy_protocol::result(*conn_))
                                    : wait(copy_protocol::abandon(*conn_));
    conclude(std::move(res), false);
  } catch (const Error&) {
    // The connection was lost meanwhile (broken() says so): the user's error matters more.
  }
  if (lock_.owns_lock()) lock_.unlock();
}

void Copy::conclude(PGresultPtr result, bool raise) {
  finished_ = true;
  struct Unlock {
    std::unique_lock<ConnectionLock>& lock;
    ~Unlock() {
      if (lock.owns_lock()) lock.unlock();
    }
  } unlock{lock_};
  const bool failed = PQresultStatus(result.get()) == PGRES_FATAL_ERROR;
  if (!failed) {
    cursor_->results_.clear();
    cursor_->results_.push_back(std::move(result));
    cursor_->select_result(0);
  }
  if (failed && raise) errors::raise_from_result(result.get(), conn_->pgconn());
}

std::string_view Copy::read() {
  check_reading();
  if (chunk_pos_ < chunk_.size) {
    std::string_view rest = chunk_.view().substr(chunk_pos_);
    chunk_pos_ = chunk_.size;
    return rest;
  }
  if (data_ended_) return {};
  chunk_ = wait(copy_protocol::get(*conn_));
  chunk_pos_ = chunk_.size;
  if (chunk_.size == 0) {
    data_ended_ = true;
    conclude(wait(copy_protocol::result(*conn_)), true);
  }
  return chunk_.view();
}

bool Copy::next_row() {
  for (;;) {
    if (chunk_pos_ >= chunk_.size) {
      if (data_ended_) return false;
      chunk_ = wait(copy_protocol::get(*conn_));
      chunk_pos_ = 0;
      if (chunk_.size == 0) {
        data_ended_ = true;
        conclude(wait(copy_protocol::result(*conn_)), true);
        return false;
      }
    }
    std::string_view data = chunk_.view().substr(chunk_pos_);
    if (!binary_) {
      const size_t newline = data.find('\n');
      if (newline == std::string_view::npos) {
        chunk_pos_ = chunk_.size;
        throw DataError("COPY text row without a trailing newline");
      }
      copy_internal::parse_text_row(data.substr(0, newline), fields_, unescaped_);
      chunk_pos_ += newline + 1;
      return true;
    }
    if (!header_seen_) {
      const size_t header = copy_internal::parse_binary_header(data);
      header_seen_ = true;
      chunk_pos_ += header;
      continue;
    }
    if (trailer_seen_) {
      chunk_pos_ = chunk_.size;  // nothing should follow the trailer
      continue;
    }
    if (copy_internal::is_binary_trailer(data)) {
      trailer_seen_ = true;
      chunk_pos_ += 2;
      continue;
    }
    chunk_pos_ += copy_internal::parse_binary_row(data, fields_);
    return true;
  }
}

void Copy::throw_row_size(size_t fields) const {
  throw ProgrammingError("write_row() got " + std::to_string(fields) +
                         " values, but set_types() was given " + std::to_string(types_.size()) +
                         " types");
}

const RowDescription& Copy::describe(std::span<const Oid> oids) {
  const Format format = binary_ ? Format::kBinary : Format::kText;
  if (!types_.empty() && types_.size() != fields_.size()) {
    throw ProgrammingError("COPY row with " + std::to_string(fields_.size()) +
                           " fields, but set_types() was given " + std::to_string(types_.size()) +
                           " types");
  }
  wanted_oids_.resize(fields_.size());
  for (size_t i = 0; i < fields_.size(); ++i) {
    Oid oid = !types_.empty()              ? types_[i]
              : i < oids.size() && oids[i] ? oids[i]
              : binary_                    ? oids::kBytea
                                           : oids::kText;
    wanted_oids_[i] = oid;
  }
  if (!description_ || described_oids_ != wanted_oids_) {
    std::vector<Column> columns;
    columns.reserve(wanted_oids_.size());
    for (Oid oid : wanted_oids_) columns.push_back(Column{"", oid, format, -1});
    description_.emplace(std::move(columns), *adapters_);
    described_oids_ = wanted_oids_;
  }
  return *description_;
}

std::optional<std::vector<Value>> Copy::read_row() {
  check_reading();
  if (!next_row()) return std::nullopt;
  Row row(describe({}), fields_);
  std::vector<Value> out;
  out.reserve(row.size());
  for (size_t i = 0; i < row.size(); ++i) out.push_back(row.value(i));
  return out;
}

}  // namespace pgcpp
