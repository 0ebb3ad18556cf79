#include "storage/soci_repositories.h"

namespace lontar::storage {

std::optional<IdempotentResponse> SociIdempotencyRepository::find(std::int64_t account_id, std::string_view key) {
  IdempotentResponse r;
  const std::string key_text(key);
  sql_ << "SELECT account_id, idem_key, fingerprint, status, body, created_at FROM idempotency_keys "
          "WHERE account_id = :account AND idem_key = :key",
      soci::into(r.account_id), soci::into(r.key), soci::into(r.fingerprint), soci::into(r.status),
      soci::into(r.body), soci::into(r.created_at), soci::use(account_id), soci::use(key_text);
  if (!sql_.got_data()) return std::nullopt;
  return r;
}

void SociIdempotencyRepository::insert(const IdempotentResponse& r) {
  sql_ << "INSERT INTO idempotency_keys (account_id, idem_key, fingerprint, status, body, created_at) "
          "VALUES (:account, :key, :fingerprint, :status, :body, :created)",
      soci::use(r.account_id), soci::use(r.key), soci::use(r.fingerprint), soci::use(r.status), soci::use(r.body),
      soci::use(r.created_at);
}

}  // namespace lontar::storage
