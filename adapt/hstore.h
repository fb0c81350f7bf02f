// Hstore: the hstore extension's key/value map, and its codec.
//
//   pgcpp::Hstore tags = {{"color", "red"}, {"size", std::nullopt}};
//   conn.execute("UPDATE t SET tags = %s", tags);
//   pgcpp::Hstore back = row.get<pgcpp::Hstore>("tags");
//
// hstore is an extension, so its oid differs per database: Hstore is sent with oid 0 (the
// server infers it from the context) unless register_hstore() (adapters_map.h) recorded
// the oid //core fetched. It loads from any non-builtin type's column; both formats.
#ifndef PGCPP_ADAPT_HSTORE_H_
#define PGCPP_ADAPT_HSTORE_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "pgcpp/adapt/codec.h"
#include "pgcpp/adapt/oid.h"

namespace pgcpp {

using Hstore = std::map<std::string, std::optional<std::string>>;

namespace adapt_internal {
void dump_hstore(const Hstore& v, Format f, std::string& out);
Hstore load_hstore(std::string_view data, Format f);
}  // namespace adapt_internal

template <>
struct Codec<Hstore> {
  static constexpr std::string_view name() { return "pgcpp::Hstore"; }
  static constexpr Format kAutoFormat = Format::kText;
  static constexpr Oid oid(Format) { return 0; }
  static void dump(const Hstore& v, Format f, std::string& out) {
    adapt_internal::dump_hstore(v, f, out);
  }
  static Hstore load(std::string_view data, Format f, Oid oid) {
    if (oid != oids::kInvalid && oid < oids::kFirstNormalObjectId) {
      adapt_internal::throw_cannot_load(name(), oid, f);
    }
    return adapt_internal::load_hstore(data, f);
  }
};

}  // namespace pgcpp

#endif  // PGCPP_ADAPT_HSTORE_H_
