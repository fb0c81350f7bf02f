// Composite types (rows): std::tuple, registered structs, and the record wire formats.
//
//   std::tuple<int32_t, std::string, std::optional<double>>  <-> a composite / record
//
//   struct Point3 { double x, y, z; };
//   template <>
//   struct pgcpp::Fields<Point3> {        // field order = the composite's attribute order
//     static constexpr auto kFields = std::make_tuple(pgcpp::field("x", &Point3::x),
//                                                     pgcpp::field("y", &Point3::y),
//                                                     pgcpp::field("z", &Point3::z));
//   };
//   conn.execute("INSERT INTO pts VALUES (%s::point3)", Point3{1, 2, 3});
//   auto p = row.get<Point3>(0);
//
// Fields<T> is also what class rows use to fill a struct by column name (row.h).
//
// Dumped composites have oid 0 so the server takes the type from the context (a cast, or
// the target column); text is the default format. Binary works too when every field's
// C++ type maps to exactly the attribute's type (PostgreSQL checks each field's oid).
// Loading checks the field count; text gives no field oids, binary does and each field's
// oid is checked by its codec. NULL fields need std::optional.
//
// To give a struct the composite's oid, or to load registered composites into Value, use
// register_composite() (adapters_map.h).
#ifndef PGCPP_ADAPT_COMPOSITE_H_
#define PGCPP_ADAPT_COMPOSITE_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "pgcpp/adapt/array.h"
#include "pgcpp/adapt/codec.h"
#include "pgcpp/adapt/oid.h"
#include "pgcpp/adapt/wire.h"

namespace pgcpp {

// A named member of a struct, for Fields<T>.
template <class C, class M>
struct FieldRef {
  using Class = C;
  using Member = M;
  std::string_view name;
  M C::*member;
};
template <class C, class M>
constexpr FieldRef<C, M> field(std::string_view name, M C::*member) {
  return {name, member};
}

// Specialise with `static constexpr auto kFields = std::make_tuple(field(...), ...);`.
template <class T>
struct Fields;

template <class T>
concept HasFields = requires {
  Fields<T>::kFields;
};

namespace adapt_internal {

// Parses a record's text form "(a,b,,\"q\"\"x\")": on_field(std::string_view, bool is_null)
// per field. Raises DataError.
class RecordTextParser {
 public:
  explicit RecordTextParser(std::string_view text) : text_(text) {}
  template <class OnField>
  void parse(OnField&& on_field);

 private:
  std::string_view field(bool& is_null);
  [[noreturn]] void fail(std::string_view what) const;
  std::string_view text_;
  size_t pos_ = 0;
  std::string scratch_;
};

// Record fields in either format: on_field(std::string_view, bool is_null, Oid oid); the
// oid is 0 in text. Returns the field count.
template <class OnField>
size_t parse_record(std::string_view data, Format f, OnField&& on_field);

// Appends one field of a record's text form (quoted and escaped as record_out does).
void append_record_field_text(std::string_view text, std::string& out);

[[noreturn]] void throw_field_count(size_t got, size_t expected, std::string_view cpp_type);

// Writing a record: begin, one field at a time, end.
class RecordWriter {
 public:
  RecordWriter(std::string& out, Format f, size_t nfields) : out_(out), format_(f) {
    if (f == Format::kText) {
      out_.push_back('(');
    } else {
      append_be<int32_t>(out_, static_cast<int32_t>(nfields));
    }
  }
  void null_field(Oid oid) {
    if (format_ == Format::kText) {
      separator();
    } else {
      append_be<uint32_t>(out_, oid);
      append_be<int32_t>(out_, -1);
    }
  }
  // dump(std::string&) appends the field's bytes.
  template <class Dump>
  void field(Oid oid, Dump&& dump) {
    if (format_ == Format::kText) {
      separator();
      std::string text;
      dump(text);
      append_record_field_text(text, out_);
    } else {
      append_be<uint32_t>(out_, oid);
      const size_t len_pos = out_.size();
      append_be<int32_t>(out_, 0);
      dump(out_);
      store_be<int32_t>(out_, len_pos, static_cast<int32_t>(out_.size() - len_pos - 4));
    }
  }
  void finish() {
    if (format_ == Format::kText) out_.push_back(')');
  }

 private:
  void separator() {
    if (!first_) out_.push_back(',');
    first_ = false;
  }
  std::string& out_;
  Format format_;
  bool first_ = true;
};

template <class E>
void write_record_field(RecordWriter& w, const E& v, Format f) {
  using Io = ElementIo<E>;
  const Oid oid = Codec<typename Io::Inner>::oid(f);
  if (Io::is_null(v)) {
    w.null_field(oid);
  } else {
    w.field(oid, [&](std::string& o) { Io::dump(v, f, o); });
  }
}

// Loads a fixed list of fields: load_field(index, std::string_view, is_null, oid).
template <class LoadField>
void load_record_fields(std::string_view data, Format f, size_t expected, NameFn cpp_type,
                        LoadField&& load_field) {
  size_t index = 0;
  const size_t n = parse_record(data, f, [&](std::string_view v, bool is_null, Oid oid) {
    if (index < expected) load_field(index, v, is_null, oid);
    ++index;
  });
  if (n != expected) throw_field_count(n, expected, cpp_type());
}

[[noreturn]] void throw_record_oid(Oid oid, Format f, std::string_view cpp_type);
// Raises ProgrammingError if `oid` is a builtin that is not a composite (record itself is
// fine, and user types cannot be checked without a registry).
inline void check_record_oid(Oid oid, Format f, NameFn cpp_type) {
  if (oid != oids::kInvalid && oid != oids::kRecord && oid < oids::kFirstNormalObjectId) {
    throw_record_oid(oid, f, cpp_type());
  }
}

template <class... Ts>
inline constexpr bool kAllElements = ((ElementDumpable<Ts> || ElementLoadable<Ts>)&&...);

}  // namespace adapt_internal

template <class... Ts>
struct Codec<std::tuple<Ts...>, std::enable_if_t<adapt_internal::kAllElements<Ts...>>> {
  using Tuple = std::tuple<Ts...>;
  static std::string name() {
    std::string n = "std::tuple<";
    bool first = true;
    ((n += (first ? "" : ", ") + adapt_internal::type_name<Ts>(), first = false), ...);
    return n + ">";
  }
  static constexpr Format kAutoFormat = Format::kText;
  static constexpr Oid oid(Format) { return 0; }

