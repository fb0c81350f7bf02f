// COPY: bulk loading and unloading with "COPY ... FROM STDIN" / "COPY ... TO STDOUT".
//
//   pgcpp::Cursor cur = conn.cursor();
//
//   // COPY FROM, scope form: leaving the scope finishes the COPY.
//   {
//     pgcpp::Copy copy = cur.copy("COPY users (id, name) FROM STDIN");
//     for (const User& u : users) copy.write_row(u.id, u.name);   // typed, no per-row allocation
//   }
//   cur.rowcount();       // users.size(); cur.statusmessage() == "COPY <n>"
//
//   // Function form: an exception thrown by `fn` ends the COPY with an error sent to the
//   // server ("error from C++: std::runtime_error - <what()>"), so nothing is loaded, and
//   // it is that exception which propagates.
//   cur.copy("COPY users FROM STDIN (FORMAT BINARY)", [&](pgcpp::Copy& copy) {
//     copy.set_types({"int8", "text"});       // binary needs the columns' exact types
//     copy.write_row(1, "Ann");               // int -> int8 through set_types
//   });
//
//   // COPY TO: raw blocks, or rows.
//   pgcpp::Copy out = cur.copy("COPY (SELECT id, name FROM users) TO STDOUT");
//   for (auto [id, name] : out.rows<int64_t, std::optional<std::string>>()) ...
//   // or: while (std::optional<std::vector<pgcpp::Value>> row = out.read_row()) ...
//   // or: for (std::string_view block; !(block = out.read()).empty();) file.write(block);
//   // Once the data is over (or after finish()), the connection is free again.
//
// psycopg's Copy semantics (SEMANTICS.md §5): the statement is sent alone, its %s
// parameters merged on the client as SQL literals since COPY takes no bind parameters; a statement
// that is not a COPY to/from the client raises ProgrammingError, and so does COPY in a pipeline
// (NotSupportedError). The format (text or binary) is the one the server announces; CSV can be read
// and written as raw blocks only. Rows are buffered into blocks of 64 KiB before they are sent.
// Without set_types, COPY TO reads fields as strings (text) or Bytes (binary) in read_row(), and as
// the requested C++ types in read_row<Ts...>(); binary COPY FROM sends each value as its own C++
// type (an int32_t is an int4), which the server rejects for a column of another type, so call
// set_types for binary COPY FROM.
//
// Text format: each value's text form, with tabs, newlines, carriage returns, the other
// control escapes and backslashes escaped, NULL as \N; read_row reverses it. A row whose
// value fails to dump raises and is not sent at all.
//
// End: the destructor (or finish()) ends COPY FROM, sending what is buffered, and reads
// the server's verdict, raising its error (e.g. UniqueViolation) from there; COPY TO
// reads whatever data is left. The destructor is noexcept(false), so do not hold a Copy
// in std::optional or unique_ptr. When the scope is left by an exception, the COPY is
// ended with an error instead ("error from C++: exception while copying"; COPY TO:
// cancelled and drained) and the exception propagates. Afterwards the cursor's
// rowcount() and statusmessage() are the COPY's.
//
// The Copy holds the connection's lock from its start until the COPY is over (the data
// read to its end, finish(), abort()): do not use the connection (other cursors
// included) from the same thread meanwhile. The cursor must outlive the Copy.
#ifndef PGCPP_CORE_COPY_H_
#define PGCPP_CORE_COPY_H_

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "pgcpp/adapt/adapters_map.h"
#include "pgcpp/adapt/codec.h"
#include "pgcpp/adapt/params.h"
#include "pgcpp/adapt/row.h"
#include "pgcpp/adapt/value.h"
#include "pgcpp/core/base_connection.h"
#include "pgcpp/core/copy_format.h"
#include "pgcpp/core/copy_protocol.h"
#include "pgcpp/core/cursor.h"
#include "pgcpp/core/operation.h"
#include "pgcpp/core/pq.h"

namespace pgcpp {

// A column type for Copy::set_types: an oid or a type name ("int8", "text[]", a
// registered type).
class CopyType {
 public:
  CopyType(Oid oid) : oid_(oid) {}                        // NOLINT: implicit
  CopyType(std::string_view name) : name_(name) {}        // NOLINT: implicit
  CopyType(const char* name) : name_(name) {}             // NOLINT: implicit
  CopyType(std::string name) : name_(std::move(name)) {}  // NOLINT: implicit
  // The oid, looking a name up in `types` (ProgrammingError if it is unknown).
  Oid resolve(const TypesRegistry& types) const;

