// The text form of values pgcpp cannot load in binary, asked of the server.
//
// With binary results, a type pgcpp has no binary loader for (point, money, an
// extension's type) loads as its raw bytes. Sent back as a binary parameter of its own
// type and cast to text, it becomes exactly what a text result holds, so
// `pgcpp query --binary` prints the same as text format.
//
//   pgcpp::tools::ServerText server_text(conn);
//   std::string s = server_text.text_of(600, bytes);   // "(1,2)" for a point
#ifndef PGCPP_TOOLS_SERVER_TEXT_H_
#define PGCPP_TOOLS_SERVER_TEXT_H_

#include <map>
#include <string>

#include "pgcpp/adapt/oid.h"
#include "pgcpp/adapt/text.h"
#include "pgcpp/core/connection.h"
#include "pgcpp/core/cursor.h"

namespace pgcpp::tools {

class ServerText {
 public:
  explicit ServerText(const Connection& conn) : conn_(&conn) {}

  // The text of the value of type `type` whose binary form is `binary` (one round trip).
  std::string text_of(Oid type, const Bytes& binary);

 private:
  const Connection* conn_;
  std::map<Oid, Cursor> cursors_;  // one per type: its adapters send that type's oid
};

}  // namespace pgcpp::tools

#endif  // PGCPP_TOOLS_SERVER_TEXT_H_
