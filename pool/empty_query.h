// The round trip that tells whether a pool's connection works, shared by
// ConnectionPool::check_connection() and //aio's AsyncConnectionPool::check().
//
//   conn.run(pgcpp::pool_internal::empty_query(conn.base()));   // raises when broken
#ifndef PGCPP_POOL_EMPTY_QUERY_H_
#define PGCPP_POOL_EMPTY_QUERY_H_

#include "pgcpp/core/base_connection.h"
#include "pgcpp/core/operation.h"

namespace pgcpp::pool_internal {

// Sends the empty query and raises when it fails. It starts no transaction, so it needs no
// autocommit juggling (psycopg switches to autocommit around conn.execute("")).
Operation<void> empty_query(BaseConnection& base);

}  // namespace pgcpp::pool_internal

#endif  // PGCPP_POOL_EMPTY_QUERY_H_