 private:
  Oid oid_ = 0;
  std::string name_;
};

class Copy {
  template <class... Ts>
  class Rows;

 public:
  Copy(const Copy&) = delete;
  Copy& operator=(const Copy&) = delete;
  // Ends the COPY: finish() normally; with an error when an exception is unwinding the
  // scope (then nothing is thrown from here).
  ~Copy() noexcept(false);

  // The format the server announced (PQbinaryTuples of the COPY result).
  bool binary() const { return binary_; }
  // COPY FROM (true) or TO (false).
  bool is_copy_in() const { return copy_in_; }

  // The types of the columns, for binary dumping and for loading (psycopg's
  // set_types): one per column, as oids or names.
  void set_types(std::initializer_list<CopyType> types) {
    set_types(std::span<const CopyType>(types.begin(), types.size()));
  }
  void set_types(std::span<const CopyType> types);

  // ---- COPY FROM
  // Raw data in the COPY's format (concatenated blocks need not align with rows).
  void write(std::string_view data);
  // One row: any adaptable values, std::optional / std::nullopt for NULL.
  template <class... Ts>
  void write_row(const Ts&... values);
  // One row of run-time values.
  void write_row(std::span<const Value> values);
  void write_row(const std::vector<Value>& values) { write_row(std::span<const Value>(values)); }

  // ---- COPY TO
  // The next block of data as the server sent it (in practice one row), valid until the
  // next call; empty at the end.
  std::string_view read();
  // The next row as Values (see the header comment for their types); nullopt at the end.
  std::optional<std::vector<Value>> read_row();
  // The next row as std::tuple<Ts...>; nullopt at the end.
  template <class T, class... Ts>
  std::optional<std::tuple<T, Ts...>> read_row();
  // The remaining rows as std::tuple<Ts...> (an input range).
  template <class... Ts>
  Rows<Ts...> rows() {
    return Rows<Ts...>(this);
  }

  // Ends the COPY and reads the server's verdict, raising its error. COPY FROM: sends
  // what is buffered (and the binary trailer). COPY TO: reads any data left. Idempotent.
  void finish();
  // Ends the COPY with an error: COPY FROM sends `message` to the server, which fails
  // the command (nothing is loaded); COPY TO is cancelled. Raises nothing (a connection
  // lost meanwhile shows in broken()). Idempotent; a no-op after finish().
  void abort(const std::string& message);
  bool finished() const { return finished_; }

 private:
  friend class Cursor;
  Copy(Cursor& cursor, std::string statement);

  // Rows accumulate up to this size before a PQputCopyData.
  static constexpr size_t kBlockSize = 64 * 1024;

  void check_writing() {
    if (finished_ || !copy_in_) [[unlikely]]
      throw_not_writable();
  }
  [[noreturn]] void throw_not_writable() const;
  void check_reading();
  // Starts a row (and the binary header); returns where the row begins in buffer_.
  size_t start_row(size_t fields) {
    if (!types_.empty() && fields != types_.size()) [[unlikely]]
      throw_row_size(fields);
    user_dumpers_ = adapters_->has_user_dumpers();
    return binary_ ? start_binary_row(fields) : buffer_.size();
  }
  size_t start_binary_row(size_t fields);
  void end_row() {
    if (!binary_) buffer_.push_back('\n');
    if (buffer_.size() >= kBlockSize) [[unlikely]]
      flush();
  }
  void flush();
  template <class T>
  void write_field(const T& value, size_t i);
  template <class T>
  bool dump_binary(const T& value, size_t i);  // true: NULL
  bool dump_binary_value(const Value& value, size_t i);
  // The typed dumper of column i, for a value of `type` (when set_types was called).
  const Dumper* column_dumper(size_t i) const {
    return i < dumpers_.size() ? dumpers_[i].get() : nullptr;
  }
  [[noreturn]] void throw_dumper_type(size_t i, const std::type_info& type) const;
  // ProgrammingError: a row of `fields` values when set_types() named another count.
  [[noreturn]] void throw_row_size(size_t fields) const;
  // Reads the next row's fields into fields_; false at the end.
  bool next_row();
  // A description of fields_ with `oids` (0: the format's default).
  const RowDescription& describe(std::span<const Oid> oids);
  // Records the final result in the cursor, raising its error.
  void conclude(PGresultPtr result, bool raise);

