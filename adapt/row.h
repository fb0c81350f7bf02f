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
template <class T>
class FieldReader;
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
  // Identifies these columns: a copy (or a moved-to description) keeps it, a description
  // constructed anew gets another. Lets a row maker check cheaply that a row is described
  // by the columns it was made for.
  uint64_t id() const { return id_; }

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
  static uint64_t next_id();

  std::vector<ColumnState> columns_;
  std::vector<FastColumn> fast_;
  AdaptersMap adapters_;
  uint64_t id_ = next_id();
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
  // The raw fields (for ColumnReader::read).
  std::span<const FieldData> fields() const { return fields_; }

  // Field i as T (see the header comment). T = std::optional<U> for nullable columns.
  template <class T>
  [[gnu::always_inline]] T get(size_t i) const;
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
  friend class adapt_internal::FieldReader;

  [[noreturn]] static void throw_field_count(size_t fields, size_t columns);
  [[noreturn]] void throw_index(size_t i) const;
  // The general path of get<T> (overrides, NULLs, errors, codecs without a fast path), for
  // field `f` of column i.
  template <class T>
  [[gnu::noinline]] static T load_field(const RowDescription& desc, size_t i, const FieldData& f);
  [[noreturn]] static void throw_null(const RowDescription& desc, size_t i,
                                      std::string_view cpp_type);
  [[noreturn]] static void rethrow_with_column(const RowDescription& desc, size_t i);
  [[noreturn]] static void throw_string_view_through_loader(const RowDescription& desc, size_t i);
  template <class T>
  static T load_through_loader(const RowDescription& desc, size_t i, std::string_view data);
  // Field `f` of column i as a Value, through the column's Loader.
  static Value load_value(const RowDescription& desc, size_t i, const FieldData& f);

  const RowDescription* desc_;
  const RowDescription::FastColumn* fast_;
  std::span<const FieldData> fields_;
};

namespace adapt_internal {

// Reads one column as T with the per-column decisions taken (the codec's FastLoad), given
// the description per call: what ColumnReader and the typed row makers keep (a maker may
// outlive or move with the description it was made from, so it holds none).
template <class T>
class FieldReader {
 public:
  FieldReader(const RowDescription& desc, size_t column);

  // The field of `row` in this reader's column; `row` must be described by the columns the
  // reader was made for (RowDescription::id()).
  PGCPP_ALWAYS_INLINE T read(const Row& row) const {
    return read(*row.desc_, row.fields_.data()[column_]);
  }
  PGCPP_ALWAYS_INLINE T read(const RowDescription& desc, const FieldData& field) const {
    if constexpr (HasFixedFastLoad<Inner>) {
      // The usual fixed-size binary value: one test for size and kind, then the decode.
      if (field.size == fixed_size_ && !field.is_null) [[likely]] {
        Inner out;
        if (Codec<Inner>::load_fast(Codec<Inner>::kFixedKind,
                                    std::string_view(field.data, Codec<Inner>::kFixedSize), out))
            [[likely]] {
          return T(std::move(out));
        }
        return slow(desc, field);
      }
    }
    if constexpr (std::is_same_v<T, Inner> && !std::is_trivially_copyable_v<T>) {
      // One object, returned in place (a value holding a string or a vector is not moved
      // once more on its way out).
      T out;
      if (field.is_null ||
          !fast_(std::string_view(field.data, static_cast<size_t>(field.size)), out)) [[unlikely]] {
        out = slow(desc, field);
      }
      return out;
    } else if constexpr (!std::is_same_v<T, Value>) {
      if (!field.is_null) [[likely]] {
        Inner out;
        if (fast_(std::string_view(field.data, static_cast<size_t>(field.size)), out)) [[likely]]
          return T(std::move(out));
      }
    }
    return slow(desc, field);
  }

 private:
  using Inner = typename NullableInner<T>::type;
  [[gnu::noinline]] T slow(const RowDescription& desc, const FieldData& field) const {
    if constexpr (std::is_same_v<T, Value>) {
      return Row::load_value(desc, column_, field);
    } else {
      return Row::load_field<T>(desc, column_, field);
    }
  }

