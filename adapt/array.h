// Arrays: std::vector (nested for N dimensions) and pgcpp::Array (with lower bounds).
//
//   std::vector<int32_t>                         <-> int4[]
//   std::vector<std::optional<std::string>>      <-> text[] with NULL elements
//   std::vector<std::vector<double>>             <-> float8[][] (must be rectangular)
//   pgcpp::Array<int32_t>                        <-> int4[] keeping dims and lower bounds
//
// Any element type with a Codec works; the array's oid is the element type's array oid
// (0, so the server infers it, for elements sent with oid 0 such as strings in text).
// Loading reads either format; text honours the `[l:u]=` prefix (kept by Array, checked
// and dropped by std::vector), quoting, backslash escapes, NULL, and the element type's
// delimiter (';' for box). A NULL element needs an std::optional element type, a
// dimension count that does not match the vector's nesting raises DataError, and so do
// ragged nested vectors when dumping.
//
//   auto ids = row.get<std::vector<int64_t>>("ids");
//   conn.execute("SELECT * FROM t WHERE id = ANY(%s)", std::vector<int64_t>{1, 2, 3});
#ifndef PGCPP_ADAPT_ARRAY_H_
#define PGCPP_ADAPT_ARRAY_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "pgcpp/adapt/codec.h"
#include "pgcpp/adapt/oid.h"
#include "pgcpp/adapt/wire.h"

namespace pgcpp {

struct ArrayDim {
  int32_t length = 0;
  int32_t lower_bound = 1;
  friend bool operator==(const ArrayDim&, const ArrayDim&) = default;
};

// A PostgreSQL array as it is: elements in row-major order and one ArrayDim per dimension
// (no dims for an empty array). Use std::optional<T> (or Value) elements for NULLs.
template <class T>
struct Array {
  using value_type = T;
  std::vector<T> elements;
  std::vector<ArrayDim> dims;

  Array() = default;
  // A one-dimensional array starting at index 1.
  explicit Array(std::vector<T> values) : elements(std::move(values)) {
    if (!elements.empty()) dims.push_back({static_cast<int32_t>(elements.size()), 1});
  }
  Array(std::vector<T> values, std::vector<ArrayDim> shape)
      : elements(std::move(values)), dims(std::move(shape)) {}

  size_t ndim() const { return dims.size(); }
  friend bool operator==(const Array&, const Array&) = default;
};

namespace adapt_internal {

// PostgreSQL's MAXDIM.
inline constexpr int kMaxArrayDims = 6;

struct ArrayShape {
  int ndim = 0;
  ArrayDim dims[kMaxArrayDims];
  int64_t size() const {
    int64_t n = ndim == 0 ? 0 : 1;
    for (int i = 0; i < ndim; ++i) n *= dims[i].length;
    return n;
  }
};

// ---- text form -------------------------------------------------------------------------

// Parses a text array, calling on_element(std::string_view text, bool is_null) for each
// element in row-major order (the view is valid during the call only) and filling `shape`.
// Raises DataError naming the position for malformed input.
class TextArrayParser {
 public:
  TextArrayParser(std::string_view text, char delimiter) : text_(text), delim_(delimiter) {}

  template <class OnElement>
  void parse(ArrayShape& shape, OnElement&& on_element);

 private:
  template <class OnElement>
  void parse_level(int depth, ArrayShape& shape, OnElement& on_element);
  // Reads one element at pos_; returns its text (in scratch_ when it was unescaped).
  std::string_view element(bool& is_null);
  void parse_bounds(ArrayShape& shape, bool& explicit_bounds);
  void skip_spaces();
  [[noreturn]] void fail(std::string_view what) const;