  static void dump(const Tuple& v, Format f,
                   std::string& out) requires(adapt_internal::ElementDumpable<Ts>&&...) {
    adapt_internal::RecordWriter w(out, f, sizeof...(Ts));
    std::apply([&](const auto&... e) { (adapt_internal::write_record_field(w, e, f), ...); }, v);
    w.finish();
  }
  static Tuple load(std::string_view data, Format f,
                    Oid oid) requires(adapt_internal::ElementLoadable<Ts>&&...) {
    adapt_internal::check_record_oid(oid, f, &name);
    Tuple out;
    adapt_internal::load_record_fields(
        data, f, sizeof...(Ts), &name,
        [&](size_t index, std::string_view v, bool is_null, Oid field_oid) {
          load_at(out, index, v, is_null, f, field_oid, std::index_sequence_for<Ts...>());
        });
    return out;
  }

 private:
  template <size_t... I>
  static void load_at(Tuple& out, size_t index, std::string_view v, bool is_null, Format f, Oid oid,
                      std::index_sequence<I...>) {
    ((index == I
          ? (void)(std::get<I>(out) = adapt_internal::ElementIo<Ts>::load(v, is_null, f, oid))
          : (void)0),
     ...);
  }
};

// Structs with Fields<T>: a composite with the fields in kFields order.
template <class T>
requires HasFields<T>
struct Codec<T> {
  static constexpr auto& kFields = Fields<T>::kFields;
  static constexpr size_t kCount = std::tuple_size_v<std::decay_t<decltype(Fields<T>::kFields)>>;

  static std::string name() { return adapt_internal::demangle(typeid(T)); }
  static constexpr Format kAutoFormat = Format::kText;
  static constexpr Oid oid(Format) { return 0; }

  static void dump(const T& v, Format f, std::string& out) {
    adapt_internal::RecordWriter w(out, f, kCount);
    std::apply(
        [&](const auto&... fr) { (adapt_internal::write_record_field(w, v.*(fr.member), f), ...); },
        kFields);
    w.finish();
  }
  static T load(std::string_view data, Format f,
                Oid oid) requires std::is_default_constructible_v<T> {
    adapt_internal::check_record_oid(oid, f, &name);
    T out{};
    adapt_internal::load_record_fields(
        data, f, kCount, &name, [&](size_t index, std::string_view v, bool is_null, Oid field_oid) {
          load_at(out, index, v, is_null, f, field_oid, std::make_index_sequence<kCount>());
        });
    return out;
  }

 private:
  template <size_t... I>
  static void load_at(T& out, size_t index, std::string_view v, bool is_null, Format f, Oid oid,
                      std::index_sequence<I...>) {
    ((index == I
          ? (void)(out.*(std::get<I>(kFields).member) = adapt_internal::ElementIo<
                       typename std::decay_t<decltype(std::get<I>(kFields))>::Member>::load(v,
                                                                                            is_null,
                                                                                            f, oid))
          : (void)0),
     ...);
  }
};

// ---- template definitions ------------------------------------------------------------

namespace adapt_internal {

template <class OnField>
void RecordTextParser::parse(OnField&& on_field) {
  if (text_.empty() || text_[0] != '(') fail("expected '('");
  pos_ = 1;
  while (true) {
    bool is_null;
    const std::string_view v = field(is_null);
    on_field(v, is_null);
    if (pos_ >= text_.size()) fail("unexpected end of input");
    if (text_[pos_] == ',') {
      ++pos_;
      continue;
    }
    if (text_[pos_] == ')') {
      ++pos_;
      break;
    }
    fail("expected ',' or ')'");
  }
  if (pos_ != text_.size()) fail("junk after ')'");
}

template <class OnField>
size_t parse_record(std::string_view data, Format f, OnField&& on_field) {
  size_t count = 0;
  if (f == Format::kText) {
    RecordTextParser parser(data);
    parser.parse([&](std::string_view v, bool is_null) {
      on_field(v, is_null, Oid{0});
      ++count;
    });
    return count;
  }
  BinaryReader reader(data, "record");
  const int32_t n = reader.read<int32_t>();
  if (n < 0 || static_cast<size_t>(n) > reader.remaining() / 8) reader.fail("invalid field count");
  for (int32_t i = 0; i < n; ++i) {
    const Oid oid = reader.read<uint32_t>();
    bool is_null;
    const std::string_view v = reader.length_prefixed(is_null);
    on_field(v, is_null, oid);
    ++count;
  }
  reader.expect_end();
  return count;
}

}  // namespace adapt_internal
}  // namespace pgcpp

#endif  // PGCPP_ADAPT_COMPOSITE_H_
