#include "pgcpp/core/query.h"

#include <algorithm>
#include <list>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_join.h"
#include "pgcpp/core/errors.h"

namespace pgcpp {
namespace {

// psycopg caches conversions only for queries likely to repeat (psycopg discussion #628).
constexpr size_t kCacheCapacity = 128;
constexpr size_t kMaxCachedQueryLength = 4096;
constexpr size_t kMaxCachedParams = 50;

// Python's bytes.split() separators, which end the text quoted by "incomplete placeholder".
bool is_ascii_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// The end of the placeholder text to quote in an error: `end`, extended over the rest of a
// UTF-8 character whose first byte is just before it (psycopg matches single bytes).
size_t complete_character(std::string_view q, size_t end) {
  const auto lead = static_cast<unsigned char>(q[end - 1]);
  if (lead < 0xC0) return end;
  while (end < q.size() && (static_cast<unsigned char>(q[end]) & 0xC0) == 0x80) ++end;
  return end;
}

// psycopg's _split_query: the regex `%(?:\(([^)]+)\).|.)` (`.` not matching a newline), the
// `%%` escape, and the checks of each placeholder.
ClientQuery split_query(std::string_view q) {
  ClientQuery out;
  absl::flat_hash_map<std::string, size_t> params_by_name;
  std::string pre;
  size_t start = 0;  // first byte not yet copied to `pre`
  size_t pos = 0;    // where to look for the next '%'
  while ((pos = q.find('%', pos)) != std::string_view::npos) {
    if (pos + 1 >= q.size() || q[pos + 1] == '\n') {  // no match: a plain '%'
      ++pos;
      continue;
    }
    pre.append(q.substr(start, pos - start));
    char code = q[pos + 1];
    size_t end = pos + 2;
    std::string_view name;
    if (code == '%') {
      pre += '%';
      start = pos = end;
      continue;
    }
    if (code == ' ') {
      throw ProgrammingError(
          "incomplete placeholder: '%'; if you want to use '%' as an operator you can double it "
          "up, i.e. use '%%'");
    }
    if (code == '(') {
      const size_t close = q.find(')', pos + 2);
      if (close == std::string_view::npos || close == pos + 2 || close + 1 >= q.size() ||
          q[close + 1] == '\n') {
        size_t stop = pos;
        while (stop < q.size() && !is_ascii_space(q[stop])) ++stop;
        throw ProgrammingError("incomplete placeholder: '" +
                               std::string(q.substr(pos, stop - pos)) + "'");
      }
      name = q.substr(pos + 2, close - pos - 2);
      code = q[close + 1];
      end = close + 2;
    }
    if (code != 's' && code != 't' && code != 'b') {
      const size_t shown = complete_character(q, end);
      throw ProgrammingError("only '%s', '%b', '%t' are allowed as placeholders, got '" +
                             std::string(q.substr(pos, shown - pos)) + "'");
    }
    const PlaceholderStyle style =
        name.empty() ? PlaceholderStyle::kPositional : PlaceholderStyle::kNamed;
    if (out.style == PlaceholderStyle::kNone) {
      out.style = style;
    } else if (out.style != style) {
      throw ProgrammingError("positional and named placeholders cannot be mixed");
    }

    QueryPart part;
    part.pre = std::move(pre);
    pre.clear();
    part.format = code == 's'   ? ParamFormat::kAuto
                  : code == 't' ? ParamFormat::kText
                                : ParamFormat::kBinary;
    if (style == PlaceholderStyle::kPositional) {
      part.param = out.parts.size();
    } else {
      part.name = std::string(name);
      auto [it, inserted] = params_by_name.try_emplace(part.name, out.names.size());
      if (inserted) out.names.push_back(part.name);
      part.param = it->second;
    }
    out.parts.push_back(std::move(part));
    start = pos = end;
  }
  pre.append(q.substr(start));
  out.tail = std::move(pre);
  out.placeholder_count = out.parts.size();
  return out;
}

// A thread-safe LRU map from query text to its shared conversion. std::mutex rather than
// absl::Mutex: the system Abseil is not built with ThreadSanitizer, which then cannot see its
// locks (--config=tsan would report every cache access as a race).
template <class V>
class LruCache {
 public:
  std::shared_ptr<const V> find(std::string_view key) {
    std::lock_guard lock(mu_);
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    entries_.splice(entries_.begin(), entries_, it->second);
    return it->second->second;
  }

