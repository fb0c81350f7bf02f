#include "pgcpp/core/connection_info.h"

#include <pg_config.h>  // DEF_PGPORT: libpq's compiled-in port

#include <cstdlib>
#include <memory>
#include <string_view>

#include "pgcpp/core/errors.h"

namespace pgcpp {

namespace {

std::string or_empty(const char* s) { return s ? s : ""; }

// Values psycopg treats as defaults although libpq does not report them so.
bool is_default(std::string_view keyword, std::string_view value, const char* compiled) {
  if (compiled != nullptr && value == compiled) return true;
  if (keyword == "channel_binding" && value == "prefer") return true;
  if (keyword == "passfile") {
    const char* home = std::getenv("HOME");
    return home != nullptr && value == std::string(home) + "/.pgpass";
  }
  return false;
}

}  // namespace

std::string ConnectionInfo::host() const { return or_empty(PQhost(pgconn())); }
std::string ConnectionInfo::hostaddr() const { return or_empty(PQhostaddr(pgconn())); }

int ConnectionInfo::port() const {
  std::string port = or_empty(PQport(pgconn()));
  return port.empty() ? DEF_PGPORT : std::stoi(port);
}

std::string ConnectionInfo::dbname() const { return or_empty(PQdb(pgconn())); }
std::string ConnectionInfo::user() const { return or_empty(PQuser(pgconn())); }

std::optional<std::string> ConnectionInfo::password() const {
  const char* password = PQpass(pgconn());
  if (password == nullptr || *password == '\0') return std::nullopt;
  return std::string("********");
}

std::string ConnectionInfo::options() const { return or_empty(PQoptions(pgconn())); }

ConnStatus ConnectionInfo::status() const {
  return conn_->closed() ? ConnStatus::kBad : ConnStatus::kOk;
}

TransactionStatus ConnectionInfo::transaction_status() const { return conn_->transaction_status(); }

PipelineStatus ConnectionInfo::pipeline_status() const {
  return static_cast<PipelineStatus>(PQpipelineStatus(pgconn()));
}

int ConnectionInfo::server_version() const { return PQserverVersion(pgconn()); }
int ConnectionInfo::backend_pid() const { return PQbackendPID(pgconn()); }

std::optional<int32_t> ConnectionInfo::secret_key() const {
  pgconn();
  const std::optional<CancelKey>& key = conn_->cancel_key();
  if (!key) return std::nullopt;
  return key->secret_key;
}

std::string ConnectionInfo::error_message() const { return connection_error_message(pgconn()); }

std::optional<std::string> ConnectionInfo::parameter_status(const std::string& name) const {
  const char* value = PQparameterStatus(pgconn(), name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

std::string ConnectionInfo::encoding() const {
  return parameter_status("client_encoding").value_or("");
}

std::string ConnectionInfo::timezone() const { return parameter_status("TimeZone").value_or(""); }

ConnInfoDict ConnectionInfo::get_parameters() const {
  struct Free {
    void operator()(PQconninfoOption* options) const { PQconninfoFree(options); }
  };
  std::unique_ptr<PQconninfoOption, Free> options(PQconninfo(pgconn()));
  if (!options) throw OperationalError("out of memory reading the connection parameters");
  ConnInfoDict params;
  for (const PQconninfoOption* o = options.get(); o->keyword != nullptr; ++o) {
    std::string_view keyword = o->keyword;
    if (o->val == nullptr || keyword == "password") continue;
    if (is_default(keyword, o->val, o->compiled)) continue;
    params.emplace(keyword, o->val);
  }
  return params;
}

std::string ConnectionInfo::dsn() const { return make_conninfo("", get_parameters()); }

}  // namespace pgcpp