  std::string_view text_;
  char delim_;
  size_t pos_ = 0;
  int scalar_depth_ = -1;  // the depth where elements live, once known
  int32_t counts_[kMaxArrayDims] = {};
  bool seen_[kMaxArrayDims] = {};
  std::string scratch_;
};

// Whether an element's text must be double-quoted inside an array or composite literal.
bool array_element_needs_quotes(std::string_view text, char delimiter);
// Appends `text` double-quoted with " and \ escaped.
void append_double_quoted(std::string_view text, std::string& out);
// Dumps an element's text form at the end of `out` (through `dump`), then quotes it in
// place if needed.
template <class Dump>
void append_text_element(std::string& out, char delimiter, Dump&& dump) {
  const size_t start = out.size();
  dump(out);
  const std::string_view written(out.data() + start, out.size() - start);
  if (array_element_needs_quotes(written, delimiter)) {
    std::string copy(written);
    out.resize(start);
    append_double_quoted(copy, out);
  }
}
// "[0:1][3:4]=" when some lower bound is not 1, else nothing.
void append_bounds_decoration(const ArrayShape& shape, std::string& out);

// Writes the punctuation of a text array around its elements: construct (writes the
// bounds decoration and opening braces), call next() before each element is appended,
// then finish().
class TextArrayWriter {
 public:
  TextArrayWriter(const ArrayShape& shape, char delimiter, std::string& out);
  void next();
  void finish();
  char delimiter() const { return delim_; }

 private:
  const ArrayShape& shape_;
  char delim_;
  std::string& out_;
  int64_t index_ = 0;
};

// ---- binary form -----------------------------------------------------------------------

struct BinaryArrayHeader {
  ArrayShape shape;
  Oid element_oid = 0;
  bool has_nulls = false;
};

// Reads the header; the elements follow as (int32 length, bytes) pairs in `reader`.
BinaryArrayHeader read_binary_array_header(BinaryReader& reader);
void append_binary_array_header(const ArrayShape& shape, Oid element_oid, std::string& out);
// Sets the has-null flag of a header written at out[header_pos].
inline void set_binary_array_has_nulls(std::string& out, size_t header_pos) {
  store_be<int32_t>(out, header_pos + 4, 1);
}

// How many elements an array value probably holds (to reserve; never trusted).
size_t array_size_hint(std::string_view data, Format f);

[[noreturn]] void throw_array_depth(int got, int expected, std::string_view cpp_type);
[[noreturn]] void throw_null_element(std::string_view cpp_type);
[[noreturn]] void throw_ragged_array();
[[noreturn]] void throw_array_oid(Oid oid, Format f, std::string_view cpp_type);

// The delimiter of arrays of a builtin element type.
constexpr char builtin_delimiter(Oid element_oid) { return element_oid == oids::kBox ? ';' : ','; }

// ---- static element types --------------------------------------------------------------

// The innermost element of nested std::vectors, and the nesting depth.
template <class T>
struct VectorElement {
  using type = T;
  static constexpr int kDepth = 0;
};
template <class T>
requires(!std::is_same_v<T, std::byte>) struct VectorElement<std::vector<T>> {
  using type = typename VectorElement<T>::type;
  static constexpr int kDepth = 1 + VectorElement<T>::kDepth;
};

template <class E>
struct ElementCodecType {
  using type = E;
};
template <class E>
requires(kIsNullable<E>) struct ElementCodecType<E> {
  using type = typename NullableTraits<E>::Inner;
};

// How an element of type E is read and written, NULL included.
template <class E>
struct ElementIo {
  using Inner = typename ElementCodecType<E>::type;
  static std::string name() { return type_name<E>(); }