  size_t column_;
  FastLoad<Inner> fast_;  // default (never loads) for a column with a user loader
  int32_t fixed_size_;    // fast_.fixed_size()
};

// The FieldReaders of a row maker, for the columns of the description they were made
// from. A maker reads through them when a row is described by those columns (the usual
// case), and through Row::get otherwise (a cursor whose result changed during an
// iteration), so either way it gives Row::get's results and errors.
template <class... Ts>
class FieldReaders {
 public:
  FieldReaders(const RowDescription& desc, const std::array<size_t, sizeof...(Ts)>& columns)
      : id_(desc.id()), readers_(make(desc, columns, std::index_sequence_for<Ts...>())) {}

  bool applies_to(const Row& row) const { return row.description().id() == id_; }
  // Field I; only where applies_to(row).
  template <size_t I>
  PGCPP_ALWAYS_INLINE auto read(const Row& row) const {
    return std::get<I>(readers_).read(row);
  }

 private:
  template <size_t... I>
  static std::tuple<FieldReader<Ts>...> make(const RowDescription& desc,
                                             const std::array<size_t, sizeof...(Ts)>& columns,
                                             std::index_sequence<I...>) {
    return std::tuple<FieldReader<Ts>...>(FieldReader<Ts>(desc, columns[I])...);
  }

  uint64_t id_;
  std::tuple<FieldReader<Ts>...> readers_;
};

// Columns 0..n-1.
template <size_t n>
constexpr std::array<size_t, n> first_columns() {
  std::array<size_t, n> out{};
  for (size_t i = 0; i < n; ++i) out[i] = i;
  return out;
}

}  // namespace adapt_internal

// Reads column `column` as T from many rows with the per-column decisions (oid, format,
// codec, size) taken once, leaving per value the NULL test and the decode: the fastest
// typed access, which typed row iteration uses. Same results and errors as Row::get<T>.
// The description must outlive the reader.
//
//   pgcpp::ColumnReader<int64_t> ids(desc, 0);
//   for (each row's fields) sum += ids.read(fields[0]);
template <class T>
class ColumnReader {
 public:
  ColumnReader(const RowDescription& desc, size_t column) : desc_(&desc), reader_(desc, column) {}
  ColumnReader(const RowDescription& desc, std::string_view name)
      : ColumnReader(desc, desc.index_of(name)) {}

  PGCPP_ALWAYS_INLINE T read(const FieldData& field) const { return reader_.read(*desc_, field); }

 private:
  const RowDescription* desc_;
  adapt_internal::FieldReader<T> reader_;
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

// References to an aggregate's members, in order (std::tie through structured bindings).
template <class T>
auto tie_members(T& out) {
  constexpr size_t n = aggregate_arity<T>();
  // clang-format off
  if constexpr (n == 1) { auto& [a] = out; return std::tie(a); }
  else if constexpr (n == 2) { auto& [a, b] = out; return std::tie(a, b); }
  else if constexpr (n == 3) { auto& [a, b, c] = out; return std::tie(a, b, c); }
  else if constexpr (n == 4) { auto& [a, b, c, d] = out; return std::tie(a, b, c, d); }
  else if constexpr (n == 5) { auto& [a, b, c, d, e] = out; return std::tie(a, b, c, d, e); }
  else if constexpr (n == 6) { auto& [a, b, c, d, e, f] = out; return std::tie(a, b, c, d, e, f); }
  else if constexpr (n == 7) {
    auto& [a, b, c, d, e, f, g] = out; return std::tie(a, b, c, d, e, f, g);
  } else if constexpr (n == 8) {
    auto& [a, b, c, d, e, f, g, h] = out; return std::tie(a, b, c, d, e, f, g, h);
  } else if constexpr (n == 9) {
    auto& [a, b, c, d, e, f, g, h, i] = out; return std::tie(a, b, c, d, e, f, g, h, i);
  } else if constexpr (n == 10) {
    auto& [a, b, c, d, e, f, g, h, i, j] = out; return std::tie(a, b, c, d, e, f, g, h, i, j);
  } else if constexpr (n == 11) {
    auto& [a, b, c, d, e, f, g, h, i, j, k] = out;
    return std::tie(a, b, c, d, e, f, g, h, i, j, k);
  } else if constexpr (n == 12) {
    auto& [a, b, c, d, e, f, g, h, i, j, k, l] = out;
    return std::tie(a, b, c, d, e, f, g, h, i, j, k, l);
  } else {
    static_assert(n >= 1 && n <= 12, "class_row by field order supports 1 to 12 members; "
                                     "use Fields<T> for larger structs");
  }
  // clang-format on
}

// FieldReaders<member types of T...> (declaration only: for decltype).
template <class T, size_t... I>
auto member_readers(std::index_sequence<I...>) -> FieldReaders<
    std::remove_reference_t<std::tuple_element_t<I, decltype(tie_members(std::declval<T&>()))>>...>;

}  // namespace adapt_internal

