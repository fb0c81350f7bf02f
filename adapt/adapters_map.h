// AdaptersMap: which dumper and loader to use for each type, per scope.
//
// A process-wide map (`AdaptersMap::global()`) is copied into each connection, and a
// connection's into each cursor: copies are copy-on-write, sharing their tables until
// one of them registers something, so a later change to a parent does not reach the
// children already made (psycopg's AdaptersMap). Builtin types need no registration:
// their codecs are compiled in, and the map only records overrides and extra types.
//
//   pgcpp::AdaptersMap adapters = pgcpp::AdaptersMap::global();   // cheap copy
//   adapters.register_loader(pgcpp::oids::kNumeric, std::make_shared<MyLoader>());
//   adapters.register_dumper<MyType>(std::make_shared<MyDumper>());
//   adapters.types().add(info);                 // a type fetched from the catalog
//   auto loader = adapters.get_loader(oid, pgcpp::Format::kBinary);
//
// Thread safety: reading a map from several threads is safe; registering into a map
// (global() included) while another thread reads or copies that same map is not. Set up
// global() before connecting.
#ifndef PGCPP_ADAPT_ADAPTERS_MAP_H_
#define PGCPP_ADAPT_ADAPTERS_MAP_H_

#include <memory>
#include <string_view>
#include <typeindex>

#include "pgcpp/adapt/dumper.h"
#include "pgcpp/adapt/loader.h"
#include "pgcpp/adapt/oid.h"
#include "pgcpp/adapt/types_registry.h"
#include "pgcpp/adapt/value.h"

namespace pgcpp {

class AdaptersMap final : public DumpContext {
 public:
  // Builtins only.
  AdaptersMap();
  AdaptersMap(const AdaptersMap&) = default;
  AdaptersMap& operator=(const AdaptersMap&) = default;
  AdaptersMap(AdaptersMap&&) noexcept = default;
  AdaptersMap& operator=(AdaptersMap&&) noexcept = default;
  ~AdaptersMap() override;

  // The process-wide map new connections copy.
  static AdaptersMap& global();

  // ---- dumpers
  // Registers `dumper` for T in its own format and for %s (AUTO): for %s the last
  // registered dumper wins. A dumper with an oid is also found by get_dumper_by_oid.
  template <class T>
  void register_dumper(std::shared_ptr<const Dumper> dumper) {
    register_dumper(typeid(T), std::move(dumper));
  }
  void register_dumper(std::type_index type, std::shared_ptr<const Dumper> dumper);
  // The dumper for `type`: a registered one, else the builtin one for Value's alternative
  // types. ProgrammingError "cannot adapt type ..." if there is none.
  std::shared_ptr<const Dumper> get_dumper(std::type_index type, ParamFormat format) const;
  // A dumper producing type `oid` in `format` (COPY with set_types, psycopg's
  // get_dumper_by_oid): a registered one, else a builtin dumper of pgcpp::Value that
  // converts the value to the oid's type. ProgrammingError for an oid it cannot produce.
  std::shared_ptr<const Dumper> get_dumper_by_oid(Oid oid, Format format) const;

  // ---- loaders
  // Registers `loader` for type `oid` in the loader's format.
  void register_loader(Oid oid, std::shared_ptr<const Loader> loader);
  // Same, by type name (as types() knows it); ProgrammingError for an unknown name.
  void register_loader(std::string_view type_name, std::shared_ptr<const Loader> loader);
  // The loader for a column of type `oid`: registered, builtin, or built for arrays,
  // ranges, composites and enums known to types(); unknown types load as text
  // (std::string) or raw bytes (Bytes). Never null.
  std::shared_ptr<const Loader> get_loader(Oid oid, Format format) const;
  // Whether a loader registered in this map (for `oid`, or for its element type if it
  // is an array) overrides the builtin codecs: RowDescription asks once per column.
  bool has_user_loader(Oid oid, Format format) const;

  // ---- types
  TypesRegistry& types() { return types_; }
  const TypesRegistry& types() const override { return types_; }

  // ---- DumpContext
  bool has_user_dumpers() const override;
  const Dumper* find_dumper(std::type_index type, ParamFormat format) const override;

 private:
  struct Tables;
  Tables& mutable_tables();
  const Dumper* find_user_dumper(std::type_index type, ParamFormat format) const;
  const Loader* find_user_loader(Oid oid, Format format) const;

  std::shared_ptr<const Tables> tables_;  // null: no registration yet
  TypesRegistry types_;
};

}  // namespace pgcpp

#endif  // PGCPP_ADAPT_ADAPTERS_MAP_H_
