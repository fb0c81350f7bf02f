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

namespace adapt_internal {
// The builtin number types: int2, int4, int8, oid, float4, float8 and numeric.
constexpr bool is_number_oid(Oid oid) {
  switch (oid) {
    case oids::kInt2:
    case oids::kInt4:
    case oids::kInt8:
    case oids::kOid:
    case oids::kFloat4:
    case oids::kFloat8:
    case oids::kNumeric:
      return true;
    default:
      return false;
  }
}
}  // namespace adapt_internal

// The array type of a builtin type, or 0 (also for user types: ask a TypesRegistry).
constexpr Oid builtin_array_oid(Oid element) {
  switch (element) {
    case 16:
      return 1000;
    case 17:
      return 1001;
    case 18:
      return 1002;
    case 19:
      return 1003;
    case 20:
      return 1016;
    case 21:
      return 1005;
    case 22:
      return 1006;
    case 23:
      return 1007;
    case 24:
      return 1008;
    case 25:
      return 1009;
    case 26:
      return 1028;
    case 27:
      return 1010;
    case 28:
      return 1011;
    case 29:
      return 1012;
    case 30:
      return 1013;
    case 114:
      return 199;
    case 142:
      return 143;
    case 600:
      return 1017;
    case 601:
      return 1018;
    case 602:
      return 1019;
    case 603:
      return 1020;
    case 604:
      return 1027;
    case 628:
      return 629;
    case 650:
      return 651;
    case 700:
      return 1021;
    case 701:
      return 1022;
    case 718:
      return 719;
    case 774:
      return 775;
    case 790:
      return 791;
    case 829:
      return 1040;
    case 869:
      return 1041;
    case 1033:
      return 1034;
    case 1042:
      return 1014;
    case 1043:
      return 1015;
    case 1082:
      return 1182;
    case 1083:
      return 1183;
    case 1114:
      return 1115;
    case 1184:
      return 1185;
    case 1186:
      return 1187;
    case 1266:
      return 1270;
    case 1560:
      return 1561;
    case 1562:
      return 1563;
    case 1700:
      return 1231;
    case 1790:
      return 2201;
    case 2202:
      return 2207;
    case 2203:
      return 2208;
    case 2204:
      return 2209;
    case 2205:
      return 2210;
    case 2206:
      return 2211;
    case 2249:
      return 2287;
    case 2275:
      return 1263;
    case 2950:
      return 2951;
    case 2970:
      return 2949;
    case 3220:
      return 3221;
    case 3614:
      return 3643;
    case 3615:
      return 3645;
    case 3642:
      return 3644;
    case 3734:
      return 3735;
    case 3769:
      return 3770;
    case 3802:
      return 3807;
    case 3904:
      return 3905;
    case 3906:
      return 3907;
    case 3908:
      return 3909;
    case 3910:
      return 3911;
    case 3912:
      return 3913;
    case 3926:
      return 3927;
    case 4072:
      return 4073;
    case 4089:
      return 4090;
    case 4096:
      return 4097;
    case 4191:
      return 4192;
    case 4451:
      return 6150;
    case 4532:
      return 6151;
    case 4533:
      return 6152;
    case 4534:
      return 6153;
    case 4535:
      return 6155;
    case 4536:
      return 6157;
    case 5038:
      return 5039;
    case 5069:
      return 271;
    default:
      return 0;
  }
}

// The element type of a builtin array type, or 0 if `array` is not one.
constexpr Oid builtin_element_oid(Oid array) {
  switch (array) {
    case 1000:
      return 16;
    case 1001:
      return 17;
    case 1002:
      return 18;
    case 1003:
      return 19;
    case 1016:
      return 20;
    case 1005:
      return 21;
    case 1006:
      return 22;
    case 1007:
      return 23;
    case 1008:
      return 24;
    case 1009:
      return 25;
    case 1028:
      return 26;
    case 1010:
      return 27;
    case 1011:
      return 28;
    case 1012:
      return 29;
    case 1013:
      return 30;
    case 199:
      return 114;
    case 143:
      return 142;
    case 1017:
      return 600;
    case 1018:
      return 601;
    case 1019:
      return 602;
    case 1020:
      return 603;
    case 1027:
      return 604;
    case 629:
      return 628;
    case 651:
      return 650;
    case 1021:
      return 700;
    case 1022:
      return 701;
    case 719:
      return 718;
    case 775:
      return 774;
    case 791:
      return 790;
    case 1040:
      return 829;
    case 1041:
      return 869;
    case 1034:
      return 1033;
    case 1014:
      return 1042;
    case 1015:
      return 1043;
    case 1182:
      return 1082;
    case 1183:
      return 1083;
    case 1115:
      return 1114;
    case 1185:
      return 1184;
    case 1187:
      return 1186;
    case 1270:
      return 1266;
    case 1561:
      return 1560;
    case 1563:
      return 1562;
    case 1231:
      return 1700;
    case 2201:
      return 1790;
    case 2207:
      return 2202;
    case 2208:
      return 2203;
    case 2209:
      return 2204;
    case 2210:
      return 2205;
    case 2211:
      return 2206;
    case 2287:
      return 2249;
    case 1263:
      return 2275;
    case 2951:
      return 2950;
    case 2949:
      return 2970;
    case 3221:
      return 3220;
    case 3643:
      return 3614;
    case 3645:
      return 3615;
    case 3644:
      return 3642;
    case 3735:
      return 3734;
    case 3770:
      return 3769;
    case 3807:
      return 3802;
    case 3905:
      return 3904;
    case 3907:
      return 3906;
    case 3909:
      return 3908;
    case 3911:
      return 3910;
    case 3913:
      return 3912;
    case 3927:
      return 3926;
    case 4073:
      return 4072;
    case 4090:
      return 4089;
    case 4097:
      return 4096;
    case 4192:
      return 4191;
    case 6150:
      return 4451;
    case 6151:
      return 4532;
    case 6152:
      return 4533;
    case 6153:
      return 4534;
    case 6155:
      return 4535;
    case 6157:
      return 4536;
    case 5039:
      return 5038;
    case 271:
      return 5069;
    default:
      return 0;
  }
}

}  // namespace pgcpp

#endif  // PGCPP_ADAPT_OID_H_
