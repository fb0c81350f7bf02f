#include "pgcpp/core/conninfo.h"

#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "pgcpp/core/errors.h"
#include "pgcpp/core/py_repr.h"

namespace pgcpp {
namespace {

struct ConninfoFree {
  void operator()(PQconninfoOption* options) const { PQconninfoFree(options); }
};
using ConninfoOptions = std::unique_ptr<PQconninfoOption, ConninfoFree>;

std::string_view trim_trailing_space(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
  return s;
}

// PQconninfoParse, with its message (or ours, for a NUL byte) as a ProgrammingError.
ConninfoOptions parse_conninfo(std::string_view conninfo) {
  if (size_t nul = conninfo.find('\0'); nul != std::string_view::npos) {
    throw ProgrammingError("invalid connection string: NUL byte at position " +
                           std::to_string(nul));
  }
  const std::string terminated(conninfo);
  char* errmsg = nullptr;
  ConninfoOptions options(PQconninfoParse(terminated.c_str(), &errmsg));
  if (!options) {
    if (!errmsg) throw std::bad_alloc();
    std::string message(trim_trailing_space(errmsg));
    PQfreemem(errmsg);
    throw ProgrammingError(message);
  }
  return options;
}

// libpq keywords are plain words; anything else could smuggle in other parameters.
void check_keyword(std::string_view keyword) {
  const bool plain = !keyword.empty() && std::all_of(keyword.begin(), keyword.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
  if (!plain) throw ProgrammingError("invalid connection option \"" + std::string(keyword) + "\"");
}

// Python's str.isspace(), on UTF-8: ASCII whitespace, the separators \x1c-\x1f, and the
// Unicode spaces (their UTF-8 encodings cannot appear inside other characters).
bool has_python_whitespace(std::string_view s) {
  for (char c : s) {
    if (c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f')) return true;
  }
  static constexpr std::string_view kUnicodeSpaces[] = {
      "\xc2\x85",     "\xc2\xa0",     "\xe1\x9a\x80", "\xe2\x80\x80", "\xe2\x80\x81",
      "\xe2\x80\x82", "\xe2\x80\x83", "\xe2\x80\x84", "\xe2\x80\x85", "\xe2\x80\x86",
      "\xe2\x80\x87", "\xe2\x80\x88", "\xe2\x80\x89", "\xe2\x80\x8a", "\xe2\x80\xa8",
      "\xe2\x80\xa9", "\xe2\x80\xaf", "\xe2\x81\x9f", "\xe3\x80\x80",
  };
  for (std::string_view space : kUnicodeSpaces) {
    if (s.find(space) != std::string_view::npos) return true;
  }
  return false;
}

struct ParamDef {
  std::string envvar;
  std::optional<std::string> compiled;
};

// libpq's parameter definitions (environment variable, compiled-in default), read once.
const absl::flat_hash_map<std::string, ParamDef>& param_defs() {
  static const auto* const defs = [] {
    auto* m = new absl::flat_hash_map<std::string, ParamDef>();
    ConninfoOptions options(PQconndefaults());
    if (!options) throw std::bad_alloc();
    for (const PQconninfoOption* o = options.get(); o->keyword; ++o) {
      (*m)[o->keyword] =
          ParamDef{o->envvar ? o->envvar : "",
                   o->compiled ? std::optional<std::string>(o->compiled) : std::nullopt};
    }
    return m;
  }();
  return *defs;
}

std::vector<std::string> split_commas(const std::optional<std::string>& value) {
  std::vector<std::string> parts;
  if (!value || value->empty()) return parts;
  size_t start = 0;
  while (true) {
    size_t comma = value->find(',', start);
    parts.push_back(value->substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return parts;
}

bool is_ip_address(const std::string& s) {
  in6_addr buf;
  return inet_pton(AF_INET, s.c_str(), &buf) == 1 || inet_pton(AF_INET6, s.c_str(), &buf) == 1;
}

// `key=value ...` in `params` order, after checking what libpq's parser cannot check.
std::string write_conninfo(const ConnInfoDict& params) {
  std::string out;
  for (const auto& [keyword, value] : params) {
    check_keyword(keyword);
    if (size_t nul = value.find('\0'); nul != std::string::npos) {
      throw ProgrammingError("invalid value for connection option \"" + keyword +
                             "\": NUL byte at position " + std::to_string(nul));
    }
    if (!out.empty()) out += ' ';
    out += keyword;
    out += '=';
    out += conninfo_escape(value);
  }
  return out;
}

}  // namespace

ConnInfoDict conninfo_to_dict(std::string_view conninfo, const ConnInfoDict& overrides) {
  ConninfoOptions options = parse_conninfo(conninfo);
  ConnInfoDict params;
  for (const PQconninfoOption* o = options.get(); o->keyword; ++o) {
    if (o->val) params[o->keyword] = o->val;
  }
  for (const auto& [keyword, value] : overrides) params[keyword] = value;
  return params;
}

std::string conninfo_escape(std::string_view value) {
  if (value.empty()) return "''";
  std::string escaped;
  escaped.reserve(value.size() + 2);
  for (char c : value) {
    if (c == '\\' || c == '\'') escaped += '\\';
    escaped += c;
  }
  if (has_python_whitespace(escaped)) return "'" + escaped + "'";
  return escaped;
}

std::string make_conninfo(std::string_view conninfo, const ConnInfoDict& overrides) {
  if (overrides.empty()) {
    if (!conninfo.empty()) parse_conninfo(conninfo);
    return std::string(conninfo);
  }
  std::string out = write_conninfo(conninfo_to_dict(conninfo, overrides));
  parse_conninfo(out);
  return out;
}

std::optional<std::string> get_param(const ConnInfoDict& params, std::string_view keyword) {
  if (auto it = params.find(std::string(keyword)); it != params.end()) return it->second;
  const auto& defs = param_defs();
  auto def = defs.find(std::string(keyword));
  if (def == defs.end() || def->second.envvar.empty()) return std::nullopt;
  if (const char* env = std::getenv(def->second.envvar.c_str())) return std::string(env);
  return std::nullopt;
}

std::vector<ConnInfoDict> split_attempts(const ConnInfoDict& params) {
  std::vector<std::string> hosts = split_commas(get_param(params, "host"));
  std::vector<std::string> hostaddrs = split_commas(get_param(params, "hostaddr"));
  std::vector<std::string> ports = split_commas(get_param(params, "port"));

  if (!hosts.empty() && !hostaddrs.empty() && hosts.size() != hostaddrs.size()) {
    throw OperationalError("could not match " + std::to_string(hosts.size()) + " host names with " +
                           std::to_string(hostaddrs.size()) + " hostaddr values");
  }
  const size_t nhosts = std::max(hosts.size(), hostaddrs.size());
  if (ports.size() > 1 && ports.size() != nhosts) {
    throw OperationalError("could not match " + std::to_string(ports.size()) + " port numbers to " +
                           std::to_string(nhosts) + " hosts");
  }
  if (nhosts <= 1) return {params};  // a single attempt: leave the parameters alone

  if (ports.size() == 1) ports.resize(nhosts, ports[0]);
  std::vector<ConnInfoDict> attempts;
  attempts.reserve(nhosts);
  for (size_t i = 0; i < nhosts; ++i) {
    ConnInfoDict attempt = params;
    if (!hosts.empty()) attempt["host"] = hosts[i];
    if (!hostaddrs.empty()) attempt["hostaddr"] = hostaddrs[i];
    if (!ports.empty()) attempt["port"] = ports[i];
    attempts.push_back(std::move(attempt));
  }
  return attempts;
}

std::vector<std::string> resolve_host(const std::string& host, const std::string& port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  addrinfo* result = nullptr;
  const int rc = getaddrinfo(host.c_str(), port.empty() ? nullptr : port.c_str(), &hints, &result);
  if (rc != 0) {
    throw OperationalError("failed to resolve host " + core_internal::py_repr(host) + ": " +
                           (rc == EAI_SYSTEM ? std::strerror(errno) : gai_strerror(rc)));
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owner(result, &freeaddrinfo);
  std::vector<std::string> addresses;
  for (const addrinfo* ai = result; ai; ai = ai->ai_next) {
    char buf[NI_MAXHOST];
    if (getnameinfo(ai->ai_addr, ai->ai_addrlen, buf, sizeof buf, nullptr, 0, NI_NUMERICHOST) ==
        0) {
      addresses.emplace_back(buf);
    }
  }
  if (addresses.empty()) {
    throw OperationalError("failed to resolve host " + core_internal::py_repr(host) +
                           ": no address");
  }
  return addresses;
}

std::vector<ConnInfoDict> resolve_hostnames(const ConnInfoDict& attempt,
                                            const HostResolver& resolve) {
  const std::optional<std::string> host = get_param(attempt, "host");
  const auto is_drive_path = [](const std::string& h) {  // "C:\\..."; not "::1"
    return h.size() > 1 && h[1] == ':' && std::isalpha(static_cast<unsigned char>(h[0]));
  };
  if (!host || host->empty() || (*host)[0] == '/' || (*host)[0] == '@' || is_drive_path(*host)) {
    return {attempt};  // a socket directory or path, or nothing to resolve
  }
  if (const auto hostaddr = get_param(attempt, "hostaddr"); hostaddr && !hostaddr->empty()) {
    return {attempt};  // already resolved
  }
  if (is_ip_address(*host)) {
    ConnInfoDict resolved = attempt;
    resolved["hostaddr"] = *host;
    return {resolved};
  }
  std::optional<std::string> port = get_param(attempt, "port");
  if (!port || port->empty()) {
    auto def = param_defs().find("port");
    port = def != param_defs().end() && def->second.compiled ? *def->second.compiled : "5432";
  }
  std::vector<ConnInfoDict> attempts;
  for (std::string& address : resolve(*host, *port)) {
    ConnInfoDict resolved = attempt;
    resolved["hostaddr"] = std::move(address);
    attempts.push_back(std::move(resolved));
  }
  return attempts;
}

std::vector<ConnInfoDict> conninfo_attempts(const ConnInfoDict& params,
                                            const HostResolver& resolve) {
  std::vector<ConnInfoDict> attempts = split_attempts(params);
  if (resolve) {
    std::vector<ConnInfoDict> resolved;
    std::optional<OperationalError> last_error;
    for (const ConnInfoDict& attempt : attempts) {
      try {
        for (ConnInfoDict& a : resolve_hostnames(attempt, resolve))
          resolved.push_back(std::move(a));
      } catch (const OperationalError& e) {
        last_error = e;
      }
    }
    if (resolved.empty() && last_error) throw *last_error;
    attempts = std::move(resolved);
  }
  if (get_param(params, "load_balance_hosts") == "random") {
    thread_local std::mt19937 rng{std::random_device{}()};
    std::shuffle(attempts.begin(), attempts.end(), rng);
  }
  return attempts;
}

std::chrono::seconds timeout_from_conninfo(const ConnInfoDict& params) {
  const std::optional<std::string> value = get_param(params, "connect_timeout");
  if (!value) return kDefaultConnectTimeout;

  // Python's int(float(value)): decimal only, surrounding whitespace allowed, fraction truncated.
  const char* begin = value->c_str();
  char* end = nullptr;
  const double number = std::strtod(begin, &end);
  while (*end == ' ' || (*end >= '\t' && *end <= '\r')) ++end;
  const bool parsed =
      end != begin && *end == '\0' && value->find_first_of("xX") == std::string::npos;
  if (!parsed || !std::isfinite(number) || std::fabs(number) > 1e9) {
    throw ProgrammingError("bad value for connect_timeout: " + core_internal::py_repr(*value));
  }
  const auto seconds = static_cast<long long>(number);
  if (seconds <= 0) return kDefaultConnectTimeout;
  return std::chrono::seconds(std::max<long long>(seconds, 2));
}

ConnInfoDict mask_password(ConnInfoDict params) {
  for (const char* secret : {"password", "sslpassword"}) {
    if (auto it = params.find(secret); it != params.end()) it->second = kMaskedPassword;
  }
  return params;
}

std::string conninfo_for_display(std::string_view conninfo) {
  return write_conninfo(mask_password(conninfo_to_dict(conninfo)));
}

}  // namespace pgcpp
