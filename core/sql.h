// psycopg's `sql` module: building queries from trusted SQL, identifiers and literals.
//
//   namespace sql = pgcpp::sql;
//   auto columns = sql::SQL(", ").join({sql::Identifier("id"), sql::Identifier("a b")});
//   sql::Composed q = sql::SQL("SELECT {} FROM {} WHERE {} = {}")
//                         .format(columns, sql::Identifier("s", "t"), sql::Identifier("name"),
//                                 "O'Rourke");
//   q.as_string();  // SELECT "id", "a b" FROM "s"."t" WHERE "name" = 'O''Rourke'
//
//   auto cols = sql::SQL(",").join({sql::Identifier("x"), sql::Identifier("y")});
//   auto vals = sql::SQL(",").join({sql::Placeholder("x"), sql::Placeholder("y")});
//   sql::SQL("INSERT INTO t ({cols}) VALUES ({vals})")
//       .format(sql::arg("cols", cols), sql::arg("vals", vals));
//   // INSERT INTO t ("x","y") VALUES (%(x)s,%(y)s)
//
// Every Composable is an immutable value, cheap to copy (its content is shared). SQL text is never
// escaped: use it for constant snippets only, and Identifier / Literal / Placeholder for anything
// variable. Arguments of format() and join() that are not Composable become Literals.
//
// Quoting is done on the client exactly as psycopg does without a connection: identifiers as
// "..." with `"` doubled; strings as '...' with `'` doubled, or ` E'...'` (with a leading space)
// with backslashes doubled when there is a backslash. This assumes the text is UTF-8 and the
// server has standard_conforming_strings on or off (E'' works with both). Errors are psycopg's;
// its ValueError and TypeError become ProgrammingError, and a NUL byte (which PostgreSQL cannot
// store in text or names) is a DataError.
#ifndef PGCPP_CORE_SQL_H_
#define PGCPP_CORE_SQL_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "pgcpp/core/query.h"

namespace pgcpp::sql {

namespace sql_internal {
class Node;
struct Access;
}  // namespace sql_internal

class Composed;
class SQL;

// Anything that can be part of a query.
class Composable {
 public:
  // The SQL text (UTF-8).
  std::string as_string() const;

  // Same kind (SQL, Identifier, ...) and same content.
  friend bool operator==(const Composable& a, const Composable& b);

 protected:
  explicit Composable(std::shared_ptr<const sql_internal::Node> node) : node_(std::move(node)) {}

 private:
  friend struct sql_internal::Access;
  std::shared_ptr<const sql_internal::Node> node_;
};

// `a + b` is a Composed of both; a Composed operand contributes its items.
Composed operator+(const Composable& a, const Composable& b);
// `a * n` is a Composed of `a` repeated n times.
Composed operator*(const Composable& a, size_t n);

// The values Literal renders for now (see literal_text()).
using LiteralValue = std::variant<std::nullptr_t, bool, int64_t, uint64_t, double, std::string>;

// THE place where a value becomes SQL literal text, as psycopg's Transformer.as_literal() without
// a connection: NULL; true/false; integers (negative ones with a leading space, so that `-` never
// joins a preceding operator); doubles as Python's repr() ('NaN'::float8, 'Infinity'::float8 and
// '-Infinity'::float8 for the special values); text quoted as described at the top of this file.
// Text with a NUL byte throws DataError. When adapt provides as_literal(), Literal and this
// function switch to it, and this is the only place to change.
std::string literal_text(const LiteralValue& value);

namespace sql_internal {
template <class T>
inline constexpr bool kIsOptional = false;
template <class T>
inline constexpr bool kIsOptional<std::optional<T>> = true;
template <class T>
inline constexpr bool kUnsupported = false;

// GCC 12 with sanitizers reports the guarded read of an empty std::optional<int> below as
// possibly uninitialized (GCC bug 80635, a false positive).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
template <class T>
LiteralValue to_literal_value(T&& value) {
  using D = std::remove_cvref_t<T>;
  if constexpr (std::is_same_v<D, LiteralValue>) {
    return std::forward<T>(value);
  } else if constexpr (std::is_same_v<D, std::nullptr_t> || std::is_same_v<D, std::nullopt_t>) {
    return nullptr;
  } else if constexpr (std::is_same_v<D, bool>) {
    return value;
  } else if constexpr (std::is_same_v<D, char> || std::is_same_v<D, wchar_t> ||
                       std::is_same_v<D, char8_t> || std::is_same_v<D, char16_t> ||
                       std::is_same_v<D, char32_t>) {
    static_assert(kUnsupported<D>, "sql::Literal: pass text as a string, not a character");
  } else if constexpr (std::is_integral_v<D> && std::is_signed_v<D>) {
    return static_cast<int64_t>(value);
  } else if constexpr (std::is_integral_v<D>) {
    return static_cast<uint64_t>(value);
  } else if constexpr (std::is_same_v<D, float> || std::is_same_v<D, double>) {
    return static_cast<double>(value);
  } else if constexpr (std::is_pointer_v<D> && std::is_convertible_v<D, const char*>) {
    if (value == nullptr) return nullptr;
    return std::string(value);
  } else if constexpr (std::is_convertible_v<const D&, std::string_view>) {
    return std::string(std::string_view(value));
  } else if constexpr (kIsOptional<D>) {
    if (!value) return nullptr;
    return to_literal_value(*std::forward<T>(value));
  } else {
    static_assert(kUnsupported<D>,
                  "sql::Literal supports text, integers, float/double, bool, nullptr/nullopt and "
                  "std::optional of those (until adapt's as_literal() is available)");
  }
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
}  // namespace sql_internal

// A value rendered as an SQL literal by literal_text().
class Literal : public Composable {
 public:
  template <class T>
  requires(!std::is_base_of_v<Composable, std::remove_cvref_t<T>>) explicit Literal(T&& value)
      : Literal(Tag{}, sql_internal::to_literal_value(std::forward<T>(value))) {}

