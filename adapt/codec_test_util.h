// Helpers for codec unit tests (testonly). A codec test opens the helpers'
// namespace so that it calls them unqualified:
//   namespace pgcpp::testing {
//   namespace {
//   TEST(BoolCodec, BothFormats) { EXPECT_EQ(dump(true, Format::kText), "t"); }
#ifndef PGCPP_ADAPT_CODEC_TEST_UTIL_H_
#define PGCPP_ADAPT_CODEC_TEST_UTIL_H_

#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "pgcpp/adapt/codec.h"
#include "pgcpp/adapt/composite.h"

namespace pgcpp::testing {

// A struct registered as a composite type (name text, qty int4).
struct Item {
  std::string name;
  std::optional<int32_t> qty;
  friend bool operator==(const Item&, const Item&) = default;
};

}  // namespace pgcpp::testing

template <>
struct pgcpp::Fields<pgcpp::testing::Item> {
  static constexpr auto kFields = std::make_tuple(field("name", &pgcpp::testing::Item::name),
                                                  field("qty", &pgcpp::testing::Item::qty));
};

namespace pgcpp::testing {

// The wire bytes of `v` in format `f`.
template <class T>
std::string dump(const T& v, Format f) {
  std::string out;
  Codec<T>::dump(v, f, out);
  return out;
}

// `v` dumped in format `f` and loaded back as a column of the codec's own oid.
template <class T>
T round_trip(const T& v, Format f) {
  return Codec<T>::load(dump(v, f), f, Codec<T>::oid(f));
}

template <class T>
T load_text(std::string_view data, Oid oid) {
  return Codec<T>::load(data, Format::kText, oid);
}

template <class T>
T load_binary(std::string_view data, Oid oid) {
  return Codec<T>::load(data, Format::kBinary, oid);
}

template <class T>
std::string quote(const T& v) {
  std::string out;
  quote_value(v, out);
  return out;
}

}  // namespace pgcpp::testing

#endif  // PGCPP_ADAPT_CODEC_TEST_UTIL_H_
