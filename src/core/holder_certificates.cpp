#include "core/holder_certificates.h"

#include "core/error.h"
#include "core/password_lockout.h"

namespace lontar {

std::vector<CertificateRecord> HolderCertificates::list(const Account& holder) const {
  std::vector<CertificateRecord> records;
  store_.read([&](StoreTransaction& tx) { records = tx.certificates().list_for_account(holder.id); });
  return records;
}

std::optional<CertificateRecord> HolderCertificates::by_serial(std::string_view serial_hex) const {
  std::optional<CertificateRecord> found;
  store_.read([&](StoreTransaction& tx) { found = tx.certificates().find_by_serial(serial_hex); });
  return found;
}

CertificateRecord HolderCertificates::own(const Account& holder, std::string_view serial_hex) const {
  std::optional<CertificateRecord> record;
  store_.read([&](StoreTransaction& tx) { record = tx.certificates().find_by_serial(serial_hex); });
  if (!record || record->account_id != holder.id)
    throw Error(ErrorKind::not_found, "unknown_certificate", "You have no certificate with that serial number.");
  return *record;
}

CertificateRecord HolderCertificates::revoke(const Account& holder, std::string_view serial_hex,
                                             RevocationReason reason, std::string_view password) const {
  if (reason == RevocationReason::ca_compromise)
    throw Error(ErrorKind::invalid_input, "bad_reason",
                "Give a reason: keyCompromise, affiliationChanged, cessationOfOperation, superseded, "
                "privilegeWithdrawn or unspecified.");
  confirm_password(store_, holder.id, password, LockoutPolicy{}, to_unix(clock_.now()),
                   "The password is wrong; the certificate was not revoked.");
  RevokeCommand command;
  command.serial_hex = std::string(serial_hex);
  command.reason = reason;
  command.actor = audit_actor(holder);
  command.requester_account_id = holder.id;
  return RevocationService(store_, clock_, tell_upstream_).revoke(command);
}

}  // namespace lontar
