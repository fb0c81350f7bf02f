#include "tools/error_report.h"

#include <cxxabi.h>

#include <charconv>
#include <cstdlib>
#include <memory>
#include <string>
#include <typeinfo>

#include "pgcpp/adapt/errors.h"

namespace pgcpp::tools {

namespace {

std::string class_name(const std::exception& e) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name(
      abi::__cxa_demangle(typeid(e).name(), nullptr, nullptr, &status), std::free);
  return status == 0 && name ? std::string(name.get()) : std::string(typeid(e).name());
}

// The line of `query` holding 1-based character `position`, and a caret under it.
void write_caret(std::ostream& out, std::string_view query, std::string_view position) {
  size_t pos = 0;
  auto [end, ec] = std::from_chars(position.data(), position.data() + position.size(), pos);
  if (ec != std::errc() || pos == 0 || pos > query.size() + 1) return;
  size_t offset = pos - 1;  // the server counts characters; ASCII queries are the usual case
  size_t line_start = query.rfind('\n', offset == 0 ? 0 : offset - 1);
  line_start = line_start == std::string_view::npos || offset == 0 ? 0 : line_start + 1;
  size_t line_end = query.find('\n', offset);
  if (line_end == std::string_view::npos) line_end = query.size();
  size_t line_number = 1;
  for (size_t i = 0; i < line_start; ++i) line_number += query[i] == '\n';
  const std::string prefix = "LINE " + std::to_string(line_number) + ": ";
  out << prefix << query.substr(line_start, line_end - line_start) << "\n"
      << std::string(prefix.size() + offset - line_start, ' ') << "^\n";
}

}  // namespace

void report_error(std::ostream& out, std::string_view command, const std::exception& e,
                  std::string_view query) {
  out << "pgcpp " << command << ": " << class_name(e) << ": ";
  const auto* error = dynamic_cast<const Error*>(&e);
  if (error == nullptr || error->sqlstate().empty()) {
    out << e.what() << "\n";
    return;
  }
  const Diagnostic& d = error->diag();
  out << d.severity.value_or("ERROR") << " " << error->sqlstate() << ": "
      << d.message_primary.value_or(e.what()) << "\n";
  if (d.statement_position && !query.empty()) write_caret(out, query, *d.statement_position);
  if (d.message_detail) out << "DETAIL: " << *d.message_detail << "\n";
  if (d.message_hint) out << "HINT: " << *d.message_hint << "\n";
  if (d.statement_position) out << "POSITION: " << *d.statement_position << "\n";
  if (d.context) out << "CONTEXT: " << *d.context << "\n";
}

}  // namespace pgcpp::tools
