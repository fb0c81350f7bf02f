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

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>
#include <string_view>
#include <utility>

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
// The builtin date/time types: date, time, timetz, timestamp, timestamptz and interval.
constexpr bool is_datetime_oid(Oid oid) {
  switch (oid) {
    case oids::kDate:
    case oids::kTime:
    case oids::kTimetz:
    case oids::kTimestamp:
    case oids::kTimestamptz:
    case oids::kInterval:
      return true;
    default:
      return false;
  }
}

// The builtin {element, array} type pairs (pg_type.dat), sorted by element.
inline constexpr std::pair<Oid, Oid> kBuiltinArrayTypes[] = {
    {16, 1000},   {17, 1001},   {18, 1002},   {19, 1003},   {20, 1016},   {21, 1005},
    {22, 1006},   {23, 1007},   {24, 1008},   {25, 1009},   {26, 1028},   {27, 1010},
    {28, 1011},   {29, 1012},   {30, 1013},   {114, 199},   {142, 143},   {600, 1017},
    {601, 1018},  {602, 1019},  {603, 1020},  {604, 1027},  {628, 629},   {650, 651},
    {700, 1021},  {701, 1022},  {718, 719},   {774, 775},   {790, 791},   {829, 1040},
    {869, 1041},  {1033, 1034}, {1042, 1014}, {1043, 1015}, {1082, 1182}, {1083, 1183},
    {1114, 1115}, {1184, 1185}, {1186, 1187}, {1266, 1270}, {1560, 1561}, {1562, 1563},
    {1700, 1231}, {1790, 2201}, {2202, 2207}, {2203, 2208}, {2204, 2209}, {2205, 2210},
    {2206, 2211}, {2249, 2287}, {2275, 1263}, {2950, 2951}, {2970, 2949}, {3220, 3221},
    {3614, 3643}, {3615, 3645}, {3642, 3644}, {3734, 3735}, {3769, 3770}, {3802, 3807},
    {3904, 3905}, {3906, 3907}, {3908, 3909}, {3910, 3911}, {3912, 3913}, {3926, 3927},
    {4072, 4073}, {4089, 4090}, {4096, 4097}, {4191, 4192}, {4451, 6150}, {4532, 6151},
    {4533, 6152}, {4534, 6153}, {4535, 6155}, {4536, 6157}, {5038, 5039}, {5069, 271}};
// The same pairs as {array, element}, sorted by array.
inline constexpr auto kBuiltinArrayElements = [] {
  std::array<std::pair<Oid, Oid>, std::size(kBuiltinArrayTypes)> pairs{};
  for (size_t i = 0; i < pairs.size(); ++i) {
    pairs[i] = {kBuiltinArrayTypes[i].second, kBuiltinArrayTypes[i].first};
  }
  std::sort(pairs.begin(), pairs.end());
  return pairs;
}();
static_assert(std::is_sorted(std::begin(kBuiltinArrayTypes), std::end(kBuiltinArrayTypes)));

// The second oid of the pair whose first is `key` in `pairs` (sorted by first), or 0.
constexpr Oid find_paired_oid(std::span<const std::pair<Oid, Oid>> pairs, Oid key) {
  const auto it = std::lower_bound(pairs.begin(), pairs.end(), key,
                                   [](const std::pair<Oid, Oid>& p, Oid k) { return p.first < k; });
  return it != pairs.end() && it->first == key ? it->second : 0;
}
}  // namespace adapt_internal

// The array type of a builtin type, or 0 (also for user types: ask a TypesRegistry).
constexpr Oid builtin_array_oid(Oid element) {
  return adapt_internal::find_paired_oid(adapt_internal::kBuiltinArrayTypes, element);
}

// The element type of a builtin array type, or 0 if `array` is not one.
constexpr Oid builtin_element_oid(Oid array) {
  return adapt_internal::find_paired_oid(adapt_internal::kBuiltinArrayElements, array);
}

}  // namespace pgcpp

#endif  // PGCPP_ADAPT_OID_H_
