// Dumper: the runtime interface for sending a C++ value, registered in an AdaptersMap.
//
// The static path (Codec<T>, codec.h) needs no Dumper. A Dumper is what you register to
// override how a type is sent for one map (a connection, a cursor) or to make a type
// adaptable without a Codec: psycopg's register_dumper.
//
//   class UpperDumper : public pgcpp::TypedDumper<std::string> {
//    public:
//     UpperDumper() : TypedDumper(pgcpp::oids::kText, pgcpp::Format::kText) {}
//     bool dump_value(const std::string& s, std::string& out) const override {
//       for (char c : s) out.push_back(static_cast<char>(std::toupper(c)));
//       return true;  // false would send NULL
//     }
//   };
//   conn_adapters.register_dumper<std::string>(std::make_shared<UpperDumper>());
//
// Dumpers are immutable once registered and may be used from several threads at once.
#ifndef PGCPP_ADAPT_DUMPER_H_
#define PGCPP_ADAPT_DUMPER_H_

#include <string>
#include <typeindex>
#include <typeinfo>

#include "pgcpp/adapt/codec.h"
#include "pgcpp/adapt/errors.h"
#include "pgcpp/adapt/oid.h"

namespace pgcpp {

class Dumper {
 public:
  Dumper(std::type_index type, Oid oid, Format format) : type_(type), oid_(oid), format_(format) {}
  virtual ~Dumper() = default;

  // The C++ type this dumper accepts.
  std::type_index type() const { return type_; }
  // The oid sent with the parameter (0: the server infers it).
  Oid oid() const { return oid_; }
  Format format() const { return format_; }

  // Appends the wire form of `obj` (an object of type()); false means NULL.
  virtual bool dump_erased(const void* obj, std::string& out) const = 0;
  // Appends an SQL literal for `obj` (psycopg's quote). The default quotes the text form
  // as a string; a binary dumper has no text form and raises ProgrammingError.
  virtual void quote_erased(const void* obj, std::string& out) const;

  // Typed entry points; raise ProgrammingError if T is not type().
  template <class T>
  bool dump(const T& obj, std::string& out) const {
    check_type(typeid(T));
    return dump_erased(&obj, out);
  }
  template <class T>
  void quote(const T& obj, std::string& out) const {
    check_type(typeid(T));
    quote_erased(&obj, out);
  }

 private:
  void check_type(const std::type_info& t) const;

  std::type_index type_;
  Oid oid_;
  Format format_;
};

// Base for dumpers of one type T: implement dump_value (and quote_value if the default
// quoting of the text form is not right).
template <class T>
class TypedDumper : public Dumper {
 public:
  TypedDumper(Oid oid, Format format) : Dumper(typeid(T), oid, format) {}

  virtual bool dump_value(const T& obj, std::string& out) const = 0;
  virtual void quote_value(const T& obj, std::string& out) const {
    Dumper::quote_erased(&obj, out);
  }

  bool dump_erased(const void* obj, std::string& out) const final {
    return dump_value(*static_cast<const T*>(obj), out);
  }
  void quote_erased(const void* obj, std::string& out) const final {
    quote_value(*static_cast<const T*>(obj), out);
  }
};

// A Dumper running Codec<T> in a fixed format, optionally with another oid (e.g. an enum
// or composite type's oid fetched from the server).
template <class T>
requires StaticDumpable<T>
class CodecDumper : public TypedDumper<T> {
 public:
  explicit CodecDumper(Format format) : CodecDumper(format, Codec<T>::oid(format)) {}
  CodecDumper(Format format, Oid oid) : TypedDumper<T>(oid, format) {}

  bool dump_value(const T& obj, std::string& out) const override {
    Codec<T>::dump(obj, this->format(), out);
    return true;
  }
  void quote_value(const T& obj, std::string& out) const override { quote_value_of(obj, out); }

 private:
  static void quote_value_of(const T& obj, std::string& out) { pgcpp::quote_value(obj, out); }
};

}  // namespace pgcpp

#endif  // PGCPP_ADAPT_DUMPER_H_
