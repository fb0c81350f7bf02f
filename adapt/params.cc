#include "pgcpp/adapt/params.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace pgcpp {

DumpedParams& DumpedParams::operator=(const DumpedParams& other) {
  if (this == &other) return *this;
  buffer_ = other.buffer_;
  types_ = other.types_;
  offsets_ = other.offsets_;
  lengths_ = other.lengths_;
  formats_ = other.formats_;
  values_.resize(other.values_.size());
  finish();
  return *this;
}

DumpedParams& DumpedParams::operator=(DumpedParams&& other) noexcept {
  if (this == &other) return *this;
  buffer_ = std::move(other.buffer_);
  types_ = std::move(other.types_);
  offsets_ = std::move(other.offsets_);
  lengths_ = std::move(other.lengths_);
  formats_ = std::move(other.formats_);
  values_ = std::move(other.values_);
  finish();  // a short buffer lives inside the string: re-point
  other.clear();
  return *this;
}

void DumpedParams::clear() {
  buffer_.clear();
  types_.clear();
  offsets_.clear();
  values_.clear();
  lengths_.clear();
  formats_.clear();
}

void DumpedParams::reserve(size_t n) {
  types_.reserve(n);
  offsets_.reserve(n);
  values_.reserve(n);
  lengths_.reserve(n);
  formats_.reserve(n);
}

void DumpedParams::add(const DumpInfo& info, size_t start) {
  types_.push_back(info.oid);
  formats_.push_back(static_cast<int>(info.format));
  if (info.is_null) {
    buffer_.resize(start);
    offsets_.push_back(-1);
    lengths_.push_back(0);
  } else {
    offsets_.push_back(static_cast<int64_t>(start));
    lengths_.push_back(static_cast<int>(buffer_.size() - start));
    // Text parameters are read up to a NUL by libpq.
    buffer_.push_back('\0');
  }
}

void DumpedParams::finish() {
  values_.clear();  // then push_back within the capacity reserve() made
  for (const int64_t offset : offsets_) {
    values_.push_back(offset < 0 ? nullptr : buffer_.data() + offset);
  }
}

namespace {

template <class P>
void dump_list(DumpedParams& out, const AdaptersMap& adapters, std::span<const ParamFormat> formats,
               std::span<const P> params) {
  if (!formats.empty() && formats.size() != params.size()) {
    adapt_internal::throw_param_count(params.size(), formats.size());
  }
  out.clear();
  out.reserve(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    const ParamFormat f = formats.empty() ? ParamFormat::kAuto : formats[i];
    const size_t start = out.buffer().size();
    out.add(dump_param(params[i], f, adapters, out.buffer()), start);
  }
  out.finish();
}

}  // namespace

void dump_params_into(DumpedParams& out, const AdaptersMap& adapters,
                      std::span<const ParamFormat> formats, std::span<const Value> params) {
  dump_list(out, adapters, formats, params);
}

void dump_params_into(DumpedParams& out, const AdaptersMap& adapters,
                      std::span<const ParamFormat> formats, std::span<const ParamRef> params) {
  dump_list(out, adapters, formats, params);
}

DumpedParams dump_params(const AdaptersMap& adapters, std::span<const ParamFormat> formats,
                         std::span<const Value> params) {
  DumpedParams out;
  dump_params_into(out, adapters, formats, params);
  return out;
}

DumpedParams dump_params(const AdaptersMap& adapters, std::span<const ParamFormat> formats,
                         std::span<const ParamRef> params) {
  DumpedParams out;
  dump_params_into(out, adapters, formats, params);
  return out;
}

namespace adapt_internal {

void throw_param_count(size_t params, size_t formats) {
  throw ProgrammingError(absl::StrCat("the query has ", formats, " placeholder(s) but ", params,
                                      " parameter(s) were passed"));
}

void append_cast(Oid oid, const TypesRegistry& types, std::string& out) {
  if (oid == 0 || oid == oids::kText || out.empty() || out.back() != '\'') return;
  const TypeInfo* info = types.get(oid);
  if (info == nullptr) return;
  // Builtins by their short name (timestamptz, not "timestamp with time zone").
  // "char" must stay quoted: char alone means bpchar.
  const bool short_name = oid < 8192 && info->name != "char";
  absl::StrAppend(&out, "::", short_name ? info->name : info->regtype,
                  oid == info->array_oid && oid != info->oid ? "[]" : "");
}

}  // namespace adapt_internal
}  // namespace pgcpp
