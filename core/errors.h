// pgcpp's exceptions: psycopg's hierarchy, one class per SQLSTATE, and their construction from
// libpq results.
//
// The DB-API base classes (Error, InterfaceError, DatabaseError, DataError, OperationalError,
// IntegrityError, InternalError, ProgrammingError, NotSupportedError) and `Diagnostic` come from
// pgcpp/adapt/errors.h, included here. This header adds:
//
//   * psycopg's own classes: ConnectionTimeout, CancellationTimeout, PipelineAborted
//     (OperationalError), OutOfOrderTransactionNesting (ProgrammingError), and Warning;
//   * in namespace pgcpp::errors, one class per SQLSTATE of PostgreSQL's errcodes.txt with
//     psycopg's name (UniqueViolation, DivisionByZero, QueryCanceled, SyntaxError, InternalError_
//     for XX000, ...), each derived from the DB-API class its SQLSTATE class maps to;
//   * lookup by code or condition name, the fallback by SQLSTATE class for codes without a class,
//     and the conversion of an error PGresult into the right exception.
//
//   try {
//     ...
//   } catch (const pgcpp::errors::UniqueViolation& e) {   // exactly 23505
//     std::cerr << e.diag().constraint_name.value_or("?") << "\n";
//   } catch (const pgcpp::IntegrityError& e) {            // any other class 23 error
//     std::cerr << e.sqlstate() << ": " << e.what() << "\n";
//   }
//
//   pgcpp::errors::lookup("23505").raise("duplicate");     // throws errors::UniqueViolation
//   pgcpp::errors::raise_from_result(res);                 // res: a PGRES_FATAL_ERROR result
//
// The per-SQLSTATE classes are generated: core/gen_errcodes.sh writes core/errcodes.inc.
// Codes newer than that file (a newer server) still get the right base class by prefix.
#ifndef PGCPP_CORE_ERRORS_H_
#define PGCPP_CORE_ERRORS_H_

#include <libpq-fe.h>

#include <exception>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "pgcpp/adapt/errors.h"

namespace pgcpp {

// DB-API's Warning. Like psycopg, pgcpp never raises it (notices go to notice handlers); it is
// not an Error.
class Warning : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A connection attempt did not complete within its connect_timeout.
class ConnectionTimeout : public OperationalError {
 public:
  using OperationalError::OperationalError;
};

// A cancel request did not complete within its timeout.
class CancellationTimeout : public OperationalError {
 public:
  using OperationalError::OperationalError;
};

// An operation failed because an earlier one in the same pipeline failed.
class PipelineAborted : public OperationalError {
 public:
  using OperationalError::OperationalError;
};

// Transaction blocks were left in an order other than the reverse of their entry.
class OutOfOrderTransactionNesting : public ProgrammingError {
 public:
  using ProgrammingError::ProgrammingError;
};

namespace core_internal {
// `diag` if it carries a SQLSTATE, otherwise a copy (or a new Diagnostic) carrying `sqlstate`, so
// that a per-SQLSTATE exception built by hand still reports its code from sqlstate().
std::shared_ptr<const Diagnostic> with_sqlstate(std::shared_ptr<const Diagnostic> diag,
                                                std::string_view sqlstate);
}  // namespace core_internal

// psycopg.errors: everything error-related, the base classes included.
namespace errors {

using ::pgcpp::CancellationTimeout;
using ::pgcpp::ConnectionTimeout;
using ::pgcpp::DatabaseError;
using ::pgcpp::DataError;
using ::pgcpp::Diagnostic;
using ::pgcpp::Error;
using ::pgcpp::IntegrityError;
using ::pgcpp::InterfaceError;
using ::pgcpp::InternalError;
using ::pgcpp::NotSupportedError;
using ::pgcpp::OperationalError;
using ::pgcpp::OutOfOrderTransactionNesting;
using ::pgcpp::PipelineAborted;
using ::pgcpp::ProgrammingError;
using ::pgcpp::Warning;

// One class per SQLSTATE, e.g.
//   class UniqueViolation : public IntegrityError {
//     static constexpr std::string_view kSqlstate = "23505";
//     static constexpr std::string_view kName = "UNIQUE_VIOLATION";
//   };
// sqlstate() is kSqlstate even when the exception is built without a Diagnostic.
#define PGCPP_ERRCODE(ClassName, BaseClass, code, condition)                                  \
  class ClassName : public BaseClass {                                                        \
   public:                                                                                    \
    static constexpr std::string_view kSqlstate = code;                                       \
    static constexpr std::string_view kName = condition;                                      \
    explicit ClassName(const std::string& message,                                            \
                       std::shared_ptr<const Diagnostic> diag = nullptr)                      \
        : BaseClass(message, ::pgcpp::core_internal::with_sqlstate(std::move(diag), code)) {} \
  };
#include "pgcpp/core/errcodes.inc"

// An exception class as a value: what psycopg's `errors.lookup()` returns.
struct ErrorClass {
  std::string_view class_name;  // "UniqueViolation"; "IntegrityError" for a base class
  std::string_view sqlstate;    // "23505"; empty for a base class
  std::string_view name;        // "UNIQUE_VIOLATION"; empty for a base class
  // Builds the exception (for code that stores errors, e.g. pipelines).
  std::exception_ptr (*make)(const std::string& message, std::shared_ptr<const Diagnostic> diag);

