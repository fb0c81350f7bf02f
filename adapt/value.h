// Value: a dynamically typed PostgreSQL value, for data whose types are known at run time.
//
// A Value holds NULL or one C++ value per PostgreSQL type family: bool, int16_t, int32_t,
// int64_t, float, double, Numeric, std::string, Bytes, Date, Time, TimeTz, Timestamp,
// TimestampTz, Interval, Uuid, Json, Jsonb, Inet, Cidr, Array<Value>, Range<Value>,
// Multirange<Value>, Record (a composite), Hstore, or any other C++ type (AnyValue, e.g.
// a registered enum). Loading a field into a Value picks the alternative from the
// column's type (row.value(i), dict rows); dumping a Value sends what it holds.
//
//   pgcpp::Value v = row.value(0);
//   if (v.holds<int32_t>()) use(v.get<int32_t>());
//   int64_t n = v.as<int64_t>();                    // converting, range-checked
//   auto ids = v.as<std::vector<int64_t>>();        // arrays convert element-wise
//   std::vector<pgcpp::Value> params = {1, "x", pgcpp::Value()};  // NULL
//
// get<T>() requires the exact alternative (ProgrammingError naming both types otherwise);
// as<T>() converts where that is lossless: integers with range checks, containers
// element-wise, std::optional for NULL, and any type with a Codec through its text form.
#ifndef PGCPP_ADAPT_VALUE_H_
#define PGCPP_ADAPT_VALUE_H_

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <typeindex>
#include <typeinfo>
#include <utility>
#include <variant>
#include <vector>

#include "pgcpp/adapt/array.h"
#include "pgcpp/adapt/codec.h"
#include "pgcpp/adapt/composite.h"
#include "pgcpp/adapt/datetime.h"
#include "pgcpp/adapt/dumper.h"
#include "pgcpp/adapt/hstore.h"
#include "pgcpp/adapt/inet.h"
#include "pgcpp/adapt/json.h"
#include "pgcpp/adapt/numbers.h"
#include "pgcpp/adapt/numeric.h"
#include "pgcpp/adapt/range.h"
#include "pgcpp/adapt/text.h"
#include "pgcpp/adapt/types_registry.h"
#include "pgcpp/adapt/uuid.h"

namespace pgcpp {

class Value;

namespace adapt_internal {
template <class T, class V>
struct IsVariantMember : std::false_type {};
template <class T, class... Ts>
struct IsVariantMember<T, std::variant<Ts...>>
    : std::bool_constant<(std::is_same_v<T, Ts> || ...)> {};
}  // namespace adapt_internal

// A heap-allocated T with value semantics, so that Value can hold types that contain
// Values by value (Range<Value>).
template <class T>
class Box {
 public:
  // Constrained so that overload resolution never needs T complete.
  template <class U>
  requires std::is_same_v<std::remove_cvref_t<U>, T> Box(U&& v)
      : p_(std::make_unique<T>(std::forward<U>(v))) {}  // NOLINT: implicit like T
  Box(const Box& o) : p_(std::make_unique<T>(*o.p_)) {}
  Box(Box&&) noexcept = default;
  Box& operator=(const Box& o) {
    p_ = std::make_unique<T>(*o.p_);
    return *this;
  }
  Box& operator=(Box&&) noexcept = default;
  ~Box() = default;

  const T& operator*() const { return *p_; }
  const T* operator->() const { return p_.get(); }
  friend bool operator==(const Box& a, const Box& b) { return *a.p_ == *b.p_; }

 private:
  std::unique_ptr<T> p_;
};

// Type-erased operations on one C++ type: how AnyValue and ParamRef (params.h) compare,
// name and, when the type has a Codec, dump it. One static instance per type.
struct TypeOps {
  const std::type_info* type;
  std::string (*name)();
  bool (*equal)(const void*, const void*);  // nullptr: the type has no operator==
  // The static codec; dump is nullptr when the type has none.
  void (*dump)(const void*, Format, std::string&);
  void (*quote)(const void*, std::string&);
  Oid (*oid)(Format);
  Format auto_format;
};

template <class T>
const TypeOps& type_ops() {
  static const TypeOps ops = [] {
    TypeOps o{};
    o.type = &typeid(T);
    o.name = &adapt_internal::type_name<T>;
    if constexpr (std::equality_comparable<T>) {
      o.equal = [](const void* a, const void* b) {
        return *static_cast<const T*>(a) == *static_cast<const T*>(b);
      };
    }
    if constexpr (StaticDumpable<T>) {
      o.dump = [](const void* v, Format f, std::string& out) {
        Codec<T>::dump(*static_cast<const T*>(v), f, out);
      };
      o.quote = [](const void* v, std::string& out) {
        quote_value(*static_cast<const T*>(v), out);
      };
      o.oid = [](Format f) { return Codec<T>::oid(f); };
      o.auto_format = Codec<T>::kAutoFormat;
    }
    return o;
  }();
  return ops;
}

// Any C++ value (immutable, shared on copy), for types Value has no alternative for.
class AnyValue {
 public:
  template <class T>
  explicit AnyValue(T v) : ptr_(std::make_shared<const T>(std::move(v))), ops_(&type_ops<T>()) {}

