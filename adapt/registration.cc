#include "pgcpp/adapt/registration.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace pgcpp {

void register_type(AdaptersMap& map, TypeInfo info) { map.types().add(std::move(info)); }

void register_hstore(AdaptersMap& map, TypeInfo info) {
  const Oid oid = info.oid;
  register_type(map, std::move(info));
  for (Format f : {Format::kBinary, Format::kText}) {  // text last: %s sends text
    map.register_loader(oid, std::make_shared<CodecLoader<Hstore>>(oid, f));
    map.register_dumper<Hstore>(std::make_shared<CodecDumper<Hstore>>(f, oid));
  }
}

namespace adapt_internal {

void throw_unknown_label(std::string_view label, std::string_view type) {
  throw DataError(
      absl::StrCat("unknown label ", printable(label), " for enum ", std::string(type)));
}

void throw_unmapped_enum(std::string_view cpp_type, std::string_view type) {
  throw DataError(
      absl::StrCat("a ", std::string(cpp_type), " value has no label in enum ", std::string(type)));
}

}  // namespace adapt_internal
}  // namespace pgcpp