  void insert(std::string_view key, std::shared_ptr<const V> value) {
    std::lock_guard lock(mu_);
    if (index_.contains(key)) return;  // another thread converted it meanwhile
    entries_.emplace_front(std::string(key), std::move(value));
    index_.emplace(entries_.front().first, entries_.begin());
    if (entries_.size() > kCacheCapacity) {
      index_.erase(entries_.back().first);
      entries_.pop_back();
    }
  }

 private:
  using Entries = std::list<std::pair<std::string, std::shared_ptr<const V>>>;
  std::mutex mu_;    // guards both members below
  Entries entries_;  // most recently used first
  // Keys point into `entries_`, whose nodes never move.
  absl::flat_hash_map<std::string_view, typename Entries::iterator> index_;
};

template <class V, V (*Convert)(std::string_view)>
std::shared_ptr<const V> convert_cached(std::string_view query) {
  static auto* const cache = new LruCache<V>();
  const bool cacheable = query.size() <= kMaxCachedQueryLength;
  if (cacheable) {
    if (auto hit = cache->find(query)) return hit;
  }
  auto value = std::make_shared<const V>(Convert(query));  // throws for a bad query: not cached
  if (cacheable && value->param_count() <= kMaxCachedParams) cache->insert(query, value);
  return value;
}

}  // namespace

char placeholder_format_code(ParamFormat format) {
  switch (format) {
    case ParamFormat::kText:
      return 't';
    case ParamFormat::kBinary:
      return 'b';
    case ParamFormat::kAuto:
      break;
  }
  return 's';
}

size_t QueryParams::param_count() const {
  return style == PlaceholderStyle::kNamed ? names.size() : placeholder_count;
}

void QueryParams::check_sequence_params(size_t count) const {
  if (count != placeholder_count) {
    throw ProgrammingError("the query has " + std::to_string(placeholder_count) +
                           " placeholders but " + std::to_string(count) +
                           " parameters were passed");
  }
  if (count > 0 && style == PlaceholderStyle::kNamed) {
    throw ProgrammingError("named placeholders require a mapping of parameters");
  }
}

void QueryParams::check_mapping_params(absl::FunctionRef<bool(std::string_view)> contains) const {
  if (style == PlaceholderStyle::kPositional) {
    throw ProgrammingError("positional placeholders (%s) require a sequence of parameters");
  }
  std::vector<std::string> missing;
  for (const std::string& name : names) {
    if (!contains(name)) missing.push_back(name);
  }
  if (!missing.empty()) {
    std::sort(missing.begin(), missing.end());
    throw ProgrammingError("query parameter missing: " + absl::StrJoin(missing, ", "));
  }
}

std::string ClientQuery::merge(std::span<const std::string> literals) const {
  if (literals.size() != param_count()) {
    throw std::invalid_argument("ClientQuery::merge: the query has " +
                                std::to_string(param_count()) + " parameters but " +
                                std::to_string(literals.size()) + " literals were given");
  }
  size_t size = tail.size();
  for (const QueryPart& part : parts) size += part.pre.size() + literals[part.param].size();
  std::string out;
  out.reserve(size);
  for (const QueryPart& part : parts) {
    out += part.pre;
    out += literals[part.param];
  }
  out += tail;
  return out;
}

ClientQuery convert_client_query_uncached(std::string_view query) { return split_query(query); }

PgQuery convert_query_uncached(std::string_view query) {
  ClientQuery split = split_query(query);
  PgQuery out;
  out.style = split.style;
  out.placeholder_count = split.placeholder_count;
  out.names = std::move(split.names);
  out.formats.reserve(out.param_count());
  size_t size = split.tail.size();
  for (const QueryPart& part : split.parts) size += part.pre.size() + 4;
  out.query.reserve(size);
  for (const QueryPart& part : split.parts) {
    out.query += part.pre;
    out.query += '$';
    out.query += std::to_string(part.param + 1);
    if (part.param == out.formats.size()) {
      out.formats.push_back(part.format);
    } else if (out.formats[part.param] != part.format) {
      throw ProgrammingError("placeholder '" + part.name + "' cannot have different formats");
    }
  }
  out.query += split.tail;
  return out;
}

std::shared_ptr<const PgQuery> convert_query(std::string_view query) {
  return convert_cached<PgQuery, &convert_query_uncached>(query);
}

std::shared_ptr<const ClientQuery> convert_client_query(std::string_view query) {
  return convert_cached<ClientQuery, &convert_client_query_uncached>(query);
}

}  // namespace pgcpp