  std::type_index type() const { return *ops_->type; }
  const TypeOps& ops() const { return *ops_; }
  const void* data() const { return ptr_.get(); }
  template <class T>
  const T* get_if() const {
    return type() == typeid(T) ? static_cast<const T*>(ptr_.get()) : nullptr;
  }
  // Same type and equal by T's operator== (the same object when T has none).
  friend bool operator==(const AnyValue& a, const AnyValue& b) {
    if (a.type() != b.type()) return false;
    if (a.ops_->equal == nullptr) return a.ptr_ == b.ptr_;
    return a.ops_->equal(a.data(), b.data());
  }

 private:
  std::shared_ptr<const void> ptr_;
  const TypeOps* ops_;
};

// A composite value: its type's oid (0 or record for anonymous rows) and its fields.
struct Record {
  Oid type_oid = 0;
  std::vector<Value> fields;
  friend bool operator==(const Record&, const Record&) = default;
};

class Value {
 public:
  using Storage = std::variant<std::monostate, bool, int16_t, int32_t, int64_t, float, double,
                               Numeric, std::string, Bytes, Date, Time, TimeTz, Timestamp,
                               TimestampTz, Interval, Uuid, Json, Jsonb, Inet, Cidr, Array<Value>,
                               Box<Range<Value>>, Multirange<Value>, Record, Hstore, AnyValue>;

  template <class T>
  static constexpr bool kIsAlternative =
      !std::is_same_v<T, std::monostate> && !std::is_same_v<T, Box<Range<Value>>> &&
      adapt_internal::IsVariantMember<T, Storage>::value;

  // NULL.
  Value() = default;
  Value(std::nullptr_t) {}  // NOLINT: NULL
  Value(std::nullopt_t) {}  // NOLINT: NULL
  template <class T>
  requires kIsAlternative<std::remove_cvref_t<T>> Value(T&& v)
      : v_(std::forward<T>(v)) {}  // NOLINT: any alternative converts
  Value(const char* s) {           // NOLINT: string literals; nullptr is NULL
    if (s != nullptr) v_ = std::string(s);
  }
  Value(std::string_view s) : v_(std::string(s)) {}               // NOLINT
  Value(Range<Value> r) : v_(Box<Range<Value>>(std::move(r))) {}  // NOLINT
  // Other integer types map as their Codec does: int8_t -> int16_t, uint16_t -> int32_t,
  // uint32_t and long long -> int64_t, uint64_t -> Numeric.
  template <std::integral I>
  requires(!kIsAlternative<I> && adapt_internal::kIsAdaptedInteger<I>) Value(I v)
      : v_(convert_integer(v)) {}  // NOLINT

  // A Value holding `v`: its alternative when it has one; std::optional (NULL or the
  // value), vectors and Array (Array<Value>), Range, Multirange and tuples (Record)
  // element-wise; anything else as an AnyValue.
  template <class T>
  static Value from(const T& v);
  template <class T>
  static Value custom(T v) {
    Value out;
    out.v_ = AnyValue(std::move(v));
    return out;
  }

  bool is_null() const { return v_.index() == 0; }
  const Storage& storage() const { return v_; }
  // The C++ type held ("int32_t", "std::string", "NULL", ...).
  std::string type_name() const;
  // The text form (as sent in text format); "NULL" for NULL.
  std::string to_string() const;

  // Whether the Value holds exactly a T (Range<Value> included; AnyValue payloads too).
  template <class T>
  bool holds() const;
  // The held T; ProgrammingError naming the held type if it is something else.
  template <class T>
  const T& get() const;
  // The value converted to T (see the header comment); DataError for NULL into a
  // non-optional T or an out-of-range number, ProgrammingError for unrelated types.
  template <class T>
  T as() const;

