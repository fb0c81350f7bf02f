#include "pgcpp/core/errors.h"

#include <libpq-fe.h>

#include <cctype>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include "gtest/gtest.h"
#include "pgcpp/core/error_testing.h"

namespace pgcpp {
namespace {

using errors::ErrorClass;

std::string to_lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

// Raises `cls` and checks that exactly `Exact` (and so `Base`) catches it.
template <class Exact, class Base>
void expect_raises_as(const ErrorClass& cls, std::string_view code) {
  static_assert(std::is_base_of_v<Base, Exact>);
  SCOPED_TRACE(std::string(code));
  try {
    cls.raise("boom");
    FAIL() << "raise() returned";
  } catch (const Exact& e) {
    EXPECT_STREQ(e.what(), "boom");
    EXPECT_EQ(e.sqlstate(), code);
    // Caught again as the base class, as a user would.
    try {
      throw;
    } catch (const Base& b) {
      EXPECT_EQ(b.sqlstate(), code);
    }
  }
}

TEST(ErrorsTest, EveryGeneratedClassIsReachableByCodeAndNameAndCaughtByItsBase) {
  int count = 0;
#define PGCPP_ERRCODE(ClassName, BaseClass, code, condition)                      \
  {                                                                               \
    ++count;                                                                      \
    const ErrorClass& by_code = errors::lookup(code);                             \
    EXPECT_EQ(by_code.class_name, #ClassName);                                    \
    EXPECT_EQ(by_code.sqlstate, code);                                            \
    EXPECT_EQ(by_code.name, condition);                                           \
    EXPECT_EQ(errors::ClassName::kSqlstate, code);                                \
    EXPECT_EQ(errors::ClassName::kName, condition);                               \
    /* Names are case-insensitive; a shared name resolves to one of its codes. */ \
    EXPECT_EQ(errors::lookup(to_lower(condition)).name, condition);               \
    EXPECT_EQ(errors::lookup(to_lower(code)).sqlstate, code);                     \
    EXPECT_EQ(&errors::class_for_sqlstate(code), &by_code);                       \
    expect_raises_as<errors::ClassName, BaseClass>(by_code, code);                \
  }
#include "pgcpp/core/errcodes.inc"
  EXPECT_EQ(count, static_cast<int>(errors::error_classes().size()));
  EXPECT_GE(count, 250);  // PostgreSQL 15 has 251 codes outside classes 00 and 01
}

TEST(ErrorsTest, PsycopgExamplesHaveTheirNamesAndBases) {
  EXPECT_TRUE((std::is_base_of_v<OperationalError, errors::QueryCanceled>));
  EXPECT_TRUE((std::is_base_of_v<OperationalError, errors::AdminShutdown>));
  EXPECT_TRUE((std::is_base_of_v<OperationalError, errors::SerializationFailure>));
  EXPECT_TRUE((std::is_base_of_v<OperationalError, errors::DeadlockDetected>));
  EXPECT_TRUE((std::is_base_of_v<IntegrityError, errors::UniqueViolation>));
  EXPECT_TRUE((std::is_base_of_v<IntegrityError, errors::ForeignKeyViolation>));
  EXPECT_TRUE((std::is_base_of_v<IntegrityError, errors::NotNullViolation>));
  EXPECT_TRUE((std::is_base_of_v<IntegrityError, errors::CheckViolation>));
  EXPECT_TRUE((std::is_base_of_v<InternalError, errors::InFailedSqlTransaction>));
  EXPECT_TRUE((std::is_base_of_v<InternalError, errors::InternalError_>));
  EXPECT_TRUE((std::is_base_of_v<ProgrammingError, errors::SyntaxError>));
  EXPECT_TRUE((std::is_base_of_v<ProgrammingError, errors::UndefinedTable>));
  EXPECT_TRUE((std::is_base_of_v<ProgrammingError, errors::UndefinedObject>));
  EXPECT_TRUE((std::is_base_of_v<DataError, errors::DivisionByZero>));
  EXPECT_TRUE((std::is_base_of_v<DataError, errors::InvalidTextRepresentation>));
  EXPECT_TRUE((std::is_base_of_v<NotSupportedError, errors::FeatureNotSupported>));
  EXPECT_TRUE((std::is_base_of_v<DatabaseError, errors::NoData>));
  EXPECT_EQ(errors::lookup("57014").class_name, "QueryCanceled");
  EXPECT_EQ(errors::lookup("QUERY_CANCELED").sqlstate, "57014");
  EXPECT_EQ(errors::lookup("22012").class_name, "DivisionByZero");
  EXPECT_EQ(errors::lookup("42601").class_name, "SyntaxError");
  EXPECT_EQ(errors::lookup("40001").class_name, "SerializationFailure");
  EXPECT_EQ(errors::lookup("XX000").class_name, "InternalError_");
  EXPECT_EQ(errors::lookup("38002").class_name, "ModifyingSqlDataNotPermittedExt");
  EXPECT_EQ(errors::lookup("2F002").class_name, "ModifyingSqlDataNotPermitted");
}

TEST(ErrorsTest, SharedConditionNamesResolveToTheLaterCodeAsInPsycopg) {
  EXPECT_EQ(errors::lookup("MODIFYING_SQL_DATA_NOT_PERMITTED").sqlstate, "38002");
  EXPECT_EQ(errors::lookup("PROHIBITED_SQL_STATEMENT_ATTEMPTED").sqlstate, "38003");
  EXPECT_EQ(errors::lookup("READING_SQL_DATA_NOT_PERMITTED").sqlstate, "38004");
  EXPECT_EQ(errors::lookup("NULL_VALUE_NOT_ALLOWED").sqlstate, "39004");
}

TEST(ErrorsTest, LookupOfAnUnknownCodeThrowsOutOfRangeNamingIt) {
  EXPECT_EQ(core_testing::what_of<std::out_of_range>([] { errors::lookup("NO_SUCH_THING"); }),
            "unknown SQLSTATE or condition name: 'NO_SUCH_THING'");
  EXPECT_THROW(errors::lookup("99999"), std::out_of_range);
  EXPECT_THROW(errors::lookup(""), std::out_of_range);
  // Warnings and success are not exception classes.
  EXPECT_THROW(errors::lookup("01000"), std::out_of_range);
  EXPECT_THROW(errors::lookup("00000"), std::out_of_range);
}

// The class an unknown code of each SQLSTATE class falls back to (SEMANTICS.md section 9).
TEST(ErrorsTest, UnknownCodesFallBackByClassPrefix) {
  const std::map<std::string, std::string> expected = {
      {"08ZZZ", "OperationalError"}, {"0AZZZ", "NotSupportedError"}, {"10ZZZ", "DatabaseError"},
      {"20ZZZ", "ProgrammingError"}, {"21ZZZ", "ProgrammingError"},  {"22ZZZ", "DataError"},
      {"23ZZZ", "IntegrityError"},   {"24ZZZ", "InternalError"},     {"25ZZZ", "InternalError"},
      {"26ZZZ", "ProgrammingError"}, {"27ZZZ", "OperationalError"},  {"28ZZZ", "OperationalError"},
      {"2BZZZ", "InternalError"},    {"2DZZZ", "InternalError"},     {"2FZZZ", "OperationalError"},
      {"34ZZZ", "ProgrammingError"}, {"38ZZZ", "OperationalError"},  {"39ZZZ", "OperationalError"},
      {"3BZZZ", "OperationalError"}, {"3DZZZ", "ProgrammingError"},  {"3FZZZ", "ProgrammingError"},
      {"40ZZZ", "OperationalError"}, {"42ZZZ", "ProgrammingError"},  {"44ZZZ", "ProgrammingError"},
      {"53ZZZ", "OperationalError"}, {"54ZZZ", "OperationalError"},  {"55ZZZ", "OperationalError"},
      {"57ZZZ", "OperationalError"}, {"58ZZZ", "OperationalError"},  {"F0ZZZ", "OperationalError"},
      {"HVZZZ", "OperationalError"}, {"P0ZZZ", "ProgrammingError"},  {"XXZZZ", "InternalError"},
      {"72ZZZ", "DatabaseError"},    {"ZZZZZ", "DatabaseError"},     {"", "DatabaseError"},
  };
  for (const auto& [code, base] : expected) {
    SCOPED_TRACE(code);
    EXPECT_EQ(errors::get_base_exception(code).class_name, base);
    const ErrorClass& cls = errors::class_for_sqlstate(code);
    EXPECT_EQ(cls.class_name, base);
    EXPECT_EQ(cls.sqlstate, "");
  }
  // The thrown type is the base class itself, and sqlstate() still reports the server's code.
  auto diag = std::make_shared<Diagnostic>();
  diag->sqlstate = "23ZZZ";
  try {
    errors::class_for_sqlstate("23ZZZ").raise("new kind of violation", diag);
    FAIL();
  } catch (const errors::UniqueViolation&) {
    FAIL() << "a fallback must not be a per-SQLSTATE class";
  } catch (const IntegrityError& e) {
    EXPECT_EQ(e.sqlstate(), "23ZZZ");
  }
}

TEST(ErrorsTest, HandBuiltExceptionReportsItsSqlstateAndKeepsTheDiagnostic) {
  errors::UniqueViolation plain("dup");
  EXPECT_EQ(plain.sqlstate(), "23505");
  EXPECT_FALSE(plain.diag().message_primary.has_value());

  auto diag = std::make_shared<Diagnostic>();
  diag->message_primary = "duplicate key";
  errors::UniqueViolation with_diag("dup", diag);
  EXPECT_EQ(with_diag.sqlstate(), "23505");
  EXPECT_EQ(with_diag.diag().message_primary, "duplicate key");
  EXPECT_FALSE(diag->sqlstate.has_value()) << "the caller's Diagnostic must not be modified";
}

TEST(ErrorsTest, PsycopgOwnClassesHaveTheirBases) {
  EXPECT_TRUE((std::is_base_of_v<OperationalError, ConnectionTimeout>));
  EXPECT_TRUE((std::is_base_of_v<OperationalError, CancellationTimeout>));
  EXPECT_TRUE((std::is_base_of_v<OperationalError, PipelineAborted>));
  EXPECT_TRUE((std::is_base_of_v<ProgrammingError, OutOfOrderTransactionNesting>));
  EXPECT_FALSE((std::is_base_of_v<Error, Warning>));
  EXPECT_TRUE((std::is_base_of_v<std::exception, Warning>));
  EXPECT_TRUE((std::is_same_v<errors::IntegrityError, IntegrityError>));
}

TEST(ErrorsTest, DiagnosticFromFieldsReadsEveryField) {
  // Each field code maps to its own letter so that a field read into the wrong member shows.
  auto getter = [](int code) -> const char* {
    static std::map<int, std::string> values;
    auto [it, inserted] = values.emplace(code, std::string("v_") + static_cast<char>(code));
    return it->second.c_str();
  };
  Diagnostic d = errors::diagnostic_from_fields(getter);
  EXPECT_EQ(d.severity, "v_S");
  EXPECT_EQ(d.severity_nonlocalized, "v_V");
  EXPECT_EQ(d.sqlstate, "v_C");
  EXPECT_EQ(d.message_primary, "v_M");
  EXPECT_EQ(d.message_detail, "v_D");
  EXPECT_EQ(d.message_hint, "v_H");
  EXPECT_EQ(d.statement_position, "v_P");
  EXPECT_EQ(d.internal_position, "v_p");
  EXPECT_EQ(d.internal_query, "v_q");
  EXPECT_EQ(d.context, "v_W");
  EXPECT_EQ(d.schema_name, "v_s");
  EXPECT_EQ(d.table_name, "v_t");
  EXPECT_EQ(d.column_name, "v_c");
  EXPECT_EQ(d.datatype_name, "v_d");
  EXPECT_EQ(d.constraint_name, "v_n");
  EXPECT_EQ(d.source_file, "v_F");
  EXPECT_EQ(d.source_line, "v_L");
  EXPECT_EQ(d.source_function, "v_R");

  Diagnostic empty = errors::diagnostic_from_fields([](int) -> const char* { return nullptr; });
  EXPECT_FALSE(empty.severity.has_value());
  EXPECT_FALSE(empty.sqlstate.has_value());
  EXPECT_FALSE(empty.source_function.has_value());

  // An empty value is a value, not an absent field.
  Diagnostic blank = errors::diagnostic_from_fields([](int) -> const char* { return ""; });
  EXPECT_EQ(blank.message_hint, "");
}

TEST(ErrorsTest, CleanErrorMessageStripsTheSeverityLikePsycopg) {
  EXPECT_EQ(errors::clean_error_message("ERROR:  division by zero\n"), "division by zero");
  EXPECT_EQ(errors::clean_error_message("FATAL:  password authentication failed\n"),
            "password authentication failed");
  EXPECT_EQ(errors::clean_error_message(
                "ERROR:  duplicate key value\nDETAIL:  Key (id)=(1) already exists.\n"),
            "duplicate key value\nDETAIL:  Key (id)=(1) already exists.");
  // A localized severity is stripped when the result says which one it is.
  EXPECT_EQ(errors::clean_error_message("FEHLER:  Division durch Null\n", "FEHLER"),
            "Division durch Null");
  EXPECT_EQ(errors::clean_error_message("FEHLER:  Division durch Null\n"),
            "FEHLER:  Division durch Null");
  // Only a "<severity>:<space>" prefix goes.
  EXPECT_EQ(errors::clean_error_message("ERROR:x"), "ERROR:x");
  EXPECT_EQ(errors::clean_error_message("could not connect\n"), "could not connect");
  EXPECT_EQ(errors::clean_error_message(""), "no error details available");
  EXPECT_EQ(errors::clean_error_message(" \n"), "no error details available");
}

TEST(ErrorsTest, EmptyFatalResultRaisesDatabaseError) {
  std::unique_ptr<PGresult, decltype(&PQclear)> res(PQmakeEmptyPGresult(nullptr, PGRES_FATAL_ERROR),
                                                    &PQclear);
  ASSERT_NE(res, nullptr);
  try {
    errors::raise_from_result(res.get());
    FAIL();
  } catch (const OperationalError&) {
    FAIL() << "without a broken connection there is no reason for OperationalError";
  } catch (const DatabaseError& e) {
    EXPECT_STREQ(e.what(), "no error details available");
    EXPECT_EQ(e.sqlstate(), "");
    EXPECT_FALSE(e.diag().severity.has_value());
  }
}

// A real libpq error without a server: connecting to a Unix socket that cannot exist fails
// inside PQconnectStart, and libpq copies the connection's message into an error result.
TEST(ErrorsTest, LibpqErrorOnBrokenConnectionRaisesOperationalError) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(
      PQconnectStart("host=/nonexistent/pgcpp-errors-test port=1 connect_timeout=2"), &PQfinish);
  ASSERT_NE(conn, nullptr);
  // Drive the attempt to its end; every step fails at once (no such socket file).
  for (int i = 0; i < 10 && PQstatus(conn.get()) != CONNECTION_BAD; ++i) {
    PQconnectPoll(conn.get());
  }
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_BAD);
  std::unique_ptr<PGresult, decltype(&PQclear)> res(
      PQmakeEmptyPGresult(conn.get(), PGRES_FATAL_ERROR), &PQclear);
  try {
    errors::raise_from_result(res.get(), conn.get());
    FAIL();
  } catch (const OperationalError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/pgcpp-errors-test"), std::string::npos)
        << e.what();
  }
  // A null result reports the connection's own message.
  try {
    errors::raise_from_result(nullptr, conn.get());
    FAIL();
  } catch (const OperationalError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/pgcpp-errors-test"), std::string::npos)
        << e.what();
  }
}

TEST(ErrorsTest, NullResultWithoutConnectionIsOperationalError) {
  EXPECT_THROW(errors::raise_from_result(nullptr), OperationalError);
  EXPECT_FALSE(errors::diagnostic_from_result(nullptr).sqlstate.has_value());
}

TEST(ErrorsTest, ErrorFromResultReturnsTheExceptionWithoutThrowing) {
  std::unique_ptr<PGresult, decltype(&PQclear)> res(PQmakeEmptyPGresult(nullptr, PGRES_FATAL_ERROR),
                                                    &PQclear);
  std::exception_ptr e = errors::error_from_result(res.get());
  ASSERT_TRUE(e);
  EXPECT_THROW(std::rethrow_exception(e), DatabaseError);
}

}  // namespace
}  // namespace pgcpp
