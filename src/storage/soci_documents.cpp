#include "storage/soci_repositories.h"

namespace lontar::storage {

void SociDocumentRepository::insert(const SignedDocument& d) {
  sql_ << "INSERT INTO documents (id, sha256, signer_serial, signer_name, signer_unit, signed_at, signature_count) "
          "VALUES (:id, :sha, :serial, :name, :unit, :at, :count)",
      soci::use(d.id), soci::use(d.sha256), soci::use(d.signer_serial), soci::use(d.signer_name),
      soci::use(d.signer_unit), soci::use(d.signed_at), soci::use(d.signature_count);
}

std::optional<SignedDocument> SociDocumentRepository::find(std::string_view id) {
  SignedDocument d;
  const std::string key(id);
  sql_ << "SELECT id, sha256, signer_serial, signer_name, signer_unit, signed_at, signature_count FROM documents "
          "WHERE id = :id",
      soci::into(d.id), soci::into(d.sha256), soci::into(d.signer_serial), soci::into(d.signer_name),
      soci::into(d.signer_unit), soci::into(d.signed_at), soci::into(d.signature_count), soci::use(key);
  if (!sql_.got_data()) return std::nullopt;
  return d;
}

}  // namespace lontar::storage
