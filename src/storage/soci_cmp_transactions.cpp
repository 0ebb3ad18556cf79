#include "storage/soci_repositories.h"

namespace lontar::storage {

void SociCmpTransactionRepository::insert(const CmpTransaction& t) {
  sql_ << "INSERT INTO cmp_transactions (id, body, request_id, holder_serial, registration_authority, request_der, "
          "state, created_at, updated_at) VALUES (:id, :body, :request, :holder, :ra, :der, :state, :created, "
          ":updated)",
      soci::use(t.id), soci::use(t.body), soci::use(t.request_id), soci::use(t.holder_serial),
      soci::use(t.registration_authority),
      soci::use(t.request_der), soci::use(t.state), soci::use(t.created_at), soci::use(t.updated_at);
}

std::optional<CmpTransaction> SociCmpTransactionRepository::find(std::string_view id) {
  CmpTransaction t;
  const std::string key(id);
  sql_ << "SELECT id, body, request_id, holder_serial, registration_authority, request_der, state, created_at, "
          "updated_at FROM cmp_transactions WHERE id = :id",
      soci::use(key), soci::into(t.id), soci::into(t.body), soci::into(t.request_id), soci::into(t.holder_serial),
      soci::into(t.registration_authority),
      soci::into(t.request_der), soci::into(t.state), soci::into(t.created_at), soci::into(t.updated_at);
  if (!sql_.got_data()) return std::nullopt;
  return t;
}

void SociCmpTransactionRepository::update(std::string_view id, std::string_view state, std::int64_t request_id,
                                          std::int64_t at) {
  const std::string key(id), state_text(state);
  sql_ << "UPDATE cmp_transactions SET state = :state, request_id = :request, updated_at = :at WHERE id = :id",
      soci::use(state_text), soci::use(request_id), soci::use(at), soci::use(key);
}

}  // namespace lontar::storage
