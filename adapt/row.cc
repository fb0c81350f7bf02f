#include "pgcpp/adapt/row.h"

#include <atomic>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace pgcpp {

RowDescription::RowDescription(std::vector<Column> columns, const AdaptersMap& adapters)
    : adapters_(adapters) {
  columns_.reserve(columns.size());
  fast_.reserve(columns.size());
  for (Column& c : columns) {
    fast_.push_back({c.type_oid, c.format, adapters_.has_user_loader(c.type_oid, c.format)});
    ColumnState state;
    state.loader = adapters_.get_loader(c.type_oid, c.format);
    state.column = std::move(c);
    columns_.push_back(std::move(state));
  }
}

uint64_t RowDescription::next_id() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

std::optional<size_t> RowDescription::find(std::string_view name) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].column.name == name) return i;
  }
  return std::nullopt;
}

size_t RowDescription::index_of(std::string_view name) const {
  if (std::optional<size_t> i = find(name)) return *i;
  std::string names;
  for (const ColumnState& c : columns_) {
    absl::StrAppend(&names, names.empty() ? "" : ", ", "'", c.column.name, "'");
  }
  throw ProgrammingError(absl::StrCat("no column named '", std::string(name),
                                      "' in the result (columns: ", names, ")"));
}

void Row::throw_field_count(size_t fields, size_t columns) {
  throw ProgrammingError(
      absl::StrCat("a row of ", fields, " field(s) for a result of ", columns, " column(s)"));
}

std::string_view Row::column_name(size_t i) const {
  check_index(i);
  return desc_->column(i).name;
}

Value Row::value(size_t i) const {
  check_index(i);
  return load_value(*desc_, i, fields_[i]);
}

Value Row::load_value(const RowDescription& desc, size_t i, const FieldData& f) {
  if (f.is_null) return Value();
  try {
    return desc.loader(i).load(std::string_view(f.data, static_cast<size_t>(f.size)));
  } catch (const Error&) {
    rethrow_with_column(desc, i);
  }
}

void Row::throw_index(size_t i) const { adapt_internal::throw_column_index(i, fields_.size()); }

void Row::throw_null(const RowDescription& desc, size_t i, std::string_view cpp_type) {
  throw DataError(absl::StrCat("column '", desc.column(i).name, "' (index ", i, ") is NULL, which ",
                               std::string(cpp_type), " cannot hold; read it as std::optional"));
}

void Row::throw_string_view_through_loader(const RowDescription& desc, size_t i) {
  throw ProgrammingError(absl::StrCat("column '", desc.column(i).name, "' (index ", i,
                                      ") has a registered loader, whose result cannot be viewed "
                                      "as std::string_view; read it as std::string"));
}

void Row::rethrow_with_column(const RowDescription& desc, size_t i) {
  const std::string prefix = absl::StrCat("column '", desc.column(i).name, "' (index ", i, "): ");
  try {
    throw;
  } catch (const DataError& e) {
    throw DataError(prefix + e.what());
  } catch (const ProgrammingError& e) {
    throw ProgrammingError(prefix + e.what());
  }
}

namespace adapt_internal {

void throw_column_count(size_t got, size_t expected, std::string_view what) {
  throw ProgrammingError(
      absl::StrCat(std::string(what), " expects ", expected, " column(s), the result has ", got));
}

void throw_no_columns() { throw ProgrammingError("at least one column expected"); }

void throw_column_index(size_t i, size_t columns) {
  throw ProgrammingError(
      absl::StrCat("column index ", i, " out of range: the row has ", columns, " column(s)"));
}

}  // namespace adapt_internal
}  // namespace pgcpp
