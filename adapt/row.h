// Reading result rows: RowDescription (once per result), Row (a view over one row's
// fields), and the row factories (psycopg's tuple_row, dict_row, class_row, scalar_row).
//
// //core describes a result once, then hands adapt each row as FieldData pointing into
// libpq's PGresult (no copy):
//
//   pgcpp::RowDescription desc({{"id", pgcpp::oids::kInt4, pgcpp::Format::kBinary},
//                               {"name", pgcpp::oids::kText, pgcpp::Format::kBinary}},
//                              adapters);                 // loaders chosen here, per column
//   pgcpp::FieldData fields[2] = {...};                   // PQgetvalue/PQgetlength/PQgetisnull
//   pgcpp::Row row(desc, fields);
//   int32_t id = row.get<int32_t>(0);                     // Codec<int32_t>, no lookup
//   std::string_view name = row.get<std::string_view>("name");  // points into the result
//   auto [i, n] = row.as<int32_t, std::string>();
//   pgcpp::Value v = row.value(1);                        // through the column's Loader
//
// get<T> uses T's compiled-in codec unless the map given to the RowDescription has a
// loader registered for that column's type (decided once per column). Errors name the
// column: reading a text column as int64_t raises ProgrammingError("column 'name' (index
// 1): cannot load text (oid 25) binary data into int64_t"); a NULL into a non-optional T
// and malformed or out-of-range values raise DataError.
//
// Row factories make a maker once per result (validating columns then), and the maker
// turns each Row into the user's row type:
//
//   auto make = pgcpp::dict_row(desc);     // DictRow: column name -> Value
//   pgcpp::DictRow d = make(row);
//   auto users = pgcpp::class_row<User>(desc);   // User filled by name (Fields<User>) or
//                                                // by field order (an aggregate)
//   auto count = pgcpp::scalar_row<int64_t>(desc);   // the first column
#ifndef PGCPP_ADAPT_ROW_H_
#define PGCPP_ADAPT_ROW_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "pgcpp/adapt/adapters_map.h"
#include "pgcpp/adapt/codec.h"
#include "pgcpp/adapt/composite.h"
#include "pgcpp/adapt/loader.h"
#include "pgcpp/adapt/oid.h"
#include "pgcpp/adapt/value.h"

namespace pgcpp {

namespace adapt_internal {
// T without std::optional.
template <class T>
struct NullableInner {
  using type = T;
};
template <class T>
struct NullableInner<std::optional<T>> {
  using type = T;
};
}  // namespace adapt_internal

// One result column, as libpq describes it (PQfname, PQftype, PQfformat, PQfmod).
struct Column {
  std::string name;
  Oid type_oid = 0;
  Format format = Format::kText;
  int32_t type_modifier = -1;
};

// One field of one row: libpq's PQgetvalue / PQgetlength / PQgetisnull.
struct FieldData {
  const char* data = nullptr;
  int32_t size = 0;
  bool is_null = true;
};

class RowDescription {
 public:
  RowDescription() = default;
  explicit RowDescription(std::vector<Column> columns,
                          const AdaptersMap& adapters = AdaptersMap::global());

  size_t size() const { return fast_.size(); }
  const Column& column(size_t i) const { return columns_[i].column; }
  // The first column called `name`, if any.
  std::optional<size_t> find(std::string_view name) const;
  // The first column called `name`; ProgrammingError naming it if there is none.
  size_t index_of(std::string_view name) const;
  const Loader& loader(size_t i) const { return *columns_[i].loader; }
  // Whether a user-registered loader overrides the codecs for column i.
  bool has_user_loader(size_t i) const { return fast_[i].user_loader; }
  const AdaptersMap& adapters() const { return adapters_; }

  // What Row::get reads per field, packed.
  struct FastColumn {
    Oid type_oid;
    Format format;
    bool user_loader;
  };
  const FastColumn& fast_column(size_t i) const { return fast_[i]; }
  const FastColumn* fast_columns() const { return fast_.data(); }

 private:
  struct ColumnState {
    Column column;
    std::shared_ptr<const Loader> loader;
  };
  std::vector<ColumnState> columns_;
  std::vector<FastColumn> fast_;
  AdaptersMap adapters_;
};

class Row {
 public:
  // `fields` must have one entry per column (ProgrammingError otherwise). Both must
  // outlive the Row, and so must the result for any string_view taken from it.
  Row(const RowDescription& description, std::span<const FieldData> fields)
      : desc_(&description), fast_(description.fast_columns()), fields_(fields) {
    if (fields.size() != description.size()) [[unlikely]]
      throw_field_count(fields.size(), description.size());
  }

