#include "pgcpp/core/column.h"

namespace pgcpp {

namespace {

bool is_time_type(const std::string& name) {
  return name == "time" || name == "timetz" || name == "timestamp" || name == "timestamptz" ||
         name == "interval";
}

ColumnDescription describe(const PGresult* result, int i, const TypesRegistry& types) {
  ColumnDescription c;
  c.name = PQfname(result, i);
  c.type_code = PQftype(result, i);
  c.type_modifier = PQfmod(result, i);
  int size = PQfsize(result, i);
  if (size >= 0) c.internal_size = size;

  // An array is described by its element type, then "[]".
  Oid element = types.element_oid(c.type_code);
  const TypeInfo* info = types.get(element != 0 ? element : c.type_code);
  std::string base = info ? info->name : std::to_string(c.type_code);
  const int fmod = c.type_modifier;
  std::string modifier;
  if (info != nullptr && fmod >= 0) {
    if (base == "varchar" || base == "bpchar") {
      c.display_size = fmod - 4;
      modifier = "(" + std::to_string(fmod - 4) + ")";
    } else if (base == "bit" || base == "varbit") {
      c.display_size = fmod;
      modifier = "(" + std::to_string(fmod) + ")";
    } else if (base == "numeric") {
      c.precision = ((fmod - 4) >> 16) & 0xFFFF;
      c.scale = (fmod - 4) & 0xFFFF;
      modifier = "(" + std::to_string(*c.precision) + "," + std::to_string(*c.scale) + ")";
    } else if (is_time_type(base)) {
      c.precision = fmod & 0xFFFF;
      // An interval's modifier also holds its fields; only the precision is displayed.
      if (base != "interval" || *c.precision != 0xFFFF) {
        modifier = "(" + std::to_string(*c.precision) + ")";
      } else {
        c.precision.reset();
      }
    }
  }
  c.type_display = base + modifier + (element != 0 ? "[]" : "");
  return c;
}

}  // namespace

std::vector<ColumnDescription> describe_columns(const PGresult* result,
                                                const TypesRegistry& types) {
  std::vector<ColumnDescription> columns;
  const int n = result ? PQnfields(result) : 0;
  columns.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) columns.push_back(describe(result, i, types));
  return columns;
}

}  // namespace pgcpp
