// The input ranges over rows shared by Cursor, Stream and ServerCursor: Row
// views (`for (const pgcpp::Row& row : source)`) and the rows a row factory's
// maker makes from them (`source.rows<Ts...>()`, `source.rows(factory)`), and
// the fetch methods Cursor and ServerCursor share (`fetchone(factory)` ...).
//
// A source provides these members, private if it befriends RowRangeAccess:
//   const Row& range_row();  // the row at its position
//   void range_next();       // moves past it
//   bool range_end();        // no row at the position (it may fetch more first)
//   const RowDescription& range_description();  // for rows(factory) (it may fetch first)
// and, deriving from FetchRows, fetch_one(factory), fetch_many(size, factory)
// and fetch_all(factory).
#ifndef PGCPP_CORE_ROW_RANGE_H_
#define PGCPP_CORE_ROW_RANGE_H_

#include <cstddef>
#include <iterator>
#include <optional>
#include <type_traits>
#include <utility>

#include "pgcpp/adapt/row.h"

namespace pgcpp::internal {

struct RowRangeAccess {
  template <class Source>
  static const Row& row(Source& s) {
    return s.range_row();
  }
  template <class Source>
  static void next(Source& s) {
    s.range_next();
  }
  template <class Source>
  static bool end(Source& s) {
    return s.range_end();
  }
  template <class Source>
  static const RowDescription& description(Source& s) {
    return s.range_description();
  }
  template <class Source, class Factory>
  static auto fetch_one(Source& s, Factory& factory) {
    return s.fetch_one(factory);
  }
  template <class Source, class Factory>
  static auto fetch_many(Source& s, size_t size, Factory& factory) {
    return s.fetch_many(size, factory);
  }
  template <class Source, class Factory>
  static auto fetch_all(Source& s, Factory& factory) {
    return s.fetch_all(factory);
  }
};

template <class Source, class Maker>
class MadeRows;

// rows(factory) and rows<Ts...>() (i.e. rows(typed_row<Ts...>)): the remaining rows
// made by a row factory, as an input range over an lvalue source, or owning a
// temporary one. A source derives from TypedRows<Source> (or FetchRows<Source>).
template <class Source>
class TypedRows {
 public:
  template <class Factory>
  auto rows(Factory factory) & {
    Source& source = static_cast<Source&>(*this);
    auto maker = factory(RowRangeAccess::description(source));
    return MadeRows<Source, decltype(maker)>(&source, std::move(maker));
  }
  template <class Factory>
  auto rows(Factory factory) && {
    Source& source = static_cast<Source&>(*this);
    auto maker = factory(RowRangeAccess::description(source));
    return MadeRows<Source, decltype(maker)>(std::move(source), std::move(maker));
  }
  template <class... Ts>
  auto rows() & {
    return rows(typed_row<Ts...>);
  }
  template <class... Ts>
  auto rows() && {
    return std::move(*this).rows(typed_row<Ts...>);
  }
};

// fetchone(factory), fetchmany(size, factory) and fetchall(factory), with the
// source's `arraysize` for fetchmany's size 0; rows() as in TypedRows.
template <class Source>
class FetchRows : public TypedRows<Source> {
 public:
  template <class Factory = TupleRowFactory>
  auto fetchone(Factory factory = {}) {
    return RowRangeAccess::fetch_one(source(), factory);
  }
  template <class Factory = TupleRowFactory>
  auto fetchmany(size_t size = 0, Factory factory = {}) {  // 0: arraysize
    return RowRangeAccess::fetch_many(source(), size == 0 ? source().arraysize : size, factory);
  }
  template <class Factory = TupleRowFactory>
  auto fetchall(Factory factory = {}) {
    return RowRangeAccess::fetch_all(source(), factory);
  }

 private:
  Source& source() { return static_cast<Source&>(*this); }
};

// Iterates a source's rows as views, each valid until the iterator moves on.
template <class Source>
class RowViewIterator {
 public:
  using value_type = Row;
  using difference_type = std::ptrdiff_t;
  explicit RowViewIterator(Source* source) : source_(source) {}
  const Row& operator*() const { return RowRangeAccess::row(*source_); }
  const Row* operator->() const { return &**this; }
  RowViewIterator& operator++() {
    RowRangeAccess::next(*source_);
    return *this;
  }
  void operator++(int) { ++*this; }
  bool operator==(std::default_sentinel_t) const { return RowRangeAccess::end(*source_); }

 private:
  Source* source_;
};

// The rows `maker` makes from a source it borrows, or owns when made from a
// temporary (so `for (auto [a] : conn.execute(...).rows<int>())` is safe).
template <class Source, class Maker>
class MadeRows {
 public:
  using value_type = std::invoke_result_t<const Maker&, const Row&>;
  MadeRows(Source* borrowed, Maker maker) : borrowed_(borrowed), maker_(std::move(maker)) {}
  MadeRows(Source&& owned, Maker maker) : owned_(std::move(owned)), maker_(std::move(maker)) {}

  class iterator {
   public:
    using value_type = MadeRows::value_type;
    using difference_type = std::ptrdiff_t;
    explicit iterator(MadeRows* rows) : rows_(rows) {}
    value_type operator*() const { return rows_->maker_(RowRangeAccess::row(rows_->source())); }
    iterator& operator++() {
      RowRangeAccess::next(rows_->source());
      return *this;
    }
    void operator++(int) { ++*this; }
    bool operator==(std::default_sentinel_t) const { return RowRangeAccess::end(rows_->source()); }

   private:
    MadeRows* rows_;
  };
  iterator begin() { return iterator(this); }
  std::default_sentinel_t end() { return {}; }

 private:
  Source& source() { return owned_ ? *owned_ : *borrowed_; }

  std::optional<Source> owned_;
  Source* borrowed_ = nullptr;
  Maker maker_;
};

}  // namespace pgcpp::internal

#endif  // PGCPP_CORE_ROW_RANGE_H_