  size_t size() const { return fields_.size(); }
  std::string_view column_name(size_t i) const;
  const RowDescription& description() const { return *desc_; }
  bool is_null(size_t i) const {
    check_index(i);
    return fields_[i].is_null;
  }

  // Field i as T (see the header comment). T = std::optional<U> for nullable columns.
  template <class T>
  T get(size_t i) const;
  template <class T>
  T get(std::string_view name) const {
    return get<T>(desc_->index_of(name));
  }
  // All fields, in order (ProgrammingError unless there are exactly sizeof...(Ts)).
  template <class... Ts>
  std::tuple<Ts...> as() const;

  // Field i loaded by its column's Loader.
  Value value(size_t i) const;
  Value value(std::string_view name) const { return value(desc_->index_of(name)); }

 private:
  void check_index(size_t i) const {
    if (i >= fields_.size()) [[unlikely]]
      throw_index(i);
  }
  template <class T>
  friend class ColumnReader;

  [[noreturn]] static void throw_field_count(size_t fields, size_t columns);
  [[noreturn]] void throw_index(size_t i) const;
  // The general path of get<T> (overrides, NULLs, errors, codecs without try_load), for
  // field `f` of column i.
  template <class T>
  [[gnu::noinline]] static T load_field(const RowDescription& desc, size_t i, const FieldData& f);
  [[noreturn]] static void throw_null(const RowDescription& desc, size_t i,
                                      std::string_view cpp_type);
  [[noreturn]] static void rethrow_with_column(const RowDescription& desc, size_t i);
  [[noreturn]] static void throw_string_view_through_loader(const RowDescription& desc, size_t i);
  template <class T>
  static T load_through_loader(const RowDescription& desc, size_t i, std::string_view data);

  const RowDescription* desc_;
  const RowDescription::FastColumn* fast_;
  std::span<const FieldData> fields_;
};

// Reads column `column` as T from many rows with the per-column decisions taken once: the
// fastest typed access (what typed row iteration should use). Same results and errors as
// Row::get<T>.
//
//   pgcpp::ColumnReader<int64_t> ids(desc, 0);
//   for (each row's fields) sum += ids.read(fields[0]);
template <class T>
class ColumnReader {
 public:
  ColumnReader(const RowDescription& desc, size_t column);
  ColumnReader(const RowDescription& desc, std::string_view name)
      : ColumnReader(desc, desc.index_of(name)) {}

  T read(const FieldData& field) const {
    if constexpr (!std::is_same_v<T, Value> && HasTryLoad<Inner>) {
      if (fast_ && !field.is_null) [[likely]] {
        Inner out;
        if (Codec<Inner>::try_load(std::string_view(field.data, static_cast<size_t>(field.size)),
                                   format_, oid_, out)) [[likely]] {
          return T(std::move(out));
        }
      }
    }
    return slow(field);
  }

 private:
  using Inner = typename adapt_internal::NullableInner<T>::type;
  [[gnu::noinline]] T slow(const FieldData& field) const {
    if constexpr (std::is_same_v<T, Value>) {
      if (field.is_null) return Value();
      return desc_->loader(column_).load(
          std::string_view(field.data, static_cast<size_t>(field.size)));
    } else {
      return Row::load_field<T>(*desc_, column_, field);
    }
  }