  static bool is_null(const E& e) {
    if constexpr (kIsNullable<E>) {
      return NullableTraits<E>::is_null(e);
    } else {
      return false;
    }
  }
  static void dump(const E& e, Format f, std::string& out) {
    if constexpr (kIsNullable<E>) {
      Codec<Inner>::dump(NullableTraits<E>::inner(e), f, out);
    } else {
      Codec<Inner>::dump(e, f, out);
    }
  }
  static E load(std::string_view data, bool is_null, Format f, Oid oid) {
    if constexpr (kIsNullable<E>) {
      if (is_null) return NullableTraits<E>::null();
      return NullableTraits<E>::wrap(load_inner(data, f, oid));
    } else {
      if (is_null) throw_null_element(name());
      return load_inner(data, f, oid);
    }
  }
  static Inner load_inner(std::string_view data, Format f, Oid oid) {
    if constexpr (HasTryLoad<Inner>) {
      Inner out;
      if (FastLoad<Inner>(f, oid)(data, out)) [[likely]]
        return out;
    }
    return Codec<Inner>::load(data, f, oid);
  }
};

template <class E>
concept ElementDumpable = StaticDumpable<typename ElementCodecType<E>::type>;
template <class E>
concept ElementLoadable = StaticLoadable<typename ElementCodecType<E>::type>;

// Writes `count` elements (visited by for_each) as an array, text or binary.
template <class E, class ForEach>
void dump_array(const ArrayShape& shape, Format f, ForEach&& for_each, std::string& out) {
  using Io = ElementIo<E>;
  using Inner = typename Io::Inner;
  const Oid elem_oid = Codec<Inner>::oid(f);
  if (f == Format::kBinary) {
    const size_t header = out.size();
    append_binary_array_header(shape, elem_oid, out);
    bool has_nulls = false;
    for_each([&](const E& e) {
      if (Io::is_null(e)) {
        has_nulls = true;
        append_be<int32_t>(out, -1);
        return;
      }
      const size_t len_pos = out.size();
      append_be<int32_t>(out, 0);
      Io::dump(e, f, out);
      store_be<int32_t>(out, len_pos, static_cast<int32_t>(out.size() - len_pos - 4));
    });
    if (has_nulls) set_binary_array_has_nulls(out, header);
    return;
  }
  TextArrayWriter writer(shape, builtin_delimiter(elem_oid), out);
  for_each([&](const E& e) {
    writer.next();
    if (Io::is_null(e)) {
      out.append("NULL");
    } else {
      append_text_element(out, writer.delimiter(), [&](std::string& o) { Io::dump(e, f, o); });
    }
  });
  writer.finish();
}

// Parses an array of either format, calling on_element(std::string_view, bool is_null,
// Oid element_oid) per element. `column_oid` is the array type (0 if unknown).
template <class OnElement>
void parse_array(std::string_view data, Format f, Oid column_oid, NameFn cpp_type,
                 ArrayShape& shape, OnElement&& on_element);

// ---- std::vector -----------------------------------------------------------------------

template <class V>
struct VectorShape;
template <class T>
struct VectorShape<std::vector<T>> {
  static constexpr int kDepth = VectorElement<std::vector<T>>::kDepth;
  using Element = typename VectorElement<std::vector<T>>::type;

