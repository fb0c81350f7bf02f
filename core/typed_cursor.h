// TypedCursor<RowFactory>: a Cursor whose fetch calls use a default row factory
// (psycopg's cursor(row_factory=...)); a factory passed to a call still wins.
//
//   auto cur = conn.cursor(pgcpp::dict_row);
//   cur.execute("SELECT 1 AS x");
//   std::optional<pgcpp::DictRow> row = cur.fetchone();          // dict_row
//   auto same = cur.execute("SELECT 1 AS x").fetchall(pgcpp::tuple_row);
//
//   struct User { int64_t id; std::string name; };
//   auto users = conn.cursor(pgcpp::class_row<User>);
//   for (User u : users.execute("SELECT id, name FROM users").rows()) ...
//
// The row factory is part of the type, as it is part of psycopg's Cursor[Row]
// type: a fetch's result type is known at compile time.
#ifndef PGCPP_CORE_TYPED_CURSOR_H_
#define PGCPP_CORE_TYPED_CURSOR_H_

#include <cstddef>
#include <string_view>
#include <utility>

#include "pgcpp/core/cursor.h"

namespace pgcpp {

namespace internal {

// A cursor class Base whose fetch calls without a factory argument use the row
// factory it was made with; a factory passed to a call still wins. Shared by
// TypedCursor and //aio's AsyncTypedCursor.
template <class Base, class RowFactory>
class WithRowFactory : public Base {
 public:
  WithRowFactory(Base cursor, RowFactory row_factory)
      : Base(std::move(cursor)), row_factory_(std::move(row_factory)) {}

  const RowFactory& row_factory() const { return row_factory_; }

  using Base::fetchall;
  using Base::fetchmany;
  using Base::fetchone;
  using Base::rows;
  auto fetchone() { return Base::fetchone(row_factory_); }
  auto fetchmany(size_t size = 0) { return Base::fetchmany(size, row_factory_); }
  auto fetchall() { return Base::fetchall(row_factory_); }
  auto rows() & { return Base::rows(row_factory_); }
  auto rows() && {
    RowFactory factory = row_factory_;
    return static_cast<Base&&>(*this).rows(std::move(factory));
  }

 private:
  RowFactory row_factory_;
};

}  // namespace internal

template <class RowFactory>
class TypedCursor : public internal::WithRowFactory<Cursor, RowFactory> {
 public:
  using internal::WithRowFactory<Cursor, RowFactory>::WithRowFactory;

  // execute() returns this TypedCursor, so that `.fetchone()` keeps the default factory.
  template <class... Params>
  TypedCursor& execute(std::string_view query, const Params&... params) {
    Cursor::execute(query, params...);
    return *this;
  }
  template <class... Params>
  TypedCursor& execute(const sql::Composable& query, const Params&... params) {
    Cursor::execute(query, params...);
    return *this;
  }
  template <class... Params>
  TypedCursor& execute(const ExecuteOptions& options, std::string_view query,
                       const Params&... params) {
    Cursor::execute(options, query, params...);
    return *this;
  }
};

}  // namespace pgcpp

#endif  // PGCPP_CORE_TYPED_CURSOR_H_