template <class T>
PGCPP_ALWAYS_INLINE T Row::get(size_t i) const {
  using Inner = typename adapt_internal::NullableInner<T>::type;
  if constexpr (!std::is_same_v<T, Value> && HasTryLoad<Inner>) {
    // The hot path: a plain field of a column without override, decoded inline.
    if (i < fields_.size()) [[likely]] {
      const FieldData& f = fields_[i];
      const RowDescription::FastColumn& c = fast_[i];
      if (!f.is_null && !c.user_loader) [[likely]] {
        Inner out;
        if (FastLoad<Inner>(c.format, c.type_oid)(
                std::string_view(f.data, static_cast<size_t>(f.size)), out)) [[likely]] {
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

namespace adapt_internal {
template <class T>
FieldReader<T>::FieldReader(const RowDescription& desc, size_t column) : column_(column) {
  if (column >= desc.size()) throw_column_index(column, desc.size());
  const RowDescription::FastColumn& c = desc.fast_column(column);
  if (!c.user_loader) fast_ = FastLoad<Inner>(c.format, c.type_oid);
  fixed_size_ = fast_.fixed_size();
}
}  // namespace adapt_internal

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
  return [readers = adapt_internal::FieldReaders<Ts...>(
              desc, adapt_internal::first_columns<sizeof...(Ts)>())](const Row& row) {
    return [&]<size_t... I>(std::index_sequence<I...>) {
      if (readers.applies_to(row)) [[likely]] {
        return std::tuple<Ts...>(readers.template read<I>(row)...);
      }
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
    using Readers = decltype([]<size_t... I>(std::index_sequence<I...>) {
      return std::type_identity<adapt_internal::FieldReaders<
          typename std::decay_t<decltype(std::get<I>(Fields<T>::kFields))>::Member...>>();
    }(std::make_index_sequence<n>()))::type;
    return [index, readers = Readers(desc, index)](const Row& row) {
      T out{};
      [&]<size_t... I>(std::index_sequence<I...>) {
        if (readers.applies_to(row)) [[likely]] {
          ((out.*(std::get<I>(Fields<T>::kFields).member) = readers.template read<I>(row)), ...);
          return;
        }
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
    using Readers = decltype(adapt_internal::member_readers<T>(std::make_index_sequence<n>()));
    return [readers = Readers(desc, adapt_internal::first_columns<n>())](const Row& row) {
      T out{};
      auto members = adapt_internal::tie_members(out);
      [&]<size_t... I>(std::index_sequence<I...>) {
        if (readers.applies_to(row)) [[likely]] {
          ((std::get<I>(members) = readers.template read<I>(row)), ...);
          return;
        }
        ((std::get<I>(members) =
              row.get<std::remove_reference_t<std::tuple_element_t<I, decltype(members)>>>(I)),
         ...);
      }
      (std::make_index_sequence<n>());
      return out;
    };
  }
}

template <class T>
auto ScalarRowFactory<T>::operator()(const RowDescription& desc) const {
  if (desc.size() == 0) adapt_internal::throw_no_columns();
  return [readers = adapt_internal::FieldReaders<T>(desc, {0})](const Row& row) {
    if (readers.applies_to(row)) [[likely]] {
      return readers.template read<0>(row);
    }
    return row.get<T>(0);
  };
}

}  // namespace pgcpp

#endif  // PGCPP_ADAPT_ROW_H_
