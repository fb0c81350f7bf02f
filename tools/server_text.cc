#include "tools/server_text.h"

#include <memory>
#include <vector>

#include "pgcpp/adapt/dumper.h"
#include "pgcpp/adapt/row.h"
#include "pgcpp/adapt/value.h"

namespace pgcpp::tools {

namespace {

// Bytes already in some type's binary form.
struct RawBinary {
  std::string bytes;
};

// Sends RawBinary as it is, in binary, with the oid of the type it holds.
class RawBinaryDumper final : public TypedDumper<RawBinary> {
 public:
  explicit RawBinaryDumper(Oid oid) : TypedDumper<RawBinary>(oid, Format::kBinary) {}
  bool dump_value(const RawBinary& v, std::string& out) const override {
    out.append(v.bytes);
    return true;
  }
};

}  // namespace

std::string ServerText::text_of(Oid type, const Bytes& binary) {
  auto it = cursors_.find(type);
  if (it == cursors_.end()) {
    it = cursors_.emplace(type, conn_->cursor()).first;
    it->second.adapters().register_dumper<RawBinary>(std::make_shared<RawBinaryDumper>(type));
  }
  Cursor& cur = it->second;
  const std::vector<Value> params = {Value::custom(RawBinary{binary.str()})};
  cur.execute_values("SELECT %b::text", params);
  return cur.fetchone(scalar_row<std::string>).value();
}

}  // namespace pgcpp::tools
