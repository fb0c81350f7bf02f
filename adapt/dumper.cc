#include "pgcpp/adapt/dumper.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace pgcpp {

void Dumper::quote_erased(const void* obj, std::string& out) const {
  if (format_ != Format::kText) {
    throw ProgrammingError(absl::StrCat("the binary dumper for ", adapt_internal::demangle(type_),
                                        " cannot quote a literal; register a text dumper"));
  }
  std::string text;
  if (!dump_erased(obj, text)) {
    out.append("NULL");
    return;
  }
  adapt_internal::append_quoted_literal(text, out);
}

void Dumper::check_type(const std::type_info& t) const {
  if (std::type_index(t) != type_) {
    throw ProgrammingError(absl::StrCat("a dumper for ", adapt_internal::demangle(type_),
                                        " cannot dump a ", adapt_internal::demangle(t)));
  }
}

}  // namespace pgcpp