  // Fills dims from the first element at each depth, then checks the rest match.
  static void measure(const std::vector<T>& v, ArrayShape& shape, int depth = 0) {
    if (depth == 0) shape.ndim = v.empty() ? 0 : kDepth;
    if (shape.ndim == 0) return;
    if (v.size() > static_cast<size_t>(INT32_MAX)) throw_ragged_array();
    ArrayDim& dim = shape.dims[depth];
    if (dim.length == 0) {
      if (v.empty()) throw_ragged_array();
      dim.length = static_cast<int32_t>(v.size());
    } else if (dim.length != static_cast<int32_t>(v.size())) {
      throw_ragged_array();
    }
    if constexpr (kDepth > 1) {
      for (const T& sub : v) VectorShape<T>::measure(sub, shape, depth + 1);
    }
  }
  template <class F>
  static void for_each(const std::vector<T>& v, F& f) {
    if constexpr (kDepth > 1) {
      for (const T& sub : v) VectorShape<T>::for_each(sub, f);
    } else {
      for (const T& e : v) f(e);
    }
  }
  // Builds nested vectors from row-major elements.
  template <class It>
  static std::vector<T> reshape(It& it, const ArrayShape& shape, int depth) {
    std::vector<T> out;
    const auto n = static_cast<size_t>(shape.dims[depth].length);
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      if constexpr (kDepth > 1) {
        out.push_back(VectorShape<T>::reshape(it, shape, depth + 1));
      } else {
        out.push_back(std::move(*it));
        ++it;
      }
    }
    return out;
  }
};

// Elements read by try_load_binary_fixed: plain values (no std::optional, no
// std::vector<bool> proxies) that a fixed-size binary fast path fills in place.
template <class E>
concept FixedBinaryElement = HasFixedFastLoad<E> && !std::is_same_v<E, bool> &&
                             std::is_trivially_copyable_v<E> && std::is_default_constructible_v<E>;

// The elements of a binary 1-D array without NULLs, all of E's usual fixed size (the data
// after the 20-byte header is exactly n (length, value) pairs): one pass, no per-element
// dispatch or bounds tests. False when any element is of another size or is refused by
// the element's fast path (out is then left partly filled).
template <FixedBinaryElement E>
bool try_load_binary_fixed(const char* elements, size_t size, int32_t n, std::vector<E>& out) {
  constexpr int32_t kSize = Codec<E>::kFixedSize;
  constexpr size_t kStride = 4 + static_cast<size_t>(kSize);
  if (size != static_cast<size_t>(n) * kStride) return false;
  out.resize(static_cast<size_t>(n));
  E* dst = out.data();
  bool ok = true;
  for (int32_t i = 0; i < n; ++i, elements += kStride) {
    ok &= load_be<int32_t>(elements) == kSize;
    ok &= Codec<E>::load_fast(Codec<E>::kFixedKind,
                              std::string_view(elements + 4, static_cast<size_t>(kSize)), dst[i]);
  }
  return ok;
}

// The common case of a binary one-dimensional array without NULLs whose elements have a
// try_load: decoded in one tight loop. False (nothing thrown) when the data is anything
// else, so that the general parser runs and reports errors.
template <class E>
bool try_load_binary_vector(std::string_view data, std::vector<E>& out) {
  using Inner = typename ElementCodecType<E>::type;
  const char* p = data.data();
  const size_t size = data.size();
  if (size < 20 || load_be<int32_t>(p) != 1 || load_be<int32_t>(p + 4) != 0) return false;
  const Oid elem_oid = load_be<uint32_t>(p + 8);
  const int32_t n = load_be<int32_t>(p + 12);
  if (n <= 0 || static_cast<size_t>(n) > (size - 20) / 4) return false;
  const FastLoad<Inner> load(Format::kBinary, elem_oid);
  out.clear();
  if constexpr (FixedBinaryElement<E>) {
    if (load.fixed_size() == Codec<E>::kFixedSize) [[likely]] {
      return try_load_binary_fixed(p + 20, size - 20, n, out);
    }
  }
  out.reserve(static_cast<size_t>(n));
  size_t pos = 20;
  for (int32_t i = 0; i < n; ++i) {
    if (size - pos < 4) return false;
    const int32_t len = load_be<int32_t>(p + pos);
    pos += 4;
    if (len < 0 || size - pos < static_cast<size_t>(len)) return false;
    Inner v;
    if (!load(std::string_view(p + pos, static_cast<size_t>(len)), v)) return false;
    out.push_back(E(std::move(v)));
    pos += static_cast<size_t>(len);
  }
  return pos == size;
}

template <class T>
inline constexpr bool kIsVectorArray =
    !std::is_same_v<T, std::byte> &&
    (ElementDumpable<typename VectorElement<std::vector<T>>::type> ||
     ElementLoadable<typename VectorElement<std::vector<T>>::type>);

// The array oid of elements of type E in format f (0 when the element oid is 0).
template <class E>
constexpr Oid array_oid_for(Format f) {
  return builtin_array_oid(Codec<typename ElementCodecType<E>::type>::oid(f));
}
template <class E>
constexpr Format array_auto_format() {
  using Inner = typename ElementCodecType<E>::type;
  return Codec<Inner>::kAutoFormat == Format::kBinary && Codec<Inner>::oid(Format::kBinary) != 0
             ? Format::kBinary
             : Format::kText;
}

}  // namespace adapt_internal

template <class T>
struct Codec<std::vector<T>, std::enable_if_t<adapt_internal::kIsVectorArray<T>>> {
  using Shape = adapt_internal::VectorShape<std::vector<T>>;
  using Element = typename Shape::Element;

  static std::string name() { return "std::vector<" + adapt_internal::type_name<T>() + ">"; }
  static constexpr Format kAutoFormat = adapt_internal::array_auto_format<Element>();
  static constexpr Oid oid(Format f) { return adapt_internal::array_oid_for<Element>(f); }

  static void dump(const std::vector<T>& v, Format f,
                   std::string& out) requires adapt_internal::ElementDumpable<Element> {
    adapt_internal::ArrayShape shape;
    Shape::measure(v, shape);
    adapt_internal::dump_array<Element>(
        shape, f, [&](auto&& visit) { Shape::for_each(v, visit); }, out);
  }

