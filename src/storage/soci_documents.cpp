#include "storage/soci_repositories.h"

namespace lontar::storage {

void SociDocumentRepository::insert(const SignedDocument& d) {
  sql_ << "INSERT INTO documents (id, sha256, signer_serial, signer_name, signer_unit, signed_at, signature_count) "
          "VALUES (:id, :sha, :serial, :name, :unit, :at, :count)",
      soci::use(d.id), soci::use(d.sha256), soci::use(d.signer_serial), soci::use(d.signer_name),
      soci::use(d.signer_unit), soci::use(d.signed_at), soci::use(d.signature_count);
}

std::optional<SignedDocument> SociDocumentRepository::find_where(const std::string& column, std::string_view value) {
  SignedDocument d;
  const std::string key(value);
  sql_ << "SELECT id, sha256, signer_serial, signer_name, signer_unit, signed_at, signature_count FROM documents "
          "WHERE " + column + " = :key ORDER BY signed_at DESC LIMIT 1",
      soci::into(d.id), soci::into(d.sha256), soci::into(d.signer_serial), soci::into(d.signer_name),
      soci::into(d.signer_unit), soci::into(d.signed_at), soci::into(d.signature_count), soci::use(key);
  if (!sql_.got_data()) return std::nullopt;
  return d;
}

std::optional<SignedDocument> SociDocumentRepository::find(std::string_view id) { return find_where("id", id); }

std::optional<SignedDocument> SociDocumentRepository::find_by_sha256(std::string_view sha256) {
  return find_where("sha256", sha256);
}

}  // namespace lontar::storage
