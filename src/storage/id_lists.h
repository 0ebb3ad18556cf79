#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace lontar::storage {

// Reads keyed by a list of ids bind them as "IN (:id0, :id1, ...)", one statement for a
// chunk of ids rather than one per id (a page of fifty rows is one round trip, not fifty),
// in chunks that stay far below every engine's limit on bound parameters.
inline constexpr std::size_t kIdsPerStatement = 500;

inline std::string id_placeholders(std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    out += i ? ", :id" : ":id";
    out += std::to_string(i);
  }
  return out;
}

template <class Visit>
void for_each_id_chunk(const std::vector<std::int64_t>& ids, Visit&& visit) {
  for (std::size_t first = 0; first < ids.size(); first += kIdsPerStatement)
    visit(std::span<const std::int64_t>(ids).subspan(first, std::min(kIdsPerStatement, ids.size() - first)));
}

}  // namespace lontar::storage
