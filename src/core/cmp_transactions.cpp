#include "core/cmp_transactions.h"

#include "core/error.h"

namespace lontar {

bool CmpTransactions::claim(CmpTransaction transaction) const {
  transaction.created_at = transaction.updated_at = to_unix(clock_.now());
  try {
    store_.write([&](StoreTransaction& tx) { tx.cmp_transactions().insert(transaction); });
    return true;
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::conflict) return false;
    throw;
  }
}

std::optional<CmpTransaction> CmpTransactions::find(std::string_view id) const {
  std::optional<CmpTransaction> found;
  store_.read([&](StoreTransaction& tx) { found = tx.cmp_transactions().find(id); });
  return found;
}

void CmpTransactions::settle(std::string_view id, std::string_view state, std::int64_t request_id) const {
  const auto now = to_unix(clock_.now());
  store_.write([&](StoreTransaction& tx) { tx.cmp_transactions().update(id, state, request_id, now); });
}

}  // namespace lontar
