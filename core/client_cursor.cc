#include "pgcpp/core/client_cursor.h"

#include "pgcpp/core/errors.h"

namespace pgcpp {

namespace {
const char* const kNoBinary = "client-side cursors don't support binary results";
}  // namespace

ClientCursor::ClientCursor(std::shared_ptr<BaseConnection> conn, CursorOptions options)
    : Cursor(std::move(conn), options) {
  if (options.binary.value_or(false)) throw NotSupportedError(kNoBinary);
}

std::string ClientCursor::mogrify_values(std::string_view query,
                                         std::span<const Value> params) const {
  std::shared_ptr<const ClientQuery> q = convert_client_query(query);
  q->check_sequence_params(params.size());
  std::vector<std::string> literals;
  literals.reserve(params.size());
  for (const Value& v : params) literals.push_back(as_literal(v, adapters()));
  return q->merge(literals);
}

std::string ClientCursor::mogrify_named(std::string_view query, const NamedParams& params) const {
  std::shared_ptr<const ClientQuery> q = convert_client_query(query);
  q->check_mapping_params([&](std::string_view name) { return params.contains(name); });
  std::vector<std::string> literals;
  literals.reserve(q->names.size());
  for (const std::string& name : q->names) {
    literals.push_back(as_literal(params.find(name)->second, adapters()));
  }
  return q->merge(literals);
}

ClientCursor& ClientCursor::run(const ExecuteOptions& options, const std::string& query) {
  if (options.binary.value_or(false)) throw NotSupportedError(kNoBinary);
  Cursor::execute(query);  // no parameters left: the simple protocol, verbatim
  return *this;
}

void ClientCursor::end_executemany(int64_t total, bool any) {
  // As Cursor::executemany: no fetchable results; rowcount is the sum of the affected rows.
  results_.clear();
  select_result(0);
  rowcount_ = any ? total : 0;
}

}  // namespace pgcpp
