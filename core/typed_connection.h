// TypedConnection<RowFactory>: a Connection whose cursors have a default row
// factory (psycopg's connect(row_factory=...)). Made by the three-argument
// Connection::connect, or from a Connection by pgcpp::with_row_factory(std::move(conn), f).
//
//   auto conn = pgcpp::Connection::connect(dsn, {.autocommit = true}, pgcpp::dict_row);
//   std::vector<pgcpp::DictRow> rows = conn.execute("SELECT * FROM t").fetchall();
//   auto typed = conn.cursor();                              // TypedCursor<DictRowFactory>
//   auto tuples = conn.execute("SELECT 1").fetchall(pgcpp::tuple_row);  // still possible
//
// Everything else is the Connection's (it is one): transactions, info(), close()...
#ifndef PGCPP_CORE_TYPED_CONNECTION_H_
#define PGCPP_CORE_TYPED_CONNECTION_H_

#include <string_view>
#include <utility>

#include "pgcpp/core/connection.h"
#include "pgcpp/core/typed_cursor.h"

namespace pgcpp {

template <class RowFactory>
class TypedConnection : public Connection {
 public:
  TypedConnection(Connection connection, RowFactory row_factory)
      : Connection(std::move(connection)), row_factory_(std::move(row_factory)) {}

  const RowFactory& row_factory() const { return row_factory_; }

  using Connection::cursor;  // cursor(other_factory, options)
  TypedCursor<RowFactory> cursor(CursorOptions options = {}) const {
    return Connection::cursor(row_factory_, options);
  }

  template <class... Params>
  TypedCursor<RowFactory> execute(std::string_view query, const Params&... params) const {
    TypedCursor<RowFactory> cur = cursor();
    cur.execute(query, params...);
    return cur;
  }
  template <class... Params>
  TypedCursor<RowFactory> execute(const sql::Composable& query, const Params&... params) const {
    TypedCursor<RowFactory> cur = cursor();
    cur.execute(query, params...);
    return cur;
  }

 private:
  RowFactory row_factory_;
};

// `connection`, moved into a TypedConnection with a default row factory.
template <class RowFactory>
TypedConnection<RowFactory> with_row_factory(Connection connection, RowFactory row_factory) {
  return TypedConnection<RowFactory>(std::move(connection), std::move(row_factory));
}

}  // namespace pgcpp

#endif  // PGCPP_CORE_TYPED_CONNECTION_H_
