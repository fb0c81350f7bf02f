// Loader: the runtime interface for reading a field, registered in an AdaptersMap.
//
// Every column of a result gets a Loader when the result arrives (RowDescription), which
// produces a Value for dynamic access (row.value(i), dict rows). The typed access
// row.get<T>(i) uses Codec<T> instead, unless a loader was registered for the column's
// type: then that loader decides (directly if it is a TypedLoader<T>, else through the
// Value it returns). Register one to change how a type loads (psycopg's register_loader):
//
//   class CentsLoader : public pgcpp::TypedLoader<int64_t> {   // numeric -> cents
//    public:
//     CentsLoader() : TypedLoader(pgcpp::Format::kText) {}
//     int64_t load_value(std::string_view data) const override { ... }
//   };
//   adapters.register_loader(pgcpp::oids::kNumeric, std::make_shared<CentsLoader>());
//
// Loaders are immutable once registered and may be used from several threads at once.
#ifndef PGCPP_ADAPT_LOADER_H_
#define PGCPP_ADAPT_LOADER_H_

#include <string_view>

#include "pgcpp/adapt/codec.h"
#include "pgcpp/adapt/oid.h"
#include "pgcpp/adapt/value.h"

namespace pgcpp {

class Loader {
 public:
  explicit Loader(Format format) : format_(format) {}
  virtual ~Loader() = default;

  // The format of the data this loader reads.
  Format format() const { return format_; }
  // Converts one non-NULL field.
  virtual Value load(std::string_view data) const = 0;

 private:
  Format format_;
};

// Base for loaders producing a T: implement load_value.
template <class T>
class TypedLoader : public Loader {
 public:
  using Loader::Loader;
  virtual T load_value(std::string_view data) const = 0;
  Value load(std::string_view data) const override { return Value::from(load_value(data)); }
};

// A Loader running Codec<T> for columns of type `oid`.
template <class T>
requires StaticLoadable<T>
class CodecLoader final : public TypedLoader<T> {
 public:
  CodecLoader(Oid oid, Format format) : TypedLoader<T>(format), oid_(oid) {}
  T load_value(std::string_view data) const override {
    return Codec<T>::load(data, this->format(), oid_);
  }

 private:
  Oid oid_;
};

}  // namespace pgcpp

#endif  // PGCPP_ADAPT_LOADER_H_
