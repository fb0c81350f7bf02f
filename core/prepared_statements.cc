#include "pgcpp/core/prepared_statements.h"

#include <cstring>

#include "pgcpp/core/errors.h"

namespace pgcpp {

namespace {

std::optional<int> checked_setting(const char* what, std::optional<int> value) {
  if (value && *value < 0) {
    throw ProgrammingError(std::string(what) + " must be >= 0 or none, got " +
                           std::to_string(*value));
  }
  return value;
}

// Whether a command tag starts with `word` as a whole word.
bool tag_is(const char* tag, std::string_view word) {
  return std::strncmp(tag, word.data(), word.size()) == 0 &&
         (tag[word.size()] == '\0' || tag[word.size()] == ' ');
}

// The builtin types whose binary codec loads the same values as the text one
// (checked by prepared_statements_test across these families).
bool builtin_binary_type(Oid oid) {
  if (adapt_internal::is_number_oid(oid) || adapt_internal::is_datetime_oid(oid)) return true;
  switch (oid) {
    case oids::kBool:
    case oids::kText:
    case oids::kVarchar:
    case oids::kBpchar:
    case oids::kName:
    case oids::kBytea:
    case oids::kUuid:
    case oids::kJson:
    case oids::kJsonb:
    case oids::kInet:
    case oids::kCidr:
      return true;
    default:
      return false;
  }
}

bool binary_loadable(Oid oid, const AdaptersMap& adapters) {
  if (adapters.has_user_loader(oid, Format::kBinary)) return true;
  // A user's text loader would be bypassed by binary results.
  if (adapters.has_user_loader(oid, Format::kText)) return false;
  if (builtin_binary_type(oid)) return true;
  const Oid element = adapters.types().element_oid(oid);
  return element != 0 && builtin_binary_type(element);
}

}  // namespace

bool PreparedStatements::make_key(std::string_view query, std::span<const Oid> types,
                                  std::string& key) {
  // The query cannot hold a NUL (it is sent as a C string): the types follow one.
  const size_t size = query.size() + 1 + types.size_bytes();
  if (key.size() == size && key[query.size()] == '\0' &&
      std::memcmp(key.data(), query.data(), query.size()) == 0 &&
      (types.empty() ||
       std::memcmp(key.data() + query.size() + 1, types.data(), types.size_bytes()) == 0)) {
    return false;  // the key of the caller's previous query, already there
  }
  key.assign(query);
  key.push_back('\0');
  if (!types.empty()) key.append(reinterpret_cast<const char*>(types.data()), types.size_bytes());
  return true;
}

void PreparedStatements::set_prepare_threshold(std::optional<int> value) {
  threshold_ = checked_setting("prepare_threshold", value);
}

void PreparedStatements::set_prepared_max(std::optional<int> value) {
  max_ = checked_setting("prepared_max", value);
  evict();
}

PreparedStatements::Slot* PreparedStatements::find(std::string_view key) {
  auto it = index_.find(key);
  return it == index_.end() ? nullptr : &it->second;
}

PreparedStatements::Slot* PreparedStatements::find(std::string_view key, const Decision& decision) {
  if (decision.slot_ != nullptr && decision.generation_ == generation_) {
    // The map's nodes do not move: only an erasure can invalidate the slot.
    return const_cast<Slot*>(static_cast<const Slot*>(decision.slot_));
  }
  return find(key);
}

PreparedStatements::Decision PreparedStatements::get(std::string_view key,
                                                     std::optional<bool> prepare,
                                                     const Decision* previous) {
  Decision d;
  if (!threshold_) return d;
  const Slot* slot = previous ? find(key, *previous) : find(key);
  d.slot_ = slot;  // found once, for maybe_add_to_cache() too
  d.generation_ = generation_;
  if (prepare == false) return d;
  if (slot && slot->prepared) {
    d.prepare = Prepare::kYes;
    d.name = slot->it->name;
    d.columns = slot->it->columns;
    d.columns_known = slot->it->columns_known;
    return d;
  }
  const int64_t count = slot ? slot->it->count : 0;
  if (prepare == true || count >= *threshold_) {
    d.prepare = Prepare::kShould;
    d.name = "_pgcpp_" + std::to_string(next_name_++);
  }
  return d;
}

void PreparedStatements::maybe_add_to_cache(std::string_view key, const Decision& decision) {
  if (!threshold_ && decision.prepare == Prepare::kNo) return;  // no cache at all
  Slot* slot = find(key, decision);
  if (!slot) {
    counts_.push_front(Entry{.key = std::string(key)});
    slot = &index_.emplace(counts_.front().key, Slot{counts_.begin(), false}).first->second;
  }
  List& from = slot->prepared ? names_ : counts_;
  switch (decision.prepare) {
    case Prepare::kNo:
      if (slot->prepared) break;  // run unprepared by choice (prepare=false): stays prepared
      ++slot->it->count;
      counts_.splice(counts_.begin(), from, slot->it);
      break;
    case Prepare::kShould:
      slot->it->name = decision.name;
      slot->it->columns.clear();
      slot->it->columns_known = false;
      names_.splice(names_.begin(), from, slot->it);
      slot->prepared = true;
      break;
    case Prepare::kYes:
      names_.splice(names_.begin(), from, slot->it);
      break;
  }
  evict();
}

void PreparedStatements::erase(std::string_view key) {
  auto it = index_.find(key);
  if (it == index_.end()) return;
  ++generation_;
  List::iterator entry = it->second.it;
  List& list = it->second.prepared ? names_ : counts_;
  index_.erase(it);  // before the entry whose key the map's key views
  list.erase(entry);
}

void PreparedStatements::evict() {
  if (!max_) return;
  const size_t max = static_cast<size_t>(*max_);
  while (counts_.size() > max) erase(counts_.back().key);
  while (names_.size() > max) {
    to_deallocate_.push_back(std::move(names_.back().name));
    erase(names_.back().key);
  }
}

void PreparedStatements::prepare_failed(std::string_view key) { erase(key); }

void PreparedStatements::validate(std::string_view key, const Decision& decision,
                                  const PGresult* result) {
  const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  const bool ok = status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK;
  if (decision.prepare == Prepare::kNo) {
    if (!ok) {
      Slot* slot = find(key);
      if (slot && !slot->prepared) erase(key);
    }
    return;
  }
  if (!ok) return;  // the statement exists; another execution may succeed
  Slot* slot = find(key, decision);
  if (!slot || !slot->prepared || slot->it->columns_known) return;
  Entry& entry = *slot->it;
  const int n = PQnfields(result);
  entry.columns.resize(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) entry.columns[static_cast<size_t>(i)] = PQftype(result, i);
  entry.columns_known = true;
}

bool PreparedStatements::observe(const PGresult* result) {
  if (index_.empty() || result == nullptr || PQresultStatus(result) != PGRES_COMMAND_OK) {
    return false;
  }
  const char* tag = PQcmdStatus(const_cast<PGresult*>(result));
  if (tag == nullptr) return false;
  if (tag_is(tag, "DROP") || tag_is(tag, "ALTER") || tag_is(tag, "DISCARD") ||
      tag_is(tag, "DEALLOCATE") || tag_is(tag, "ROLLBACK")) {
    clear();
    return true;
  }
  return false;
}

bool PreparedStatements::clear() {
  const bool any_prepared = !names_.empty();
  ++generation_;
  index_.clear();
  counts_.clear();
  names_.clear();
  if (any_prepared) {
    to_deallocate_.clear();
    deallocate_all_ = true;
  }
  return has_maintenance();
}

std::vector<std::string> PreparedStatements::take_maintenance() {
  std::vector<std::string> commands;
  if (deallocate_all_) {
    commands.emplace_back("DEALLOCATE ALL");
  } else {
    for (const std::string& name : to_deallocate_) commands.push_back("DEALLOCATE " + name);
  }
  deallocate_all_ = false;
  to_deallocate_.clear();
  return commands;
}

bool PreparedStatements::binary_result_columns(std::span<const Oid> columns,
                                               const AdaptersMap& adapters) {
  for (Oid oid : columns) {
    if (!binary_loadable(oid, adapters)) return false;
  }
  return true;
}

}  // namespace pgcpp
