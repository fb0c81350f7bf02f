// JSON rendering of loaded values, for `pgcpp query --format json`.
//
// Values are rendered from what //adapt loaded (a pgcpp::Value), never from the server's
// text, so a text and a binary result print the same JSON:
//
//   std::string out;
//   pgcpp::tools::append_json(row.value(0), out);   // 42, "text", {"months": 1, ...}
//
// NULL → null; bool → true/false; integers → exact JSON integers; float4/float8 → the
// shortest decimal that reads back as the same float, NaN/Infinity/-Infinity as strings;
// numeric → a string holding the exact decimal; strings, enums, inet/cidr, uuid → strings;
// bytea → "\\x" + hex; date → "YYYY-MM-DD"; time → "HH:MM:SS[.ffffff]"; timestamp →
// "YYYY-MM-DDTHH:MM:SS[.ffffff]", timestamptz the same in UTC + "+00:00"; infinite dates
// and timestamps → "infinity"/"-infinity"; interval → {"months", "days", "microseconds"};
// json/jsonb → the document itself; arrays → nested arrays; composites → arrays of fields;
// ranges → {"empty", "lower", "upper", "bounds"}; multiranges → arrays of ranges; hstore
// → an object; anything else → its text as a string.
#ifndef PGCPP_TOOLS_JSON_RENDER_H_
#define PGCPP_TOOLS_JSON_RENDER_H_

#include <string>
#include <string_view>

#include "pgcpp/adapt/value.h"

namespace pgcpp::tools {

// Appends `v` as JSON (compact: no spaces but after ':' and ',' in objects).
void append_json(const Value& v, std::string& out);
// Appends `s` as a JSON string (quoted, escaped; invalid UTF-8 is passed through).
void append_json_string(std::string_view s, std::string& out);
// `v` as the text of a table or CSV cell: strings as they are, "" for NULL, and the JSON
// rendering for everything else.
std::string display_text(const Value& v);

}  // namespace pgcpp::tools

#endif  // PGCPP_TOOLS_JSON_RENDER_H_