  [[noreturn]] void raise(const std::string& message,
                          std::shared_ptr<const Diagnostic> diag = nullptr) const;
};

// The class of a SQLSTATE ("23505") or condition name ("UNIQUE_VIOLATION"), case-insensitive.
// Throws std::out_of_range (psycopg: KeyError) when there is no class for it. The four condition
// names shared by two codes resolve as in psycopg to the later code:
// MODIFYING_SQL_DATA_NOT_PERMITTED, PROHIBITED_SQL_STATEMENT_ATTEMPTED,
// READING_SQL_DATA_NOT_PERMITTED -> 3800x (the ...Ext classes), NULL_VALUE_NOT_ALLOWED -> 39004.
const ErrorClass& lookup(std::string_view code_or_name);

// The DB-API base class for a SQLSTATE by its class prefix (SEMANTICS.md section 9): "08..." ->
// OperationalError, "23..." -> IntegrityError, ..., DatabaseError for anything unknown or empty.
const ErrorClass& get_base_exception(std::string_view sqlstate);

// The class psycopg raises for a SQLSTATE: its own class, else get_base_exception().
const ErrorClass& class_for_sqlstate(std::string_view sqlstate);

// Every per-SQLSTATE class, in SQLSTATE order.
std::span<const ErrorClass> error_classes();

// Builds a Diagnostic from a getter of libpq's PG_DIAG_* fields (nullptr = absent). Values are
// kept as the bytes the server sent, in the connection's client encoding.
Diagnostic diagnostic_from_fields(absl::FunctionRef<const char*(int fieldcode)> field);

// Every PG_DIAG_* field of an error or notice result (all empty for a null result).
Diagnostic diagnostic_from_result(const PGresult* result);

// psycopg's error message for a result or connection error text: the leading severity
// ("ERROR:  ", localized or not) and surrounding whitespace removed; "no error details
// available" if nothing is left.
std::string clean_error_message(std::string_view message, std::string_view severity = {});

// The exception for a failed result: class_for_sqlstate(PG_DIAG_SQLSTATE), the cleaned
// PQresultErrorMessage as what(), every field in diag(). Without a SQLSTATE (an error libpq made
// itself) the class is OperationalError when `conn` is given and is CONNECTION_BAD, otherwise
// DatabaseError. A null result (libpq out of memory or no connection) gives an OperationalError
// with the connection's error message.
std::exception_ptr error_from_result(const PGresult* result, const PGconn* conn = nullptr);
[[noreturn]] void raise_from_result(const PGresult* result, const PGconn* conn = nullptr);

}  // namespace errors
}  // namespace pgcpp

#endif  // PGCPP_CORE_ERRORS_H_