  // The fast path (inlined into Row::get and ColumnReader): binary 1-D arrays without
  // NULLs of elements that have one, in a column of an array type (or of an unknown or
  // user type, which load also accepts).
  static constexpr bool kHasFastPath =
      Shape::kDepth == 1 && adapt_internal::ElementLoadable<Element> &&
      HasTryLoad<typename adapt_internal::ElementIo<Element>::Inner>;
  static constexpr uint8_t fast_kind(Format f, Oid oid) noexcept requires kHasFastPath {
    return f == Format::kBinary && (oid == oids::kInvalid || oid >= oids::kFirstNormalObjectId ||
                                    builtin_element_oid(oid) != 0)
               ? 1
               : 0;
  }
  static bool load_fast(uint8_t kind, std::string_view data,
                        std::vector<T>& out) noexcept requires kHasFastPath {
    try {
      return kind == 1 && adapt_internal::try_load_binary_vector(data, out);
    } catch (...) {  // std::bad_alloc: load raises it again
      return false;
    }
  }

  static std::vector<T> load(std::string_view data, Format f,
                             Oid oid) requires adapt_internal::ElementLoadable<Element> {
    using Io = adapt_internal::ElementIo<Element>;
    std::vector<Element> flat;
    if constexpr (kHasFastPath) {
      if (load_fast(fast_kind(f, oid), data, flat)) [[likely]]
        return flat;
    }
    adapt_internal::ArrayShape shape;
    flat.clear();  // what a fast path that gave up midway left
    flat.reserve(adapt_internal::array_size_hint(data, f));
    adapt_internal::parse_array(data, f, oid, &name, shape,
                                [&](std::string_view e, bool is_null, Oid elem_oid) {
                                  flat.push_back(Io::load(e, is_null, f, elem_oid));
                                });
    if (shape.ndim == 0) return {};
    if (shape.ndim != Shape::kDepth) {
      adapt_internal::throw_array_depth(shape.ndim, Shape::kDepth, name());
    }
    if constexpr (Shape::kDepth == 1) {
      return flat;
    } else {
      auto it = flat.begin();
      return Shape::reshape(it, shape, 0);
    }
  }
};

template <class T>
struct Codec<Array<T>, std::enable_if_t<adapt_internal::ElementDumpable<T> ||
                                        adapt_internal::ElementLoadable<T>>> {
  static std::string name() { return "pgcpp::Array<" + adapt_internal::type_name<T>() + ">"; }
  static constexpr Format kAutoFormat = adapt_internal::array_auto_format<T>();
  static constexpr Oid oid(Format f) { return adapt_internal::array_oid_for<T>(f); }

  static void dump(const Array<T>& v, Format f,
                   std::string& out) requires adapt_internal::ElementDumpable<T> {
    adapt_internal::ArrayShape shape = checked_shape(v);
    adapt_internal::dump_array<T>(
        shape, f,
        [&](auto&& visit) {
          for (const T& e : v.elements) visit(e);
        },
        out);
  }

  static Array<T> load(std::string_view data, Format f,
                       Oid oid) requires adapt_internal::ElementLoadable<T> {
    using Io = adapt_internal::ElementIo<T>;
    adapt_internal::ArrayShape shape;
    Array<T> out;
    out.elements.reserve(adapt_internal::array_size_hint(data, f));
    adapt_internal::parse_array(data, f, oid, &name, shape,
                                [&](std::string_view e, bool is_null, Oid elem_oid) {
                                  out.elements.push_back(Io::load(e, is_null, f, elem_oid));
                                });
    out.dims.assign(shape.dims, shape.dims + shape.ndim);
    return out;
  }

  // The shape of `v`, or DataError if its dims do not describe its elements.
  static adapt_internal::ArrayShape checked_shape(const Array<T>& v);
};

// ---- template definitions ----------------------------------------------------------------