  friend bool operator==(const Value& a, const Value& b) { return a.v_ == b.v_; }

 private:
  template <class I>
  static auto convert_integer(I v) {
    if constexpr (Codec<I>::kOid == oids::kInt2) {
      return static_cast<int16_t>(v);
    } else if constexpr (Codec<I>::kOid == oids::kInt4) {
      return static_cast<int32_t>(v);
    } else if constexpr (Codec<I>::kOid == oids::kInt8) {
      return static_cast<int64_t>(v);
    } else {
      return Numeric(v);
    }
  }
  [[noreturn]] void throw_wrong_type(std::string_view wanted) const;

  Storage v_;
};

using ValueArray = Array<Value>;
using ValueRange = Range<Value>;

// ---- dumping Values --------------------------------------------------------------------

// What dumping needs from its surroundings: user dumpers and the types registry.
// AdaptersMap implements it; `builtins()` is the context with neither.
class DumpContext {
 public:
  virtual ~DumpContext() = default;
  // False when no dumper was registered (lets the hot path skip lookups).
  virtual bool has_user_dumpers() const = 0;
  // The user dumper registered for `type` and `format`, or nullptr.
  virtual const Dumper* find_dumper(std::type_index type, ParamFormat format) const = 0;
  virtual const TypesRegistry& types() const = 0;

