// Inet and Cidr: IPv4/IPv6 addresses and networks, and their codecs.
//
//   pgcpp::Inet host = pgcpp::Inet::parse("192.168.0.10/24");  // an address in a network
//   pgcpp::Cidr net = pgcpp::Cidr::parse("10.0.0.0/8");        // a network: host bits zero
//   host.prefix();       // 24
//   host.to_string();    // "192.168.0.10/24" (the prefix is omitted when it is /32 or /128)
//
// Inet <-> inet (869), Cidr <-> cidr (650), binary by default. Cidr::parse raises
// DataError when bits are set right of the prefix, as PostgreSQL does.
#ifndef PGCPP_ADAPT_INET_H_
#define PGCPP_ADAPT_INET_H_

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "pgcpp/adapt/codec.h"
#include "pgcpp/adapt/oid.h"

namespace pgcpp {

enum class IpFamily : uint8_t { kV4 = 4, kV6 = 6 };

template <bool kIsCidr>
class BasicInet {
 public:
  BasicInet() = default;  // 0.0.0.0/32 (0.0.0.0/0 would not be the same inet)
  // `address` holds 4 bytes (kV4) or 16 (kV6); `prefix` defaults to the full length.
  static BasicInet from_bytes(IpFamily family, const std::array<uint8_t, 16>& address,
                              int prefix = -1);
  static BasicInet parse(std::string_view text);

  IpFamily family() const { return family_; }
  int prefix() const { return prefix_; }
  int max_prefix() const { return family_ == IpFamily::kV4 ? 32 : 128; }
  // 4 or 16 significant bytes.
  const std::array<uint8_t, 16>& address() const { return address_; }
  size_t address_size() const { return family_ == IpFamily::kV4 ? 4 : 16; }
  std::string to_string() const;

  friend auto operator<=>(const BasicInet&, const BasicInet&) = default;

 private:
  IpFamily family_ = IpFamily::kV4;
  uint8_t prefix_ = 32;
  std::array<uint8_t, 16> address_{};
};

using Inet = BasicInet<false>;
using Cidr = BasicInet<true>;

namespace adapt_internal {
template <bool kIsCidr>
void dump_inet(const BasicInet<kIsCidr>& v, Format f, std::string& out);
template <bool kIsCidr>
BasicInet<kIsCidr> load_inet(std::string_view data, Format f, Oid oid);
}  // namespace adapt_internal

template <bool kIsCidr>
struct Codec<BasicInet<kIsCidr>> {
  static constexpr std::string_view name() { return kIsCidr ? "pgcpp::Cidr" : "pgcpp::Inet"; }
  static constexpr Format kAutoFormat = Format::kBinary;
  static constexpr Oid oid(Format) { return kIsCidr ? oids::kCidr : oids::kInet; }
  static void dump(const BasicInet<kIsCidr>& v, Format f, std::string& out) {
    adapt_internal::dump_inet(v, f, out);
  }
  static BasicInet<kIsCidr> load(std::string_view data, Format f, Oid oid) {
    return adapt_internal::load_inet<kIsCidr>(data, f, oid);
  }
};

}  // namespace pgcpp

#endif  // PGCPP_ADAPT_INET_H_
