// Type oids and wire formats: the vocabulary every other adapt header speaks.
//
// `Oid` is PostgreSQL's type identifier (libpq's `Oid`, kept as our own alias so that
// //adapt needs no libpq). `Format` is the wire format of one value (the numbers libpq
// wants in `paramFormats` / `resultFormat`); `ParamFormat` is what a placeholder asks for
// (psycopg's PyFormat: `%s` lets the dumper choose, `%t` wants text, `%b` binary).
//
//   pgcpp::Oid oid = pgcpp::oids::kInt8;                  // 20
//   int fmt = static_cast<int>(pgcpp::Format::kBinary);  // 1, for PQsendQueryParams
#ifndef PGCPP_ADAPT_OID_H_
#define PGCPP_ADAPT_OID_H_

#include <cstdint>
#include <string_view>

namespace pgcpp {

using Oid = uint32_t;

// Wire format of one parameter or result field.
enum class Format : int { kText = 0, kBinary = 1 };

// The format a placeholder asks for: %s (kAuto: the dumper's preferred format),
// %t (kText) or %b (kBinary).
enum class ParamFormat { kAuto, kText, kBinary };

constexpr std::string_view format_name(Format f) { return f == Format::kText ? "text" : "binary"; }
constexpr std::string_view format_name(ParamFormat f) {
  return f == ParamFormat::kAuto ? "AUTO" : f == ParamFormat::kText ? "TEXT" : "BINARY";
}
// The placeholder that asks for `f`: 's', 't' or 'b'.
constexpr char placeholder_char(ParamFormat f) {
  return f == ParamFormat::kAuto ? 's' : f == ParamFormat::kText ? 't' : 'b';
}

// The builtin oids pgcpp adapts (PostgreSQL's pg_type.dat). TypesRegistry::builtins()
// knows every builtin type, these are the ones code refers to by name.
namespace oids {
inline constexpr Oid kInvalid = 0;  // "unknown": the server infers the parameter's type
inline constexpr Oid kBool = 16;
inline constexpr Oid kBytea = 17;
inline constexpr Oid kChar = 18;  // "char"
inline constexpr Oid kName = 19;
inline constexpr Oid kInt8 = 20;
inline constexpr Oid kInt2 = 21;
inline constexpr Oid kInt4 = 23;
inline constexpr Oid kRegproc = 24;
inline constexpr Oid kText = 25;
inline constexpr Oid kOid = 26;
inline constexpr Oid kXid = 28;
inline constexpr Oid kCid = 29;
inline constexpr Oid kJson = 114;
inline constexpr Oid kXml = 142;
inline constexpr Oid kBox = 603;
inline constexpr Oid kCidr = 650;
inline constexpr Oid kFloat4 = 700;
inline constexpr Oid kFloat8 = 701;
inline constexpr Oid kUnknown = 705;
inline constexpr Oid kInet = 869;
inline constexpr Oid kBpchar = 1042;
inline constexpr Oid kVarchar = 1043;
inline constexpr Oid kDate = 1082;
inline constexpr Oid kTime = 1083;
inline constexpr Oid kTimestamp = 1114;
inline constexpr Oid kTimestamptz = 1184;
inline constexpr Oid kInterval = 1186;
inline constexpr Oid kTimetz = 1266;
inline constexpr Oid kNumeric = 1700;
inline constexpr Oid kRegclass = 2205;
inline constexpr Oid kRegtype = 2206;
inline constexpr Oid kRecord = 2249;
inline constexpr Oid kUuid = 2950;
inline constexpr Oid kJsonb = 3802;
inline constexpr Oid kInt4range = 3904;
inline constexpr Oid kNumrange = 3906;
inline constexpr Oid kTsrange = 3908;
inline constexpr Oid kTstzrange = 3910;
inline constexpr Oid kDaterange = 3912;
inline constexpr Oid kInt8range = 3926;
inline constexpr Oid kInt4multirange = 4451;
inline constexpr Oid kNummultirange = 4532;
inline constexpr Oid kTsmultirange = 4533;
inline constexpr Oid kTstzmultirange = 4534;
inline constexpr Oid kDatemultirange = 4535;
inline constexpr Oid kInt8multirange = 4536;

// Array types of the above.
inline constexpr Oid kBoolArray = 1000;
inline constexpr Oid kByteaArray = 1001;
inline constexpr Oid kCharArray = 1002;
inline constexpr Oid kNameArray = 1003;
inline constexpr Oid kInt2Array = 1005;
inline constexpr Oid kInt4Array = 1007;
inline constexpr Oid kTextArray = 1009;
inline constexpr Oid kVarcharArray = 1015;
inline constexpr Oid kInt8Array = 1016;
inline constexpr Oid kFloat4Array = 1021;
inline constexpr Oid kFloat8Array = 1022;
inline constexpr Oid kOidArray = 1028;
inline constexpr Oid kJsonArray = 199;
inline constexpr Oid kJsonbArray = 3807;
inline constexpr Oid kUuidArray = 2951;
inline constexpr Oid kNumericArray = 1231;
inline constexpr Oid kDateArray = 1182;
inline constexpr Oid kTimeArray = 1183;
inline constexpr Oid kTimestampArray = 1115;
inline constexpr Oid kTimestamptzArray = 1185;
inline constexpr Oid kIntervalArray = 1187;
inline constexpr Oid kTimetzArray = 1270;
inline constexpr Oid kInetArray = 1041;
inline constexpr Oid kCidrArray = 651;
inline constexpr Oid kRecordArray = 2287;

// Oids below this are assigned by initdb (builtin); user types get oids from here on.
inline constexpr Oid kFirstNormalObjectId = 16384;
}  // namespace oids

}  // namespace pgcpp

#endif  // PGCPP_ADAPT_OID_H_
