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
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "pgcpp/adapt/adapters_map.h"
#include "pgcpp/adapt/params.h"
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
  // The SQL text (UTF-8), Literals rendered with `adapters` (psycopg's as_string(context)).
  std::string as_string(const AdaptersMap& adapters = AdaptersMap::global()) const;

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

namespace sql_internal {
// What a Literal keeps of `value`: text as std::string (a const char* may point to a temporary
// buffer; nullptr is NULL), std::nullopt for nullptr, anything else as a copy.
template <class T>
auto literal_copy(T&& value) {
  using D = std::remove_cvref_t<T>;
  if constexpr (std::is_same_v<D, std::nullptr_t>) {
    return std::nullopt;
  } else if constexpr (std::is_pointer_v<std::decay_t<T>> &&
                       std::is_convertible_v<std::decay_t<T>, const char*>) {
    const char* text = value;
    return text ? std::optional<std::string>(text) : std::nullopt;
  } else if constexpr (std::is_convertible_v<const D&, std::string_view> &&
                       !std::is_same_v<D, std::string>) {
    return std::string(std::string_view(value));
  } else {
    return D(std::forward<T>(value));
  }
}
}  // namespace sql_internal

// A value rendered as an SQL literal by adapt's as_literal() (pgcpp/adapt/params.h) with the
// adapters of the context (as_string(adapters); the global ones by default): any adaptable value,
// NULL for nullptr / nullopt, a ::type cast when the type is not obvious ('2000-01-01'::date).
// Two Literals are equal when they render the same SQL with the global adapters.
class Literal : public Composable {
 public:
  template <class T>
  requires(!std::is_base_of_v<Composable, std::remove_cvref_t<T>>) explicit Literal(T&& value)
      : Literal(Tag{}, [copy = sql_internal::literal_copy(std::forward<T>(value))](
                           const AdaptersMap& adapters) { return as_literal(copy, adapters); }) {}

 private:
  struct Tag {};
  using Render = std::function<std::string(const AdaptersMap&)>;
  Literal(Tag, Render render);
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