  Cursor* cursor_;
  std::shared_ptr<BaseConnection> conn_;
  std::unique_lock<ConnectionLock> lock_;
  const AdaptersMap* adapters_;
  int uncaught_ = std::uncaught_exceptions();
  bool binary_ = false;
  bool copy_in_ = false;
  bool finished_ = false;
  // COPY FROM
  std::string buffer_;
  std::string scratch_;
  bool user_dumpers_ = false;  // adapters_->has_user_dumpers(), read once per row
  bool header_sent_ = false;   // binary: written by the first row
  bool wrote_raw_ = false;     // write() was used: the user frames binary data
  std::vector<Oid> types_;
  std::vector<std::shared_ptr<const Dumper>> dumpers_;
  // COPY TO
  copy_protocol::Chunk chunk_;
  size_t chunk_pos_ = 0;
  bool header_seen_ = false;
  bool trailer_seen_ = false;
  bool data_ended_ = false;
  std::vector<FieldData> fields_;
  std::string unescaped_;
  std::optional<RowDescription> description_;
  std::vector<Oid> described_oids_;
  std::vector<Oid> wanted_oids_;
};

// An input range of typed rows, `for (auto [a, b] : copy.rows<int, std::string>())`.
template <class... Ts>
class Copy::Rows {
 public:
  explicit Rows(Copy* copy) : copy_(copy) {}
  class iterator {
   public:
    using value_type = std::tuple<Ts...>;
    using difference_type = std::ptrdiff_t;
    explicit iterator(Rows* rows) : rows_(rows) { rows_->advance(); }
    value_type& operator*() const { return *rows_->current_; }
    iterator& operator++() {
      rows_->advance();
      return *this;
    }
    void operator++(int) { ++*this; }
    bool operator==(std::default_sentinel_t) const { return !rows_->current_; }

   private:
    Rows* rows_;
  };
  iterator begin() { return iterator(this); }
  std::default_sentinel_t end() { return {}; }

