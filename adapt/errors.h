// The DB-API exception hierarchy shared by every pgcpp component.
//
// These are psycopg's classes with psycopg's names:
//
//   Error
//   ├── InterfaceError
//   └── DatabaseError
//       ├── DataError            (a value that cannot be converted)
//       ├── OperationalError     (connection problems, cancellation, timeouts)
//       ├── IntegrityError       (constraint violations)
//       ├── InternalError
//       ├── ProgrammingError     (wrong SQL, wrong parameters, wrong use of the API)
//       └── NotSupportedError
//
// They live in //adapt, the lowest layer, because adapt itself raises DataError and
// ProgrammingError. //core adds one subclass per SQLSTATE (pgcpp/core/errors.h) and builds
// exceptions from server results; catch these base classes to handle whole families:
//
//   try {
//     conn.execute("INSERT INTO t VALUES (%s)", 1);
//   } catch (const pgcpp::IntegrityError& e) {
//     std::cerr << e.sqlstate() << ": " << e.diag().message_primary.value_or("") << "\n";
//   }
#ifndef PGCPP_ADAPT_ERRORS_H_
#define PGCPP_ADAPT_ERRORS_H_

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace pgcpp {

// Every field PostgreSQL can attach to an error or notice (libpq's PG_DIAG_*).
// A field the server did not send is std::nullopt.
struct Diagnostic {
  std::optional<std::string> severity;
  std::optional<std::string> severity_nonlocalized;
  std::optional<std::string> sqlstate;
  std::optional<std::string> message_primary;
  std::optional<std::string> message_detail;
  std::optional<std::string> message_hint;
  std::optional<std::string> statement_position;
  std::optional<std::string> internal_position;
  std::optional<std::string> internal_query;
  std::optional<std::string> context;
  std::optional<std::string> schema_name;
  std::optional<std::string> table_name;
  std::optional<std::string> column_name;
  std::optional<std::string> datatype_name;
  std::optional<std::string> constraint_name;
  std::optional<std::string> source_file;
  std::optional<std::string> source_line;
  std::optional<std::string> source_function;
};

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, std::shared_ptr<const Diagnostic> diag = nullptr)
      : std::runtime_error(message), diag_(std::move(diag)) {}

  // The server's diagnostic fields; all empty for errors raised by pgcpp itself.
  const Diagnostic& diag() const {
    static const Diagnostic kEmpty;
    return diag_ ? *diag_ : kEmpty;
  }

  // The SQLSTATE the server sent, or "" for errors raised by pgcpp itself.
  std::string_view sqlstate() const {
    return diag_ && diag_->sqlstate ? std::string_view(*diag_->sqlstate) : std::string_view();
  }

 private:
  std::shared_ptr<const Diagnostic> diag_;
};

class InterfaceError : public Error {
 public:
  using Error::Error;
};

class DatabaseError : public Error {
 public:
  using Error::Error;
};

class DataError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

class OperationalError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

class IntegrityError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

class InternalError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

class ProgrammingError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

class NotSupportedError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

}  // namespace pgcpp

#endif  // PGCPP_ADAPT_ERRORS_H_
