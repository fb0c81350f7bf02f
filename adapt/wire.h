// Byte-level helpers shared by the binary codecs (internal to //adapt).
//
// PostgreSQL's binary formats are big-endian. `load_be` reads an integer from a
// position the caller has already bounds-checked; `BinaryReader` checks every read and
// raises DataError naming the type and the offset when the data is short.
#ifndef PGCPP_ADAPT_WIRE_H_
#define PGCPP_ADAPT_WIRE_H_

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace pgcpp::adapt_internal {

template <class T>
inline T byteswap_if_little(T v) {
  static_assert(std::is_integral_v<T>);
  if constexpr (std::endian::native == std::endian::big || sizeof(T) == 1) {
    return v;
  } else if constexpr (sizeof(T) == 2) {
    return static_cast<T>(__builtin_bswap16(static_cast<uint16_t>(v)));
  } else if constexpr (sizeof(T) == 4) {
    return static_cast<T>(__builtin_bswap32(static_cast<uint32_t>(v)));
  } else {
    static_assert(sizeof(T) == 8);
    return static_cast<T>(__builtin_bswap64(static_cast<uint64_t>(v)));
  }
}

// Reads a big-endian integer at `p` (no bounds check).
template <class T>
inline T load_be(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return byteswap_if_little(v);
}

// Appends `v` big-endian.
template <class T>
inline void append_be(std::string& out, T v) {
  v = byteswap_if_little(v);
  char buf[sizeof(T)];
  std::memcpy(buf, &v, sizeof(T));
  out.append(buf, sizeof(T));
}

// Overwrites sizeof(T) bytes at out[pos] with `v` big-endian (for lengths known only after
// the payload is written).
template <class T>
inline void store_be(std::string& out, size_t pos, T v) {
  v = byteswap_if_little(v);
  std::memcpy(out.data() + pos, &v, sizeof(T));
}

// Bounds-checked sequential reader over one binary value.
class BinaryReader {
 public:
  // `type` names the PostgreSQL type in error messages ("int4[]", "record").
  BinaryReader(std::string_view data, std::string_view type) : data_(data), type_(type) {}

  template <class T>
  T read() {
    need(sizeof(T));
    T v = load_be<T>(data_.data() + pos_);
    pos_ += sizeof(T);
    return v;
  }
  // The next `n` bytes.
  std::string_view bytes(size_t n) {
    need(n);
    std::string_view v = data_.substr(pos_, n);
    pos_ += n;
    return v;
  }
  // An int32 length followed by that many bytes; `is_null` is set for length -1.
  std::string_view length_prefixed(bool& is_null) {
    const int32_t length = read<int32_t>();
    is_null = length == -1;
    if (is_null) return {};
    if (length < 0) [[unlikely]]
      fail_negative_length(length);
    return bytes(static_cast<size_t>(length));
  }

  size_t position() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  bool at_end() const { return pos_ == data_.size(); }
  // Raises DataError unless every byte was consumed.
  void expect_end() const;

  [[noreturn]] void fail(std::string_view what) const;

 private:
  void need(size_t n) const {
    if (data_.size() - pos_ < n) [[unlikely]]
      fail_short(n);
  }
  [[noreturn]] void fail_short(size_t n) const;
  [[noreturn]] void fail_negative_length(int32_t length) const;

  std::string_view data_;
  std::string_view type_;
  size_t pos_ = 0;
};

}  // namespace pgcpp::adapt_internal

#endif  // PGCPP_ADAPT_WIRE_H_
