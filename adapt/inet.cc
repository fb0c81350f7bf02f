#include "pgcpp/adapt/inet.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <charconv>
#include <string>

#include "absl/strings/str_cat.h"
#include "pgcpp/adapt/wire.h"

namespace pgcpp {
namespace {

// PostgreSQL's address family codes on the wire (PGSQL_AF_INET, PGSQL_AF_INET6).
constexpr uint8_t kWireInet = 2;
constexpr uint8_t kWireInet6 = 3;

template <bool kIsCidr>
constexpr std::string_view pg_type_name() {
  return kIsCidr ? "cidr" : "inet";
}

// Raises DataError if a bit right of the prefix is set (not allowed in a cidr).
template <bool kIsCidr>
void check_host_bits(const std::array<uint8_t, 16>& address, size_t size, int prefix,
                     std::string_view text) {
  if constexpr (kIsCidr) {
    for (size_t bit = static_cast<size_t>(prefix); bit < size * 8; ++bit) {
      if (address[bit / 8] & (0x80 >> (bit % 8))) {
        throw DataError(absl::StrCat("invalid cidr value ", adapt_internal::printable(text),
                                     ": it has bits set to the right of the mask"));
      }
    }
  }
}

}  // namespace

template <bool kIsCidr>
BasicInet<kIsCidr> BasicInet<kIsCidr>::from_bytes(IpFamily family,
                                                  const std::array<uint8_t, 16>& address,
                                                  int prefix) {
  BasicInet v;
  v.family_ = family;
  const int max = v.max_prefix();
  if (prefix == -1) prefix = max;
  if (prefix < 0 || prefix > max) {
    throw DataError(absl::StrCat("network prefix ", prefix, " is out of range [0, ", max, "]"));
  }
  v.prefix_ = static_cast<uint8_t>(prefix);
  for (size_t i = 0; i < v.address_size(); ++i) v.address_[i] = address[i];
  check_host_bits<kIsCidr>(v.address_, v.address_size(), prefix, v.to_string());
  return v;
}

template <bool kIsCidr>
BasicInet<kIsCidr> BasicInet<kIsCidr>::parse(std::string_view text) {
  std::string address(text.substr(0, text.find('/')));
  int prefix = -1;
  if (address.size() < text.size()) {
    const std::string_view p = text.substr(address.size() + 1);
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), prefix);
    if (ec != std::errc() || ptr != p.data() + p.size() || p.empty() || prefix < 0) {
      adapt_internal::throw_invalid(pg_type_name<kIsCidr>(), Format::kText, text, "bad prefix");
    }
  }
  std::array<uint8_t, 16> bytes{};
  IpFamily family;
  if (inet_pton(AF_INET, address.c_str(), bytes.data()) == 1) {
    family = IpFamily::kV4;
  } else if (inet_pton(AF_INET6, address.c_str(), bytes.data()) == 1) {
    family = IpFamily::kV6;
  } else {
    adapt_internal::throw_invalid(pg_type_name<kIsCidr>(), Format::kText, text,
                                  "not an IPv4 or IPv6 address");
  }
  const int max = family == IpFamily::kV4 ? 32 : 128;
  if (prefix > max) {
    adapt_internal::throw_invalid(pg_type_name<kIsCidr>(), Format::kText, text,
                                  "prefix out of range");
  }
  return from_bytes(family, bytes, prefix);
}

template <bool kIsCidr>
std::string BasicInet<kIsCidr>::to_string() const {
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(family_ == IpFamily::kV4 ? AF_INET : AF_INET6, address_.data(), buf, sizeof(buf));
  std::string out = buf;
  if (kIsCidr || prefix_ != max_prefix()) absl::StrAppend(&out, "/", prefix_);
  return out;
}

template class BasicInet<false>;
template class BasicInet<true>;

namespace adapt_internal {

template <bool kIsCidr>
void dump_inet(const BasicInet<kIsCidr>& v, Format f, std::string& out) {
  if (f == Format::kText) {
    out.append(v.to_string());
    return;
  }
  out.push_back(static_cast<char>(v.family() == IpFamily::kV4 ? kWireInet : kWireInet6));
  out.push_back(static_cast<char>(v.prefix()));
  out.push_back(kIsCidr ? 1 : 0);
  out.push_back(static_cast<char>(v.address_size()));
  out.append(reinterpret_cast<const char*>(v.address().data()), v.address_size());
}

template <bool kIsCidr>
BasicInet<kIsCidr> load_inet(std::string_view data, Format f, Oid oid) {
  // Either type loads into either class (an inet holding a network is still valid).
  if (oid != oids::kInet && oid != oids::kCidr && oid != oids::kInvalid) {
    throw_cannot_load(Codec<BasicInet<kIsCidr>>::name(), oid, f);
  }
  if (f == Format::kText) return BasicInet<kIsCidr>::parse(data);
  BinaryReader r(data, pg_type_name<kIsCidr>());
  const auto family = r.read<uint8_t>();
  const auto bits = r.read<uint8_t>();
  r.read<uint8_t>();  // is_cidr: the oid already says
  const auto size = r.read<uint8_t>();
  if (!((family == kWireInet && size == 4) || (family == kWireInet6 && size == 16))) {
    r.fail(absl::StrCat("family ", family, " with ", size, " address bytes"));
  }
  std::array<uint8_t, 16> bytes{};
  const std::string_view addr = r.bytes(size);
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<uint8_t>(addr[i]);
  r.expect_end();
  return BasicInet<kIsCidr>::from_bytes(family == kWireInet ? IpFamily::kV4 : IpFamily::kV6, bytes,
                                        bits);
}

template void dump_inet(const BasicInet<false>&, Format, std::string&);
template void dump_inet(const BasicInet<true>&, Format, std::string&);
template BasicInet<false> load_inet<false>(std::string_view, Format, Oid);
template BasicInet<true> load_inet<true>(std::string_view, Format, Oid);

}  // namespace adapt_internal
}  // namespace pgcpp
