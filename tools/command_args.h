// Reading a command's arguments: options (--flag, --flag VALUE) and positionals, for the
// `pgcpp` commands. Bad usage throws UsageError, which pgcpp_main turns into exit code 2.
//
//   pgcpp::tools::CommandArgs in(args);
//   while (in.more()) {
//     std::string_view arg = in.next();
//     if (in.options_ended()) in.positional(arg);
//     else if (arg == "--dsn") dsn = in.value(arg);
//     else if (arg == "--rows") rows = pgcpp::tools::parse_int(arg, in.value(arg));
//     else in.positional(arg);   // UsageError for an unknown --option
//   }
//
// A command that takes options only reads them with read_options():
//   if (!in.read_options(kUsage, [&](std::string_view arg) {
//         if (arg != "--dsn") return false;  // unknown: UsageError
//         dsn = std::string(in.value(arg));
//         return true;
//       })) {
//     return 0;  // --help printed kUsage
//   }
#ifndef PGCPP_TOOLS_COMMAND_ARGS_H_
#define PGCPP_TOOLS_COMMAND_ARGS_H_

#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pgcpp::tools {

// Wrong command-line usage (unknown option, missing value, ...).
class UsageError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

class CommandArgs {
 public:
  explicit CommandArgs(std::span<const std::string_view> args) : args_(args) {}

  bool more() const { return i_ < args_.size(); }
  std::string_view next() { return args_[i_++]; }
  // The value following option `flag`; UsageError when there is none.
  std::string_view value(std::string_view flag);
  // Records a positional argument. Before the first positional, anything starting with
  // "-" is an unknown option; after it, "-5" is a value. "--" ends the options.
  void positional(std::string_view arg);
  const std::vector<std::string>& positionals() const { return positionals_; }
  // After "--": every argument is positional, even "--format".
  bool options_ended() const { return options_ended_; }

  // Reads the remaining arguments as options: "--help" or "-h" prints `usage` to
  // stdout and returns false (the command has nothing more to do); `option(arg)`
  // reads any other one (its value with value(arg)) and returns false for one it
  // does not know, a UsageError. True once every argument was read.
  bool read_options(std::string_view usage, const std::function<bool(std::string_view)>& option);

 private:
  std::span<const std::string_view> args_;
  size_t i_ = 0;
  bool options_ended_ = false;
  std::vector<std::string> positionals_;
};

// `text` as a non-negative integer; UsageError naming `flag` otherwise.
int64_t parse_int(std::string_view flag, std::string_view text);

}  // namespace pgcpp::tools

#endif  // PGCPP_TOOLS_COMMAND_ARGS_H_
