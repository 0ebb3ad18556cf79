#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "storage/engine.h"

namespace lontar::storage {

// Reads keyed by a list of ids take them a chunk at a time, one statement per chunk
// rather than one per id (a page of fifty rows is one round trip, not fifty), the
// chunk's bound text kept short.
inline constexpr std::size_t kIdsPerStatement = 500;

// A condition on `column` for any number of ids in one statement text, so that it is
// prepared once per connection whatever the count (the verifier queue's applicants and
// approval counts): the ids travel as one bound text, a JSON array that SQLite's
// json_each reads or an array literal PostgreSQL casts; each engine still uses the
// column's index for them.
inline std::string id_list_condition(Engine engine, const std::string& column, const std::string& placeholder) {
  if (engine == Engine::postgresql) return column + " = ANY(CAST(" + placeholder + " AS bigint[]))";
  return column + " IN (SELECT value FROM json_each(" + placeholder + "))";
}

inline std::string id_list_text(Engine engine, std::span<const std::int64_t> ids) {
  const bool postgres = engine == Engine::postgresql;
  std::string out(1, postgres ? '{' : '[');
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(ids[i]);
  }
  out += postgres ? '}' : ']';
  return out;
}

template <class Visit>
void for_each_id_chunk(const std::vector<std::int64_t>& ids, Visit&& visit) {
  for (std::size_t first = 0; first < ids.size(); first += kIdsPerStatement)
    visit(std::span<const std::int64_t>(ids).subspan(first, std::min(kIdsPerStatement, ids.size() - first)));
}

}  // namespace lontar::storage
