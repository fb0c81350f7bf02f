#include "pgcpp/core/sql.h"

#include <functional>
#include <typeinfo>

#include "pgcpp/core/errors.h"
#include "pgcpp/core/py_repr.h"

namespace pgcpp::sql {
namespace sql_internal {

// The content of a Composable. Nodes are immutable and shared between copies.
class Node {
 public:
  virtual ~Node() = default;
  virtual void append_to(std::string& out, const AdaptersMap& adapters) const = 0;
  // `other` has the same dynamic type.
  virtual bool equals(const Node& other) const = 0;
};

struct Access {
  static const Node& node(const Composable& c) { return *c.node_; }
};

}  // namespace sql_internal

namespace {

using sql_internal::Access;
using sql_internal::Node;

template <class Value>
class ValueNode : public Node {
 public:
  explicit ValueNode(Value v) : value(std::move(v)) {}
  bool equals(const Node& other) const override {
    return value == static_cast<const ValueNode&>(other).value;
  }
  const Value value;
};

// The node of `c`, known to be a `NodeType` because `c`'s constructor made it.
template <class NodeType>
const auto& value_of(const Composable& c) {
  return static_cast<const NodeType&>(Access::node(c)).value;
}

class SqlNode : public ValueNode<std::string> {
 public:
  using ValueNode::ValueNode;
  void append_to(std::string& out, const AdaptersMap&) const override { out += value; }
};

class IdentifierNode : public ValueNode<std::vector<std::string>> {
 public:
  using ValueNode::ValueNode;
  // psycopg's approximation of PQescapeIdentifier without a connection.
  void append_to(std::string& out, const AdaptersMap&) const override {
    for (size_t i = 0; i < value.size(); ++i) {
      if (i > 0) out += '.';
      out += '"';
      for (char c : value[i]) {
        if (c == '"') out += '"';
        out += c;
      }
      out += '"';
    }
  }
};

class LiteralNode : public Node {
 public:
  explicit LiteralNode(std::function<std::string(const AdaptersMap&)> render)
      : render_(std::move(render)) {}
  void append_to(std::string& out, const AdaptersMap& adapters) const override {
    out += render_(adapters);
  }
  bool equals(const Node& other) const override {
    const auto& that = static_cast<const LiteralNode&>(other);
    return render_(AdaptersMap::global()) == that.render_(AdaptersMap::global());
  }

 private:
  const std::function<std::string(const AdaptersMap&)> render_;
};

class PlaceholderNode : public ValueNode<std::pair<std::string, ParamFormat>> {
 public:
  using ValueNode::ValueNode;
  void append_to(std::string& out, const AdaptersMap&) const override {
    out += '%';
    if (!value.first.empty()) out += "(" + value.first + ")";
    out += placeholder_format_code(value.second);
  }
};

class ComposedNode : public ValueNode<std::vector<Composable>> {
 public:
  using ValueNode::ValueNode;
  void append_to(std::string& out, const AdaptersMap& adapters) const override {
    for (const Composable& item : value) Access::node(item).append_to(out, adapters);
  }
};

// `c` appended to `items`, or its items if it is a Composed.
void append_flat(std::vector<Composable>& items, const Composable& c) {
  if (const auto* composed = dynamic_cast<const ComposedNode*>(&Access::node(c))) {
    items.insert(items.end(), composed->value.begin(), composed->value.end());
  } else {
    items.push_back(c);
  }
}

// A field of a format string: `{name!conversion:spec}`.
struct FormatField {
  std::string_view name;
  std::string_view conversion;
  std::string_view spec;
};

// Python's parsing of the text between the braces of a field.
FormatField parse_field(std::string_view field) {
  FormatField f;
  size_t i = 0;
  bool in_brackets = false;
  for (; i < field.size(); ++i) {
    const char c = field[i];
    if (in_brackets) {
      in_brackets = c != ']';
    } else if (c == '[') {
      in_brackets = true;
    } else if (c == ':' || c == '!') {
      break;
    }
  }
  f.name = field.substr(0, i);
  if (f.name.find('{') != std::string_view::npos) {
    throw ProgrammingError("unexpected '{' in field name");
  }
  if (i < field.size() && field[i] == '!') {
    if (i + 1 >= field.size()) throw ProgrammingError("unmatched '{' in format spec");
    f.conversion = field.substr(i + 1, 1);
    i += 2;
    if (i < field.size() && field[i] != ':') {
      throw ProgrammingError("expected ':' after conversion specifier");
    }
  }
  if (i < field.size()) f.spec = field.substr(i + 1);
  return f;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

std::string Composable::as_string(const AdaptersMap& adapters) const {
  std::string out;
  node_->append_to(out, adapters);
  return out;
}

bool operator==(const Composable& a, const Composable& b) {
  const Node& x = *a.node_;
  const Node& y = *b.node_;
  return &x == &y || (typeid(x) == typeid(y) && x.equals(y));
}

Composed operator+(const Composable& a, const Composable& b) {
  std::vector<Composable> items;
  append_flat(items, a);
  append_flat(items, b);
  return Composed(std::move(items));
}

Composed operator*(const Composable& a, size_t n) {
  return Composed(std::vector<Composable>(n, a));
}

Literal::Literal(Tag, Render render)
    : Composable(std::make_shared<LiteralNode>(std::move(render))) {}

Composed::Composed(std::vector<Composable> seq)
    : Composable(std::make_shared<ComposedNode>(std::move(seq))) {}

const std::vector<Composable>& Composed::seq() const { return value_of<ComposedNode>(*this); }

Composed Composed::join(std::string_view separator) const {
  return join(SQL(std::string(separator)));
}

Composed Composed::join(const SQL& separator) const { return separator.join(seq()); }

SQL::SQL(std::string text) : Composable(std::make_shared<SqlNode>(std::move(text))) {}

const std::string& SQL::text() const { return value_of<SqlNode>(*this); }

Composed SQL::join_items(const std::vector<Composable>& items) const {
  std::vector<Composable> out;
  out.reserve(items.empty() ? 0 : items.size() * 2 - 1);
  for (const Composable& item : items) {
    if (!out.empty()) out.push_back(*this);
    out.push_back(item);
  }
  return Composed(std::move(out));
}

Composed SQL::format_args(const std::vector<Composable>& positional,
                          const std::vector<NamedArg>& named) const {
  for (size_t i = 0; i < named.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (named[i].name == named[j].name) {
        throw ProgrammingError("SQL.format(): named argument " +
                               core_internal::py_repr(named[i].name) + " given twice");
      }
    }
  }
  auto missing_positional = [&](std::string_view index) {
    return ProgrammingError("SQL.format(): positional argument " + std::string(index) +
                            " missing (" + std::to_string(positional.size()) + " given)");
  };

  const std::string& s = text();
  std::vector<Composable> out;
  std::string pre;  // literal text of the current chunk
  auto flush = [&] {
    if (!pre.empty()) out.push_back(SQL(std::move(pre)));
    pre.clear();
  };
  size_t autonum = 0;   // the next automatically numbered field
  bool manual = false;  // a field was numbered by hand: no automatic numbering any more
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c != '{' && c != '}') {
      pre += c;
      ++i;
      continue;
    }
    if (i + 1 < s.size() && s[i + 1] == c) {  // `{{` or `}}`: Python ends the chunk there
      pre += c;
      i += 2;
      flush();
      continue;
    }
    if (c == '}') throw ProgrammingError("Single '}' encountered in format string");
    if (i + 1 == s.size()) throw ProgrammingError("Single '{' encountered in format string");

