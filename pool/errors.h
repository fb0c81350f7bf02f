// The pool's exceptions (psycopg_pool.errors). All three are OperationalErrors,
// so code that already handles a lost connection also handles an exhausted pool.
//
//   try {
//     auto conn = pool.connection(std::chrono::seconds(2));
//     ...
//   } catch (const pgcpp::PoolTimeout& e) {       // no connection within 2 s
//   } catch (const pgcpp::TooManyRequests& e) {   // max_waiting clients already queued
//   } catch (const pgcpp::PoolClosed& e) {        // the pool is not open (any more)
//   }
#ifndef PGCPP_POOL_ERRORS_H_
#define PGCPP_POOL_ERRORS_H_

#include "pgcpp/core/errors.h"

namespace pgcpp {

// No connection became available within the timeout (getconn, wait).
class PoolTimeout : public OperationalError {
 public:
  using OperationalError::OperationalError;
};

// The request was refused because PoolOptions::max_waiting clients are already waiting.
class TooManyRequests : public OperationalError {
 public:
  using OperationalError::OperationalError;
};

// The pool is not open yet, or closed; a waiting client also gets it when the pool closes.
class PoolClosed : public OperationalError {
 public:
  using OperationalError::OperationalError;
};

}  // namespace pgcpp

#endif  // PGCPP_POOL_ERRORS_H_