namespace adapt_internal {

template <class OnElement>
void TextArrayParser::parse(ArrayShape& shape, OnElement&& on_element) {
  bool explicit_bounds = false;
  parse_bounds(shape, explicit_bounds);
  skip_spaces();
  parse_level(0, shape, on_element);
  skip_spaces();
  if (pos_ != text_.size()) fail("junk after closing right brace");
  if (scalar_depth_ < 0) {
    // "{}": no dimensions.
    if (explicit_bounds) fail("dimensions given for an empty array");
    shape.ndim = 0;
    return;
  }
  const int ndim = scalar_depth_ + 1;
  if (explicit_bounds) {
    if (shape.ndim != ndim) fail("dimension decoration does not match the array's dimensions");
    for (int d = 0; d < ndim; ++d) {
      if (shape.dims[d].length != counts_[d]) {
        fail("dimension decoration does not match the array's dimensions");
      }
    }
  } else {
    shape.ndim = ndim;
    for (int d = 0; d < ndim; ++d) shape.dims[d] = {counts_[d], 1};
  }
}

template <class OnElement>
void TextArrayParser::parse_level(int depth, ArrayShape& shape, OnElement& on_element) {
  if (depth >= kMaxArrayDims) fail("too many dimensions");
  if (pos_ >= text_.size() || text_[pos_] != '{') fail("expected '{'");
  ++pos_;
  skip_spaces();
  if (pos_ < text_.size() && text_[pos_] == '}') {
    ++pos_;
    if (depth > 0) fail("empty sub-array");
    return;
  }
  int32_t count = 0;
  while (true) {
    skip_spaces();
    if (pos_ < text_.size() && text_[pos_] == '{') {
      if (scalar_depth_ >= 0 && scalar_depth_ <= depth) fail("unexpected '{'");
      parse_level(depth + 1, shape, on_element);
    } else {
      if (scalar_depth_ < 0) scalar_depth_ = depth;
      if (scalar_depth_ != depth) fail("unexpected array element");
      bool is_null = false;
      const std::string_view e = element(is_null);
      on_element(e, is_null);
    }
    ++count;
    skip_spaces();
    if (pos_ >= text_.size()) fail("unexpected end of input");
    if (text_[pos_] == delim_) {
      ++pos_;
      continue;
    }
    if (text_[pos_] == '}') {
      ++pos_;
      break;
    }
    fail("expected a delimiter or '}'");
  }
  if (!seen_[depth]) {
    seen_[depth] = true;
    counts_[depth] = count;
  } else if (counts_[depth] != count) {
    fail("sub-arrays with different lengths");
  }
}

template <class OnElement>
void parse_array(std::string_view data, Format f, Oid column_oid, NameFn cpp_type,
                 ArrayShape& shape, OnElement&& on_element) {
  Oid elem_oid = 0;
  if (column_oid != oids::kInvalid) {
    elem_oid = builtin_element_oid(column_oid);
    // A known builtin that is not an array cannot be read as one.
    if (elem_oid == 0 && column_oid < oids::kFirstNormalObjectId) {
      throw_array_oid(column_oid, f, cpp_type());
    }
  }
  if (f == Format::kBinary) {
    BinaryReader reader(data, "array");
    const BinaryArrayHeader header = read_binary_array_header(reader);
    shape = header.shape;
    const int64_t n = shape.size();
    for (int64_t i = 0; i < n; ++i) {
      bool is_null;
      const std::string_view e = reader.length_prefixed(is_null);
      if (is_null && !header.has_nulls) reader.fail("NULL element in an array flagged without");
      on_element(e, is_null, header.element_oid);
    }
    reader.expect_end();
    return;
  }
  TextArrayParser parser(data, builtin_delimiter(elem_oid));
  parser.parse(shape, [&](std::string_view e, bool is_null) { on_element(e, is_null, elem_oid); });
}

}  // namespace adapt_internal

template <class T>
adapt_internal::ArrayShape
Codec<Array<T>, std::enable_if_t<adapt_internal::ElementDumpable<T> ||
                                 adapt_internal::ElementLoadable<T>>>::checked_shape(const Array<T>&
                                                                                         v) {
  adapt_internal::ArrayShape shape;
  if (v.dims.size() > static_cast<size_t>(adapt_internal::kMaxArrayDims)) {
    adapt_internal::throw_array_depth(static_cast<int>(v.dims.size()),
                                      adapt_internal::kMaxArrayDims, name());
  }
  shape.ndim = static_cast<int>(v.dims.size());
  int64_t n = v.dims.empty() ? 0 : 1;
  for (size_t d = 0; d < v.dims.size(); ++d) {
    shape.dims[d] = v.dims[d];
    if (v.dims[d].length <= 0) adapt_internal::throw_ragged_array();
    n *= v.dims[d].length;
  }
  if (n != static_cast<int64_t>(v.elements.size())) adapt_internal::throw_ragged_array();
  return shape;
}

}  // namespace pgcpp

#endif  // PGCPP_ADAPT_ARRAY_H_