    // The field ends at the matching '}'; braces nest (in a spec), brackets protect the name.
    size_t end = i + 1;
    int depth = 1;
    bool in_name = true;
    bool in_brackets = false;
    for (; end < s.size(); ++end) {
      const char d = s[end];
      if (in_name && in_brackets) {
        in_brackets = d != ']';
        continue;
      }
      if (in_name && d == '[') {
        in_brackets = true;
      } else if (in_name && (d == ':' || d == '!')) {
        in_name = false;
      } else if (d == '{') {
        ++depth;
      } else if (d == '}' && --depth == 0) {
        break;
      }
    }
    if (end == s.size()) throw ProgrammingError("expected '}' before end of string");
    const FormatField field = parse_field(std::string_view(s).substr(i + 1, end - i - 1));
    i = end + 1;

    if (!field.spec.empty()) throw ProgrammingError("no format specification supported by SQL");
    if (!field.conversion.empty()) throw ProgrammingError("no format conversion supported by SQL");
    flush();
    if (all_digits(field.name)) {
      if (autonum > 0) {
        throw ProgrammingError("cannot switch from automatic field numbering to manual");
      }
      size_t index = 0;
      const auto parsed =
          std::from_chars(field.name.data(), field.name.data() + field.name.size(), index);
      if (parsed.ec != std::errc() || index >= positional.size()) {
        throw missing_positional(field.name);
      }
      out.push_back(positional[index]);
      manual = true;
    } else if (field.name.empty()) {
      if (manual) {
        throw ProgrammingError("cannot switch from manual field numbering to automatic");
      }
      if (autonum >= positional.size()) throw missing_positional(std::to_string(autonum));
      out.push_back(positional[autonum++]);
    } else {
      const NamedArg* found = nullptr;
      for (const NamedArg& a : named) {
        if (a.name == field.name) found = &a;
      }
      if (!found) {
        throw ProgrammingError("SQL.format(): named argument " +
                               core_internal::py_repr(field.name) + " missing");
      }
      out.push_back(found->value);
    }
  }
  flush();
  return Composed(std::move(out));
}

Identifier::Identifier(std::vector<std::string> parts)
    : Composable(std::make_shared<IdentifierNode>(std::move(parts))) {
  const std::vector<std::string>& p = strings();
  if (p.empty()) throw ProgrammingError("Identifier cannot be empty");
  for (const std::string& part : p) {
    if (part.empty()) throw ProgrammingError("SQL identifier parts cannot be empty");
    if (part.find('\0') != std::string::npos) {
      throw DataError("SQL identifiers cannot contain NUL (0x00) bytes");
    }
  }
}

const std::vector<std::string>& Identifier::strings() const {
  return value_of<IdentifierNode>(*this);
}

Placeholder::Placeholder(std::string name, ParamFormat format)
    : Composable(std::make_shared<PlaceholderNode>(std::make_pair(std::move(name), format))) {
  if (this->name().find(')') != std::string::npos) {
    throw ProgrammingError("invalid name: " + core_internal::py_repr(this->name()));
  }
}

const std::string& Placeholder::name() const { return value_of<PlaceholderNode>(*this).first; }

ParamFormat Placeholder::format() const { return value_of<PlaceholderNode>(*this).second; }

const SQL& null() {
  static const SQL* const kNull = new SQL("NULL");
  return *kNull;
}

const SQL& default_() {
  static const SQL* const kDefault = new SQL("DEFAULT");
  return *kDefault;
}

}  // namespace pgcpp::sql
