#include "core/idempotency.h"

#include "core/error.h"

namespace lontar {

std::optional<IdempotentResponse> IdempotencyLedger::find(std::int64_t account_id, std::string_view key) const {
  std::optional<IdempotentResponse> found;
  store_.read([&](StoreTransaction& tx) { found = tx.idempotency().find(account_id, key); });
  return found;
}

std::optional<IdempotentResponse> IdempotencyLedger::remember(const IdempotentResponse& response) const {
  try {
    store_.write([&](StoreTransaction& tx) { tx.idempotency().insert(response); });
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::conflict) throw;
    if (auto earlier = find(response.account_id, response.key)) return earlier;
    throw;
  }
  return std::nullopt;
}

}  // namespace lontar