  const RowDescription* desc_;
  size_t column_;
  Oid oid_;
  Format format_;
  bool fast_;
};

// ---- row factories ---------------------------------------------------------------------

// dict_row's row: column name -> Value (a later column of the same name wins).
using DictRow = std::map<std::string, Value, std::less<>>;

// tuple_row: every field as a Value, in order.
struct TupleRowFactory {
  auto operator()(const RowDescription&) const {
    return [](const Row& row) {
      std::vector<Value> out;
      out.reserve(row.size());
      for (size_t i = 0; i < row.size(); ++i) out.push_back(row.value(i));
      return out;
    };
  }
};
inline constexpr TupleRowFactory tuple_row{};

// typed_row<Ts...>: std::tuple<Ts...> (checked against the column count once).
template <class... Ts>
struct TypedRowFactory {
  auto operator()(const RowDescription& desc) const;
};
template <class... Ts>
inline constexpr TypedRowFactory<Ts...> typed_row{};

struct DictRowFactory {
  auto operator()(const RowDescription&) const {
    return [](const Row& row) {
      DictRow out;
      for (size_t i = 0; i < row.size(); ++i) {
        out.insert_or_assign(std::string(row.column_name(i)), row.value(i));
      }
      return out;
    };
  }
};
inline constexpr DictRowFactory dict_row{};

// class_row<T>: a T filled by column name for members listed in Fields<T> (every listed
// member needs a column), else by field order for an aggregate (the counts must match).
template <class T>
struct ClassRowFactory {
  auto operator()(const RowDescription& desc) const;
};
template <class T>
inline constexpr ClassRowFactory<T> class_row{};

// scalar_row<T>: the first column as T (ProgrammingError for a result without columns).
template <class T = Value>
struct ScalarRowFactory {
  auto operator()(const RowDescription& desc) const;
};
template <class T = Value>
inline constexpr ScalarRowFactory<T> scalar_row{};

// ---- template definitions ------------------------------------------------------------

namespace adapt_internal {

[[noreturn]] void throw_column_count(size_t got, size_t expected, std::string_view what);
[[noreturn]] void throw_no_columns();
[[noreturn]] void throw_column_index(size_t i, size_t columns);

// The number of fields of an aggregate (up to 16), by trying brace-initialisation.
struct AnyField {
  template <class U>
  operator U() const;  // NOLINT: converts to anything (unevaluated only)
};
template <class T, class... Args>
constexpr size_t aggregate_arity() {
  if constexpr (sizeof...(Args) > 16) {
    return 0;
  } else if constexpr (requires { T{std::declval<Args>()..., AnyField{}}; }) {
    return aggregate_arity<T, Args..., AnyField>();
  } else {
    return sizeof...(Args);
  }
}

template <class T>
T make_by_order(const Row& row);

}  // namespace adapt_internal

template <class T>
inline T Row::get(size_t i) const {
  using Inner = typename adapt_internal::NullableInner<T>::type;
  if constexpr (!std::is_same_v<T, Value> && HasTryLoad<Inner>) {
    // The hot path: a plain field of a column without override, decoded inline.
    if (i < fields_.size()) [[likely]] {
      const FieldData& f = fields_[i];
      const RowDescription::FastColumn& c = fast_[i];
      if (!f.is_null && !c.user_loader) [[likely]] {
        Inner out;
        if (Codec<Inner>::try_load(std::string_view(f.data, static_cast<size_t>(f.size)), c.format,
                                   c.type_oid, out)) [[likely]] {
          return T(std::move(out));
        }
      }
    }
  }
  check_index(i);
  if constexpr (std::is_same_v<T, Value>) {
    return value(i);
  } else {
    return load_field<T>(*desc_, i, fields_[i]);
  }
}

template <class T>
T Row::load_field(const RowDescription& desc, size_t i, const FieldData& field) {
  using Inner = typename adapt_internal::NullableInner<T>::type;
  if (field.is_null) {
    if constexpr (kIsNullable<T>) {
      return NullableTraits<T>::null();
    } else {
      throw_null(desc, i, adapt_internal::type_name<T>());
    }
  }
  const std::string_view data(field.data, static_cast<size_t>(field.size));
  const RowDescription::FastColumn& c = desc.fast_column(i);
  if (c.user_loader) [[unlikely]] {
    return T(load_through_loader<Inner>(desc, i, data));
  }
  if constexpr (StaticLoadable<Inner>) {
    try {
      return T(Codec<Inner>::load(data, c.format, c.type_oid));
    } catch (const Error&) {
      rethrow_with_column(desc, i);
    }
  } else {
    return T(load_through_loader<Inner>(desc, i, data));
  }
}

template <class T>
T Row::load_through_loader(const RowDescription& desc, size_t i, std::string_view data) {
  if constexpr (std::is_same_v<T, std::string_view>) {
    throw_string_view_through_loader(desc, i);
  } else {
    try {
      const Loader& loader = desc.loader(i);
      if (const auto* typed = dynamic_cast<const TypedLoader<T>*>(&loader)) {
        return typed->load_value(data);
      }
      return loader.load(data).template as<T>();
    } catch (const Error&) {
      rethrow_with_column(desc, i);
    }
  }
}

template <class T>
ColumnReader<T>::ColumnReader(const RowDescription& desc, size_t column)
    : desc_(&desc), column_(column) {
  if (column >= desc.size()) adapt_internal::throw_column_index(column, desc.size());
  const RowDescription::FastColumn& c = desc.fast_column(column);
  oid_ = c.type_oid;
  format_ = c.format;
  fast_ = !c.user_loader;
}

template <class... Ts>
std::tuple<Ts...> Row::as() const {
  if (size() != sizeof...(Ts)) {
    adapt_internal::throw_column_count(size(), sizeof...(Ts), "Row::as");
  }
  return [&]<size_t... I>(std::index_sequence<I...>) { return std::tuple<Ts...>(get<Ts>(I)...); }
  (std::index_sequence_for<Ts...>());
}

template <class... Ts>
auto TypedRowFactory<Ts...>::operator()(const RowDescription& desc) const {
  if (desc.size() != sizeof...(Ts)) {
    adapt_internal::throw_column_count(desc.size(), sizeof...(Ts), "typed_row");
  }
  return [](const Row& row) {
    return [&]<size_t... I>(std::index_sequence<I...>) {
      return std::tuple<Ts...>(row.get<Ts>(I)...);
    }
    (std::index_sequence_for<Ts...>());
  };
}

template <class T>
auto ClassRowFactory<T>::operator()(const RowDescription& desc) const {
  if constexpr (HasFields<T>) {
    constexpr size_t n = std::tuple_size_v<std::decay_t<decltype(Fields<T>::kFields)>>;
    std::array<size_t, n> index{};
    [&]<size_t... I>(std::index_sequence<I...>) {
      ((index[I] = desc.index_of(std::get<I>(Fields<T>::kFields).name)), ...);
    }
    (std::make_index_sequence<n>());
    return [index](const Row& row) {
      T out{};
      [&]<size_t... I>(std::index_sequence<I...>) {
        ((out.*(std::get<I>(Fields<T>::kFields).member) =
              row.get<typename std::decay_t<decltype(std::get<I>(Fields<T>::kFields))>::Member>(
                  index[I])),
         ...);
      }
      (std::make_index_sequence<n>());
      return out;
    };
  } else {
    static_assert(std::is_aggregate_v<T>,
                  "class_row<T> needs Fields<T> (by name) or an aggregate T (by order)");
    constexpr size_t n = adapt_internal::aggregate_arity<T>();
    if (desc.size() != n) adapt_internal::throw_column_count(desc.size(), n, "class_row");
    return [](const Row& row) { return adapt_internal::make_by_order<T>(row); };
  }
}

template <class T>
auto ScalarRowFactory<T>::operator()(const RowDescription& desc) const {
  if (desc.size() == 0) adapt_internal::throw_no_columns();
  return [](const Row& row) { return row.get<T>(0); };
}

namespace adapt_internal {

// Fills an aggregate's members from fields 0..n-1 through structured bindings.
template <class T>
T make_by_order(const Row& row) {
  constexpr size_t n = aggregate_arity<T>();
  T out{};
  auto fill = [&row](auto&... members) {
    size_t i = 0;
    ((members = row.get<std::remove_cvref_t<decltype(members)>>(i++)), ...);
  };
  // clang-format off
  if constexpr (n == 1) { auto& [a] = out; fill(a); }
  else if constexpr (n == 2) { auto& [a, b] = out; fill(a, b); }
  else if constexpr (n == 3) { auto& [a, b, c] = out; fill(a, b, c); }
  else if constexpr (n == 4) { auto& [a, b, c, d] = out; fill(a, b, c, d); }
  else if constexpr (n == 5) { auto& [a, b, c, d, e] = out; fill(a, b, c, d, e); }
  else if constexpr (n == 6) { auto& [a, b, c, d, e, f] = out; fill(a, b, c, d, e, f); }
  else if constexpr (n == 7) { auto& [a, b, c, d, e, f, g] = out; fill(a, b, c, d, e, f, g); }
  else if constexpr (n == 8) { auto& [a, b, c, d, e, f, g, h] = out; fill(a, b, c, d, e, f, g, h); }
  else if constexpr (n == 9) {
    auto& [a, b, c, d, e, f, g, h, i] = out; fill(a, b, c, d, e, f, g, h, i);
  } else if constexpr (n == 10) {
    auto& [a, b, c, d, e, f, g, h, i, j] = out; fill(a, b, c, d, e, f, g, h, i, j);
  } else if constexpr (n == 11) {
    auto& [a, b, c, d, e, f, g, h, i, j, k] = out; fill(a, b, c, d, e, f, g, h, i, j, k);
  } else if constexpr (n == 12) {
    auto& [a, b, c, d, e, f, g, h, i, j, k, l] = out; fill(a, b, c, d, e, f, g, h, i, j, k, l);
  } else {
    static_assert(n >= 1 && n <= 12, "class_row by field order supports 1 to 12 members; "
                                     "use Fields<T> for larger structs");
  }
  // clang-format on
  return out;
}

}  // namespace adapt_internal
}  // namespace pgcpp

#endif  // PGCPP_ADAPT_ROW_H_