  static const DumpContext& builtins();
};

// The result of dumping one value: what libpq needs beside the bytes.
struct DumpInfo {
  Oid oid = 0;
  Format format = Format::kText;
  bool is_null = false;
};

// Appends `v`'s wire form to `out` (nothing for NULL).
DumpInfo dump_value(const Value& v, ParamFormat format, const DumpContext& ctx, std::string& out);
// Appends `v` as an SQL literal (without a ::type cast) and returns the oid of its text
// form, for as_literal().
Oid quote_value(const Value& v, const DumpContext& ctx, std::string& out);

// ---- template definitions ------------------------------------------------------------

namespace adapt_internal {

[[noreturn]] void throw_value_null(std::string_view target);
// ProgrammingError("cannot adapt type 'T' using placeholder '%s' (format: AUTO)").
[[noreturn]] void throw_cannot_adapt(std::string_view type, ParamFormat format);
[[noreturn]] void throw_value_convert(std::string_view held, std::string_view target);

template <class T>
struct IsVector : std::false_type {};
template <class T>
struct IsVector<std::vector<T>> : std::true_type {};
// A std::vector with an array codec (not std::vector<std::byte>).
template <class T>
struct IsVectorArray : std::false_type {};
template <class T>
struct IsVectorArray<std::vector<T>> : std::bool_constant<kIsVectorArray<T>> {};
template <class T>
struct IsArrayT : std::false_type {};
template <class T>
struct IsArrayT<Array<T>> : std::true_type {};
template <class T>
struct IsRange : std::false_type {};
template <class T>
struct IsRange<Range<T>> : std::true_type {};
template <class T>
struct IsMultirange : std::false_type {};
template <class T>
struct IsMultirange<Multirange<T>> : std::true_type {};
template <class T>
struct IsTuple : std::false_type {};
template <class... Ts>
struct IsTuple<std::tuple<Ts...>> : std::true_type {};

// Containers Value::from turns into Array/Range/Multirange/Record Values: how containers
// of Values (which have no Codec) are dumped.
template <class T>
inline constexpr bool kIsValueContainer =
    IsVector<T>::value || IsArrayT<T>::value || IsRange<T>::value || IsMultirange<T>::value ||
    IsTuple<T>::value;

// Flattens nested vectors into row-major Values.
template <class T>
void flatten_into(const std::vector<T>& v, std::vector<Value>& out) {
  for (const T& e : v) {
    if constexpr (IsVector<T>::value && !std::is_same_v<T, std::vector<std::byte>>) {
      flatten_into(e, out);
    } else {
      out.push_back(Value::from(e));
    }
  }
}

template <class T>
Range<Value> range_to_value(const Range<T>& r) {
  if (r.is_empty()) return Range<Value>();
  return Range<Value>(r.lower() ? std::optional<Value>(Value::from(*r.lower())) : std::nullopt,
                      r.upper() ? std::optional<Value>(Value::from(*r.upper())) : std::nullopt,
                      r.bounds());
}

template <class T>
Range<T> range_from_value(const Range<Value>& r) {
  if (r.is_empty()) return Range<T>();
  return Range<T>(r.lower() ? std::optional<T>(r.lower()->as<T>()) : std::nullopt,
                  r.upper() ? std::optional<T>(r.upper()->as<T>()) : std::nullopt, r.bounds());
}

// A Value converted through its text form, for T with a Codec but no direct conversion.
std::string value_text(const Value& v, Oid& oid);

template <class T>
T integer_from_value(const Value& v) {
  const Value::Storage& s = v.storage();
  if (auto* p = std::get_if<int64_t>(&s)) return narrow_integer<T>(*p, oids::kInt8);
  if (auto* p = std::get_if<int32_t>(&s)) return narrow_integer<T>(*p, oids::kInt4);
  if (auto* p = std::get_if<int16_t>(&s)) return narrow_integer<T>(*p, oids::kInt2);
  if (auto* p = std::get_if<Numeric>(&s)) return p->to<T>();
  throw_value_convert(v.type_name(), type_name<T>());
}

}  // namespace adapt_internal

template <class T>
Value Value::from(const T& v) {
  using adapt_internal::IsArrayT;
  using adapt_internal::IsMultirange;
  using adapt_internal::IsRange;
  using adapt_internal::IsTuple;
  using adapt_internal::IsVector;
  if constexpr (std::is_same_v<T, Value>) {
    return v;
  } else if constexpr (kIsNullable<T> && !std::is_same_v<T, const char*>) {
    return NullableTraits<T>::is_null(v) ? Value() : Value::from(NullableTraits<T>::inner(v));
  } else if constexpr (std::is_constructible_v<Value, const T&> && !IsVector<T>::value) {
    return Value(v);
  } else if constexpr (IsVector<T>::value && !std::is_same_v<T, std::vector<std::byte>>) {
    Array<Value> a;
    adapt_internal::ArrayShape shape;
    adapt_internal::VectorShape<T>::measure(v, shape);
    adapt_internal::flatten_into(v, a.elements);
    a.dims.assign(shape.dims, shape.dims + shape.ndim);
    return Value(std::move(a));
  } else if constexpr (IsArrayT<T>::value) {
    Array<Value> a;
    for (const auto& e : v.elements) a.elements.push_back(Value::from(e));
    a.dims = v.dims;
    return Value(std::move(a));
  } else if constexpr (IsRange<T>::value) {
    return Value(adapt_internal::range_to_value(v));
  } else if constexpr (IsMultirange<T>::value) {
    Multirange<Value> m;
    for (const auto& r : v.ranges) m.ranges.push_back(adapt_internal::range_to_value(r));
    return Value(std::move(m));
  } else if constexpr (IsTuple<T>::value) {
    Record r;
    std::apply([&](const auto&... e) { (r.fields.push_back(Value::from(e)), ...); }, v);
    return Value(std::move(r));
  } else {
    return Value::custom(v);
  }
}

template <class T>
bool Value::holds() const {
  if constexpr (std::is_same_v<T, Range<Value>>) {
    return std::holds_alternative<Box<Range<Value>>>(v_);
  } else if constexpr (kIsAlternative<T>) {
    return std::holds_alternative<T>(v_);
  } else {
    const AnyValue* any = std::get_if<AnyValue>(&v_);
    return any != nullptr && any->type() == typeid(T);
  }
}

template <class T>
const T& Value::get() const {
  if constexpr (std::is_same_v<T, Range<Value>>) {
    if (auto* p = std::get_if<Box<Range<Value>>>(&v_)) return **p;
  } else if constexpr (kIsAlternative<T>) {
    if (auto* p = std::get_if<T>(&v_)) return *p;
  } else {
    if (auto* any = std::get_if<AnyValue>(&v_)) {
      if (const T* p = any->get_if<T>()) return *p;
    }
  }
  throw_wrong_type(adapt_internal::type_name<T>());
}

template <class T>
T Value::as() const {
  using namespace adapt_internal;
  if constexpr (std::is_same_v<T, Value>) {
    return *this;
  } else if constexpr (kIsNullable<T> && !std::is_same_v<T, const char*>) {
    if (is_null()) return NullableTraits<T>::null();
    return NullableTraits<T>::wrap(as<typename NullableTraits<T>::Inner>());
  } else {
    if (is_null()) throw_value_null(adapt_internal::type_name<T>());
    if (holds<T>()) return get<T>();
    if constexpr (kIsAdaptedInteger<T>) {
      return integer_from_value<T>(*this);
    } else if constexpr (std::is_floating_point_v<T>) {
      if (auto* p = std::get_if<float>(&v_)) return static_cast<T>(*p);
      if (auto* p = std::get_if<double>(&v_)) {
        if constexpr (std::is_same_v<T, double>) return *p;
      }
      if (auto* p = std::get_if<int16_t>(&v_)) return static_cast<T>(*p);
      if (auto* p = std::get_if<int32_t>(&v_)) {
        if constexpr (std::is_same_v<T, double>) return *p;
      }
      throw_value_convert(type_name(), adapt_internal::type_name<T>());
    } else if constexpr (std::is_same_v<T, std::string_view>) {
      if (auto* p = std::get_if<std::string>(&v_)) return *p;
      throw_value_convert(type_name(), "std::string_view");
    } else if constexpr (std::is_same_v<T, Numeric>) {
      if (auto* p = std::get_if<int16_t>(&v_)) return Numeric(*p);
      if (auto* p = std::get_if<int32_t>(&v_)) return Numeric(*p);
      if (auto* p = std::get_if<int64_t>(&v_)) return Numeric(*p);
      throw_value_convert(type_name(), "pgcpp::Numeric");
    } else if constexpr (IsVectorArray<T>::value || IsArrayT<T>::value) {
      const auto* a = std::get_if<Array<Value>>(&v_);
      if (a == nullptr) throw_value_convert(type_name(), adapt_internal::type_name<T>());
      if constexpr (IsArrayT<T>::value) {
        T out;
        for (const Value& e : a->elements) {
          out.elements.push_back(e.as<typename T::value_type>());
        }
        out.dims = a->dims;
        return out;
      } else {
        using Shape = VectorShape<T>;
        using Element = typename Shape::Element;
        if (a->dims.empty()) return T{};
        if (static_cast<int>(a->dims.size()) != Shape::kDepth) {
          throw_array_depth(static_cast<int>(a->dims.size()), Shape::kDepth,
                            adapt_internal::type_name<T>());
        }
        std::vector<Element> flat;
        flat.reserve(a->elements.size());
        for (const Value& e : a->elements) flat.push_back(e.as<Element>());
        if constexpr (Shape::kDepth == 1) {
          return flat;
        } else {
          ArrayShape shape;
          shape.ndim = static_cast<int>(a->dims.size());
          for (int d = 0; d < shape.ndim; ++d) shape.dims[d] = a->dims[d];
          auto it = flat.begin();
          return Shape::reshape(it, shape, 0);
        }
      }
    } else if constexpr (IsRange<T>::value) {
      if (auto* p = std::get_if<Box<Range<Value>>>(&v_)) {
        return range_from_value<typename T::value_type>(**p);
      }
      throw_value_convert(type_name(), adapt_internal::type_name<T>());
    } else if constexpr (IsMultirange<T>::value) {
      if (auto* p = std::get_if<Multirange<Value>>(&v_)) {
        T out;
        for (const auto& r : p->ranges) {
          out.ranges.push_back(range_from_value<typename T::value_type>(r));
        }
        return out;
      }
      throw_value_convert(type_name(), adapt_internal::type_name<T>());
    } else if constexpr (IsTuple<T>::value) {
      const auto* r = std::get_if<Record>(&v_);
      if (r == nullptr) throw_value_convert(type_name(), adapt_internal::type_name<T>());
      if (r->fields.size() != std::tuple_size_v<T>) {
        throw_field_count(r->fields.size(), std::tuple_size_v<T>, adapt_internal::type_name<T>());
      }
      return [&]<size_t... I>(std::index_sequence<I...>) {
        return T(r->fields[I].template as<std::tuple_element_t<I, T>>()...);
      }
      (std::make_index_sequence<std::tuple_size_v<T>>());
    } else if constexpr (StaticLoadable<T>) {
      Oid oid = 0;
      const std::string text = value_text(*this, oid);
      return Codec<T>::load(text, Format::kText, oid);
    } else {
      throw_value_convert(type_name(), adapt_internal::type_name<T>());
    }
  }
}

}  // namespace pgcpp

#endif  // PGCPP_ADAPT_VALUE_H_
