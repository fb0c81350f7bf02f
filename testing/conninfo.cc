#include "pgcpp/testing/conninfo.h"

#include <libpq-fe.h>

#include <memory>
#include <stdexcept>

namespace pgcpp::testing_internal {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

// The keys `base` sets explicitly, in libpq's option order.
Pairs parse(std::string_view base) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
      PQconninfoParse(std::string(base).c_str(), &error), &PQconninfoFree);
  if (options == nullptr) {
    std::string message = error != nullptr ? error : "out of memory";
    PQfreemem(error);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    throw std::invalid_argument("invalid connection string \"" + std::string(base) +
                                "\": " + message);
  }
  Pairs pairs;
  for (const PQconninfoOption* o = options.get(); o->keyword != nullptr; ++o) {
    if (o->val != nullptr) pairs.emplace_back(o->keyword, o->val);
  }
  return pairs;
}

}  // namespace

std::string conninfo_quote(std::string_view value) {
  bool bare = !value.empty();
  for (char c : value) {
    if (c == '\'' || c == '\\' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
        c == '\v' || c == '=') {
      bare = false;
    }
  }
  if (bare) return std::string(value);
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += '\'';
  return quoted;
}

void append_conninfo(std::string& out, std::string_view key, std::string_view value) {
  if (!out.empty()) out += ' ';
  out += key;
  out += '=';
  out += conninfo_quote(value);
}

std::string conninfo_with(std::string_view base, const Pairs& overrides) {
  Pairs pairs = parse(base);
  for (const auto& [key, value] : overrides) {
    std::erase_if(pairs, [&key = key](const auto& pair) { return pair.first == key; });
    if (!value.empty()) pairs.emplace_back(key, value);
  }
  std::string out;
  for (const auto& [key, value] : pairs) append_conninfo(out, key, value);
  return out;
}

std::string conninfo_get(std::string_view base, std::string_view key) {
  for (const auto& [k, value] : parse(base)) {
    if (k == key) return value;
  }
  return "";
}

}  // namespace pgcpp::testing_internal