  const LiteralValue& value() const;

 private:
  struct Tag {};
  Literal(Tag, LiteralValue value);
};

namespace sql_internal {
// `value` itself if it is a Composable, else Literal(value).
template <class T>
Composable as_composable(T&& value) {
  if constexpr (std::is_base_of_v<Composable, std::remove_cvref_t<T>>) {
    return value;
  } else {
    return Literal(std::forward<T>(value));
  }
}
}  // namespace sql_internal

// A sequence of Composables, rendered one after the other.
class Composed : public Composable {
 public:
  explicit Composed(std::vector<Composable> seq);

  const std::vector<Composable>& seq() const;
  std::vector<Composable>::const_iterator begin() const { return seq().begin(); }
  std::vector<Composable>::const_iterator end() const { return seq().end(); }

  // The items with `separator` (SQL text) between them.
  Composed join(std::string_view separator) const;
  Composed join(const SQL& separator) const;
};

// A named argument of SQL::format(): sql::arg("table", sql::Identifier("t")).
struct NamedArg {
  std::string name;
  Composable value;
};
template <class T>
NamedArg arg(std::string name, T&& value) {
  return NamedArg{std::move(name), sql_internal::as_composable(std::forward<T>(value))};
}

// A snippet of SQL, never escaped, and the template language of format().
class SQL : public Composable {
 public:
  explicit SQL(std::string text);

  const std::string& text() const;

  // Python's str.format() grammar: `{}` (auto-numbered), `{0}` (numbered), `{name}` (named, from
  // sql::arg()), `{{` and `}}` for braces. Format specs (`{0:>10}`) and conversions (`{0!r}`) are
  // refused, as is mixing `{}` with `{0}`. Errors: ProgrammingError with psycopg's / Python's
  // message ("cannot switch from automatic field numbering to manual", "Single '}' encountered
  // in format string", ...), or naming the missing argument.
  template <class... Args>
  Composed format(Args&&... args) const {
    std::vector<Composable> positional;
    std::vector<NamedArg> named;
    (add_format_arg(positional, named, std::forward<Args>(args)), ...);
    return format_args(positional, named);
  }

  // The items of `seq` (Composables, or values that become Literals) separated by this SQL; an
  // empty `seq` gives an empty Composed.
  template <class Range>
  Composed join(const Range& seq) const {
    std::vector<Composable> items;
    for (const auto& item : seq) items.push_back(sql_internal::as_composable(item));
    return join_items(items);
  }
  Composed join(std::initializer_list<Composable> seq) const {
    return join_items(std::vector<Composable>(seq));
  }

 private:
  template <class T>
  static void add_format_arg(std::vector<Composable>& positional, std::vector<NamedArg>& named,
                             T&& value) {
    if constexpr (std::is_same_v<std::remove_cvref_t<T>, NamedArg>) {
      named.push_back(std::forward<T>(value));
    } else {
      positional.push_back(sql_internal::as_composable(std::forward<T>(value)));
    }
  }
  Composed format_args(const std::vector<Composable>& positional,
                       const std::vector<NamedArg>& named) const;
  Composed join_items(const std::vector<Composable>& items) const;
};

// A name or a dotted name (schema, table, column), each part quoted: Identifier("s", "t") is
// "s"."t". No parts, an empty part (ProgrammingError) or a NUL byte (DataError) is refused.
class Identifier : public Composable {
 public:
  explicit Identifier(std::vector<std::string> parts);
  template <class... More>
  requires(std::is_convertible_v<More, std::string_view>&&...) explicit Identifier(
      std::string_view first, More&&... more)
      : Identifier(
            std::vector<std::string>{std::string(first), std::string(std::string_view(more))...}) {}

  const std::vector<std::string>& strings() const;
};

// A query placeholder: `%s`, `%t`, `%b`, or `%(name)s` etc. A `)` in the name is a
// ProgrammingError (`invalid name: 'a)b'`).
class Placeholder : public Composable {
 public:
  explicit Placeholder(std::string name = "", ParamFormat format = ParamFormat::kAuto);
  explicit Placeholder(ParamFormat format) : Placeholder("", format) {}

  const std::string& name() const;
  ParamFormat format() const;
};

// psycopg's sql.NULL and sql.DEFAULT.
const SQL& null();
const SQL& default_();

// Literal(value).as_string(): psycopg's sql.quote() without a connection.
template <class T>
std::string quote(T&& value) {
  return Literal(std::forward<T>(value)).as_string();
}

}  // namespace pgcpp::sql

#endif  // PGCPP_CORE_SQL_H_
