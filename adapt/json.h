// Json and Jsonb: wrappers marking a string as a JSON document, and their codecs.
//
// pgcpp does not parse JSON: the wrappers carry the document's text, so any JSON library
// can produce or consume it. Without a wrapper a std::string is sent as unknown text.
//
//   conn.execute("INSERT INTO docs (body) VALUES (%s)", pgcpp::Jsonb{R"({"a": [1, 2]})"});
//   std::string body = row.get<pgcpp::Jsonb>(0).text;
//
// Json <-> json (114), Jsonb <-> jsonb (3802); text format by default (psycopg's choice).
// jsonb's binary form is a version byte (1) and the text: another version raises DataError.
// Either wrapper loads either type.
#ifndef PGCPP_ADAPT_JSON_H_
#define PGCPP_ADAPT_JSON_H_

#include <string>
#include <string_view>

#include "pgcpp/adapt/codec.h"
#include "pgcpp/adapt/oid.h"
#include "pgcpp/adapt/text.h"

namespace pgcpp {

struct Json {
  std::string text;
  friend bool operator==(const Json&, const Json&) = default;
};

struct Jsonb {
  std::string text;
  friend bool operator==(const Jsonb&, const Jsonb&) = default;
};

namespace adapt_internal {

template <class T, Oid kOid>
struct JsonCodec {
  static constexpr Format kAutoFormat = Format::kText;
  static constexpr Oid oid(Format) { return kOid; }
  static void dump(const T& v, Format f, std::string& out) {
    check_no_nul(v.text, kOid == oids::kJson ? "pgcpp::Json" : "pgcpp::Jsonb");
    if (kOid == oids::kJsonb && f == Format::kBinary) out.push_back(1);
    out.append(v.text);
  }
  static T load(std::string_view data, Format f, Oid oid) {
    const std::string_view cpp_type = kOid == oids::kJson ? "pgcpp::Json" : "pgcpp::Jsonb";
    if (oid != oids::kJson && oid != oids::kJsonb && oid != oids::kInvalid) {
      throw_cannot_load(cpp_type, oid, f);
    }
    if (f == Format::kBinary) {
      return T{std::string(text_from_binary(data, oid == oids::kInvalid ? kOid : oid, cpp_type))};
    }
    return T{std::string(data)};
  }
};

}  // namespace adapt_internal

template <>
struct Codec<Json> : adapt_internal::JsonCodec<Json, oids::kJson> {
  static constexpr std::string_view name() { return "pgcpp::Json"; }
};
template <>
struct Codec<Jsonb> : adapt_internal::JsonCodec<Jsonb, oids::kJsonb> {
  static constexpr std::string_view name() { return "pgcpp::Jsonb"; }
};

}  // namespace pgcpp

#endif  // PGCPP_ADAPT_JSON_H_
