// Helpers for codec unit tests (testonly).
#ifndef PGCPP_ADAPT_CODEC_TEST_UTIL_H_
#define PGCPP_ADAPT_CODEC_TEST_UTIL_H_

#include <string>
#include <string_view>

#include "pgcpp/adapt/codec.h"

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