 private:
  void advance() { current_ = copy_->read_row<Ts...>(); }
  Copy* copy_;
  std::optional<std::tuple<Ts...>> current_;
};

// ---- template definitions -------------------------------------------------------------

namespace copy_internal {

// The C++ type a COPY field is dumped as (string literals as const char*).
template <class T>
decltype(auto) as_field(const T& v) {
  if constexpr (std::is_array_v<T>) {
    return static_cast<const std::remove_extent_t<T>*>(v);
  } else {
    return (v);
  }
}

// The oid a typed read assumes for a column of C++ type T without set_types.
template <class T>
Oid default_oid(Format format) {
  using Inner = typename adapt_internal::NullableInner<T>::type;
  if constexpr (std::is_same_v<Inner, Value>) {
    return 0;
  } else if constexpr (StaticDumpable<Inner>) {
    return Codec<Inner>::oid(format);
  } else {
    return 0;
  }
}

}  // namespace copy_internal

template <class... Ts>
void Copy::write_row(const Ts&... values) {
  check_writing();
  const size_t row_start = start_row(sizeof...(Ts));
  try {
    size_t i = 0;
    (write_field(copy_internal::as_field(values), i++), ...);
  } catch (...) {
    buffer_.resize(row_start);  // no partial row is ever sent
    throw;
  }
  end_row();
}

template <class T>
void Copy::write_field(const T& value, size_t i) {
  if (binary_) {
    const size_t at = buffer_.size();
    buffer_.append(4, '\0');
    if (dump_binary(value, i)) {
      copy_internal::store_be<int32_t>(buffer_.data() + at, -1);
    } else {
      const size_t size = buffer_.size() - at - 4;
      if (size > static_cast<size_t>(INT32_MAX)) {
        throw DataError("COPY field " + std::to_string(i) + " is too large (" +
                        std::to_string(size) + " bytes)");
      }
      copy_internal::store_be<int32_t>(buffer_.data() + at, static_cast<int32_t>(size));
    }
    return;
  }
  if (i > 0) buffer_.push_back('\t');
  const size_t start = buffer_.size();
  if constexpr (StaticDumpable<T> && !std::is_same_v<T, const char*>) {  // (may be null)
    if (!user_dumpers_) [[likely]] {
      Codec<T>::dump(value, Format::kText, buffer_);
      // Numbers never hold a character that needs escaping.
      if constexpr (!std::is_arithmetic_v<T>) {
        copy_internal::escape_text_tail(buffer_, start, scratch_);
      }
      return;
    }
  }
  if (dump_param(value, ParamFormat::kText, *adapters_, buffer_).is_null) {
    buffer_.resize(start);
    buffer_.append("\\N");
  } else {
    copy_internal::escape_text_tail(buffer_, start, scratch_);
  }
}

template <class T>
bool Copy::dump_binary(const T& value, size_t i) {
  if constexpr (std::is_same_v<T, Value>) {
    return dump_binary_value(value, i);
  } else if constexpr (std::is_same_v<T, std::nullopt_t> || std::is_same_v<T, std::nullptr_t>) {
    return true;
  } else if constexpr (std::is_same_v<T, const char*>) {
    if (value == nullptr) return true;
    return dump_binary(std::string_view(value), i);
  } else if constexpr (kIsNullable<T>) {
    if (NullableTraits<T>::is_null(value)) return true;
    return dump_binary(NullableTraits<T>::inner(value), i);
  } else {
    const Dumper* d = column_dumper(i);
    if (d == nullptr) return dump_param(value, ParamFormat::kBinary, *adapters_, buffer_).is_null;
    if constexpr (StaticDumpable<T>) {
      // The fast path: the value's own codec writes the column's type.
      if (types_[i] == Codec<T>::oid(Format::kBinary) && !user_dumpers_) {
        Codec<T>::dump(value, Format::kBinary, buffer_);
        return false;
      }
    }
    if (d->type() == typeid(T)) return !d->dump_erased(&value, buffer_);
    if (d->type() == typeid(Value)) {
      const Value v = Value::from(value);
      return !d->dump_erased(&v, buffer_);
    }
    throw_dumper_type(i, typeid(T));
  }
}

template <class T, class... Ts>
std::optional<std::tuple<T, Ts...>> Copy::read_row() {
  check_reading();
  if (!next_row()) return std::nullopt;
  constexpr size_t n = 1 + sizeof...(Ts);
  const Format format = binary_ ? Format::kBinary : Format::kText;
  const Oid defaults[n] = {copy_internal::default_oid<T>(format),
                           copy_internal::default_oid<Ts>(format)...};
  const RowDescription& desc = describe(std::span<const Oid>(defaults, n));
  return Row(desc, fields_).as<T, Ts...>();
}

// ---- Cursor::copy -------------------------------------------------------------------

namespace copy_internal {
// The statement with `params` merged as SQL literals (psycopg: COPY takes no bind
// parameters, so they are merged client-side).
std::string merge_params(std::string_view statement, std::span<const std::string> literals);
// "error from C++: <type> - <what>" for the exception being handled.
std::string error_message(std::exception_ptr error);
}  // namespace copy_internal

template <class... Params>
Copy Cursor::copy(std::string_view statement, const Params&... params) & {
  check_open();
  if constexpr (sizeof...(Params) == 0) {
    return Copy(*this, std::string(statement));
  } else {
    const std::string literals[] = {as_literal(params, adapters_)...};
    return Copy(*this, copy_internal::merge_params(statement, literals));
  }
}

template <class... Params>
Copy Cursor::copy(const sql::Composable& statement, const Params&... params) & {
  return copy(std::string_view(statement.as_string()), params...);
}

template <class Fn>
requires std::invocable<Fn&, Copy&>
void Cursor::copy(std::string_view statement, Fn&& fn) {
  Copy copy(*this, (check_open(), std::string(statement)));
  try {
    fn(copy);
  } catch (...) {
    copy.abort(copy_internal::error_message(std::current_exception()));
    throw;
  }
  copy.finish();
}

template <class Fn>
requires std::invocable<Fn&, Copy&>
void Cursor::copy(const sql::Composable& statement, Fn&& fn) {
  copy(std::string_view(statement.as_string()), std::forward<Fn>(fn));
}

}  // namespace pgcpp

#endif  // PGCPP_CORE_COPY_H_
