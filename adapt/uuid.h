// Uuid: a 128-bit UUID, and its codec (uuid, 2950; binary by default).
//
//   auto id = pgcpp::Uuid::parse("f47ac10b-58cc-4372-a567-0e02b2c3d479");
//   conn.execute("SELECT * FROM t WHERE id = %s", id);
//   id.to_string();  // canonical lower-case form
#ifndef PGCPP_ADAPT_UUID_H_
#define PGCPP_ADAPT_UUID_H_

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "pgcpp/adapt/codec.h"
#include "pgcpp/adapt/oid.h"

namespace pgcpp {

class Uuid {
 public:
  constexpr Uuid() = default;  // the nil UUID
  explicit constexpr Uuid(const std::array<uint8_t, 16>& bytes) : bytes_(bytes) {}
  // Accepts what PostgreSQL accepts: 32 hex digits, optionally in braces, with a hyphen
  // allowed after any group of four digits. Raises DataError otherwise.
  static Uuid parse(std::string_view text);

  constexpr const std::array<uint8_t, 16>& bytes() const { return bytes_; }
  std::string to_string() const;  // "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"

  friend constexpr auto operator<=>(const Uuid&, const Uuid&) = default;

 private:
  std::array<uint8_t, 16> bytes_{};
};

template <>
struct Codec<Uuid> {
  static constexpr std::string_view name() { return "pgcpp::Uuid"; }
  static constexpr Format kAutoFormat = Format::kBinary;
  static constexpr Oid oid(Format) { return oids::kUuid; }
  static void dump(const Uuid& v, Format f, std::string& out) {
    if (f == Format::kBinary) {
      out.append(reinterpret_cast<const char*>(v.bytes().data()), 16);
    } else {
      out.append(v.to_string());
    }
  }
  static Uuid load(std::string_view data, Format f, Oid oid) {
    if (oid != oids::kUuid && oid != oids::kInvalid)
      adapt_internal::throw_cannot_load(name(), oid, f);
    if (f == Format::kText) return Uuid::parse(data);
    if (data.size() != 16) adapt_internal::throw_binary_size("uuid", 16, data.size());
    std::array<uint8_t, 16> bytes;
    std::memcpy(bytes.data(), data.data(), 16);
    return Uuid(bytes);
  }
};

}  // namespace pgcpp

#endif  // PGCPP_ADAPT_UUID_H_
