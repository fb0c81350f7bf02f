// DecimalDigits: the ASCII digits of a Numeric's coefficient.
//
// Most numerics read from a database are short (numeric(12,2) has at most 12 digits), so
// up to kInline digits live in the object: loading one allocates nothing and copies a
// fixed 16-byte block instead of calling memcpy. Longer coefficients go on the heap.
//
//   DecimalDigits d;
//   d.assign("12345");
//   d.view();  // "12345"
#ifndef PGCPP_ADAPT_DECIMAL_DIGITS_H_
#define PGCPP_ADAPT_DECIMAL_DIGITS_H_

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace pgcpp::adapt_internal {

class DecimalDigits {
 public:
  static constexpr size_t kInline = 16;
  // kInline digit characters as two words: a local Block, unlike a char array, gets no
  // stack guard, which would cost a fast loader a tenth of its time.
  using Block = std::array<uint64_t, 2>;
  // Eight '0' characters as one word.
  static constexpr uint64_t kZeroWord = 0x3030303030303030;

  // How many '0' characters start the block (kInline when all are).
  static int leading_zeros(const Block& block) {
    for (int h = 0; h < 2; ++h) {
      const uint64_t differs = block[h] ^ kZeroWord;
      if (differs != 0) {
        // The first character in memory is the lowest byte on little-endian machines.
        const int bit = std::endian::native == std::endian::little ? std::countr_zero(differs)
                                                                   : std::countl_zero(differs);
        return 8 * h + bit / 8;
      }
    }
    return static_cast<int>(kInline);
  }

  DecimalDigits() = default;
  DecimalDigits(const DecimalDigits& other) { assign(other.view()); }
  DecimalDigits(DecimalDigits&& other) noexcept
      : heap_(std::move(other.heap_)), size_(other.size_), begin_(other.begin_) {
    std::memcpy(inline_, other.inline_, kInline);
    other.size_ = 0;
  }
  DecimalDigits& operator=(const DecimalDigits& other) {
    if (this != &other) assign(other.view());
    return *this;
  }
  DecimalDigits& operator=(DecimalDigits&& other) noexcept {
    heap_ = std::move(other.heap_);
    size_ = other.size_;
    begin_ = other.begin_;
    std::memcpy(inline_, other.inline_, kInline);
    other.size_ = 0;
    return *this;
  }

  std::string_view view() const { return {heap_ ? heap_.get() : inline_ + begin_, size_}; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  void assign(std::string_view digits) {
    std::memcpy(overwrite(digits.size()), digits.data(), digits.size());
  }
  // Room for exactly `n` digits, which the caller then fills in.
  char* overwrite(size_t n) {
    size_ = static_cast<uint32_t>(n);
    begin_ = 0;
    if (n <= kInline) {
      heap_.reset();
      return inline_;
    }
    heap_ = std::make_unique_for_overwrite<char[]>(n);
    return heap_.get();
  }
  // The digits block[begin, begin + size), taking the whole block in one fixed-size copy.
  void set_inline(const Block& block, size_t begin, size_t size) noexcept {
    heap_.reset();
    std::memcpy(inline_, block.data(), kInline);
    begin_ = static_cast<uint8_t>(begin);
    size_ = static_cast<uint32_t>(size);
  }

 private:
  std::unique_ptr<char[]> heap_;  // set when there are more than kInline digits
  uint32_t size_ = 0;
  uint8_t begin_ = 0;  // where the inline digits start in inline_
  char inline_[kInline]{};
};

}  // namespace pgcpp::adapt_internal

#endif  // PGCPP_ADAPT_DECIMAL_DIGITS_H_
