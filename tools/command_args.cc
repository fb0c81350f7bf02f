#include "tools/command_args.h"

#include <charconv>
#include <iostream>

namespace pgcpp::tools {

std::string_view CommandArgs::value(std::string_view flag) {
  if (!more()) throw UsageError(std::string(flag) + " needs a value");
  return next();
}

void CommandArgs::positional(std::string_view arg) {
  if (!options_ended_ && arg == "--") {
    options_ended_ = true;
    return;
  }
  if (!options_ended_ && positionals_.empty() && arg.size() > 1 && arg[0] == '-') {
    throw UsageError("unknown option '" + std::string(arg) + "'");
  }
  positionals_.emplace_back(arg);
}

bool CommandArgs::read_options(std::string_view usage,
                               const std::function<bool(std::string_view)>& option) {
  while (more()) {
    std::string_view arg = next();
    if (arg == "--help" || arg == "-h") {
      std::cout << usage;
      return false;
    }
    if (!option(arg)) throw UsageError("unknown argument '" + std::string(arg) + "'");
  }
  return true;
}

int64_t parse_int(std::string_view flag, std::string_view text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) {
    throw UsageError(std::string(flag) + " expects a non-negative integer, got '" +
                     std::string(text) + "'");
  }
  return value;
}

}  // namespace pgcpp::tools
