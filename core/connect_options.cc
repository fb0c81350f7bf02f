#include "pgcpp/core/connect_options.h"

#include <string>

#include "pgcpp/core/errors.h"

namespace pgcpp {
namespace {

void add(ConnInfoDict& out, const ConnectOptions& options, const char* keyword,
         const std::optional<std::string>& value) {
  if (!value) return;
  if (options.params.count(keyword)) {
    throw ProgrammingError(std::string("connection option \"") + keyword +
                           "\" given both as ConnectOptions::" + keyword +
                           " and in ConnectOptions::params");
  }
  out[keyword] = *value;
}

std::optional<std::string> to_text(const std::optional<int>& value) {
  return value ? std::optional<std::string>(std::to_string(*value)) : std::nullopt;
}

}  // namespace

ConnInfoDict conninfo_overrides(const ConnectOptions& options) {
  ConnInfoDict out = options.params;
  add(out, options, "host", options.host);
  add(out, options, "port", to_text(options.port));
  add(out, options, "dbname", options.dbname);
  add(out, options, "user", options.user);
  add(out, options, "password", options.password);
  add(out, options, "sslmode", options.sslmode);
  add(out, options, "connect_timeout", to_text(options.connect_timeout));
  add(out, options, "application_name", options.application_name);
  return out;
}

}  // namespace pgcpp
