#include "pgcpp/core/errors.h"

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"

namespace pgcpp {
namespace core_internal {

std::shared_ptr<const Diagnostic> with_sqlstate(std::shared_ptr<const Diagnostic> diag,
                                                std::string_view sqlstate) {
  if (diag && diag->sqlstate) return diag;
  auto copy = diag ? std::make_shared<Diagnostic>(*diag) : std::make_shared<Diagnostic>();
  copy->sqlstate = std::string(sqlstate);
  return copy;
}

}  // namespace core_internal

namespace errors {
namespace {

template <class E>
std::exception_ptr make_error(const std::string& message, std::shared_ptr<const Diagnostic> diag) {
  return std::make_exception_ptr(E(message, std::move(diag)));
}

constexpr ErrorClass kErrorClasses[] = {
#define PGCPP_ERRCODE(ClassName, BaseClass, code, condition) \
  {#ClassName, code, condition, &make_error<ClassName>},
#include "pgcpp/core/errcodes.inc"
};

constexpr ErrorClass kDatabaseError{"DatabaseError", "", "", &make_error<DatabaseError>};
constexpr ErrorClass kDataError{"DataError", "", "", &make_error<DataError>};
constexpr ErrorClass kOperationalError{"OperationalError", "", "", &make_error<OperationalError>};
constexpr ErrorClass kIntegrityError{"IntegrityError", "", "", &make_error<IntegrityError>};
constexpr ErrorClass kInternalError{"InternalError", "", "", &make_error<InternalError>};
constexpr ErrorClass kProgrammingError{"ProgrammingError", "", "", &make_error<ProgrammingError>};
constexpr ErrorClass kNotSupportedError{"NotSupportedError", "", "",
                                        &make_error<NotSupportedError>};

// Codes and condition names, upper case. A name listed twice keeps its later code (psycopg).
const absl::flat_hash_map<std::string_view, const ErrorClass*>& registry() {
  static const auto* const map = [] {
    auto* m = new absl::flat_hash_map<std::string_view, const ErrorClass*>();
    for (const ErrorClass& cls : kErrorClasses) {
      (*m)[cls.sqlstate] = &cls;
      (*m)[cls.name] = &cls;
    }
    return m;
  }();
  return *map;
}

const ErrorClass* find(std::string_view code_or_name) {
  std::string key(code_or_name);
  absl::AsciiStrToUpper(&key);
  const auto& map = registry();
  auto it = map.find(std::string_view(key));
  return it == map.end() ? nullptr : it->second;
}

// What libpq returns for a field the result does not carry.
std::optional<std::string> optional_field(const char* value) {
  return value ? std::optional<std::string>(value) : std::nullopt;
}

// Severity words of the messages libpq builds itself (no PG_DIAG_SEVERITY to go by).
constexpr std::string_view kSeverities[] = {"ERROR",  "FATAL", "PANIC", "WARNING",
                                            "NOTICE", "DEBUG", "INFO",  "LOG"};

bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// `message` without "<severity>:<whitespace>" at its start, if it has one.
bool strip_prefix(std::string_view& message, std::string_view severity) {
  if (severity.empty() || message.size() <= severity.size() + 1) return false;
  if (message.substr(0, severity.size()) != severity || message[severity.size()] != ':' ||
      !is_space(message[severity.size() + 1])) {
    return false;
  }
  message.remove_prefix(severity.size() + 1);
  return true;
}

}  // namespace

void ErrorClass::raise(const std::string& message, std::shared_ptr<const Diagnostic> diag) const {
  std::rethrow_exception(make(message, std::move(diag)));
}

const ErrorClass& lookup(std::string_view code_or_name) {
  if (const ErrorClass* cls = find(code_or_name)) return *cls;
  throw std::out_of_range("unknown SQLSTATE or condition name: '" + std::string(code_or_name) +
                          "'");
}

const ErrorClass& get_base_exception(std::string_view sqlstate) {
  const std::string_view p2 = sqlstate.substr(0, 2);
  const char p1 = sqlstate.empty() ? '\0' : sqlstate[0];
  auto any_of = [&](std::initializer_list<std::string_view> prefixes) {
    for (std::string_view p : prefixes) {
      if (p2 == p) return true;
    }
    return false;
  };
  if (any_of({"08", "27", "28", "2F", "38", "39", "3B", "40", "53", "54", "55", "57", "58"})) {
    return kOperationalError;
  }
  if (p2 == "0A") return kNotSupportedError;
  if (any_of({"20", "21", "26", "34", "3D", "3F", "42", "44"})) return kProgrammingError;
  if (p2 == "22") return kDataError;
  if (p2 == "23") return kIntegrityError;
  if (any_of({"24", "25", "2B", "2D"})) return kInternalError;
  if (p1 == 'F' || p1 == 'H') return kOperationalError;
  if (p1 == 'P') return kProgrammingError;
  if (p1 == 'X') return kInternalError;
  return kDatabaseError;
}

const ErrorClass& class_for_sqlstate(std::string_view sqlstate) {
  // Only codes here: a condition name coming from a server would be a protocol violation.
  if (sqlstate.size() == 5) {
    if (const ErrorClass* cls = find(sqlstate); cls && cls->sqlstate == sqlstate) return *cls;
  }
  return get_base_exception(sqlstate);
}

std::span<const ErrorClass> error_classes() { return kErrorClasses; }

Diagnostic diagnostic_from_fields(absl::FunctionRef<const char*(int fieldcode)> field) {
  Diagnostic d;
  d.severity = optional_field(field(PG_DIAG_SEVERITY));
  d.severity_nonlocalized = optional_field(field(PG_DIAG_SEVERITY_NONLOCALIZED));
  d.sqlstate = optional_field(field(PG_DIAG_SQLSTATE));
  d.message_primary = optional_field(field(PG_DIAG_MESSAGE_PRIMARY));
  d.message_detail = optional_field(field(PG_DIAG_MESSAGE_DETAIL));
  d.message_hint = optional_field(field(PG_DIAG_MESSAGE_HINT));
  d.statement_position = optional_field(field(PG_DIAG_STATEMENT_POSITION));
  d.internal_position = optional_field(field(PG_DIAG_INTERNAL_POSITION));
  d.internal_query = optional_field(field(PG_DIAG_INTERNAL_QUERY));
  d.context = optional_field(field(PG_DIAG_CONTEXT));
  d.schema_name = optional_field(field(PG_DIAG_SCHEMA_NAME));
  d.table_name = optional_field(field(PG_DIAG_TABLE_NAME));
  d.column_name = optional_field(field(PG_DIAG_COLUMN_NAME));
  d.datatype_name = optional_field(field(PG_DIAG_DATATYPE_NAME));
  d.constraint_name = optional_field(field(PG_DIAG_CONSTRAINT_NAME));
  d.source_file = optional_field(field(PG_DIAG_SOURCE_FILE));
  d.source_line = optional_field(field(PG_DIAG_SOURCE_LINE));
  d.source_function = optional_field(field(PG_DIAG_SOURCE_FUNCTION));
  return d;
}

Diagnostic diagnostic_from_result(const PGresult* result) {
  if (!result) return Diagnostic();
  return diagnostic_from_fields(
      [result](int fieldcode) { return PQresultErrorField(result, fieldcode); });
}

std::string clean_error_message(std::string_view message, std::string_view severity) {
  if (!strip_prefix(message, severity)) {
    for (std::string_view s : kSeverities) {
      if (strip_prefix(message, s)) break;
    }
  }
  while (!message.empty() && is_space(message.front())) message.remove_prefix(1);
  while (!message.empty() && is_space(message.back())) message.remove_suffix(1);
  if (message.empty()) return "no error details available";
  return std::string(message);
}

std::exception_ptr error_from_result(const PGresult* result, const PGconn* conn) {
  if (!result) {
    std::string message = clean_error_message(conn ? PQerrorMessage(conn) : "");
    return std::make_exception_ptr(OperationalError(message));
  }
  auto diag = std::make_shared<Diagnostic>(diagnostic_from_result(result));
  std::string message =
      clean_error_message(PQresultErrorMessage(result), diag->severity.value_or(std::string()));
  const ErrorClass* cls = &class_for_sqlstate(diag->sqlstate.value_or(std::string()));
  if (!diag->sqlstate && conn && PQstatus(conn) == CONNECTION_BAD) cls = &kOperationalError;
  return cls->make(message, std::move(diag));
}

void raise_from_result(const PGresult* result, const PGconn* conn) {
  std::rethrow_exception(error_from_result(result, conn));
}

}  // namespace errors
}  // namespace pgcpp
