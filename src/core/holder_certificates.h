#pragma once

#include <string_view>
#include <vector>

#include "core/account.h"
#include "core/certificate_record.h"
#include "core/clock.h"
#include "core/revocation.h"
#include "core/store.h"

namespace lontar {

// A holder's own certificates: the list, one of them, and revocation with the password
// entered again (SPEC §1: misuse leads to revocation; a lost key must be revoked by its
// holder at once). Someone else's certificate is answered exactly like a serial that
// does not exist.
class HolderCertificates final {
 public:
  HolderCertificates(Store& store, const Clock& clock, bool tell_upstream = false)
      : store_(store), clock_(clock), tell_upstream_(tell_upstream) {}

  std::vector<CertificateRecord> list(const Account& holder) const;
  // The certificate a signature-protected protocol message (CMP) is signed with; the
  // signature itself is the authentication, so no account is asked for.
  std::optional<CertificateRecord> by_serial(std::string_view serial_hex) const;
  // Throws not_found "unknown_certificate".
  CertificateRecord own(const Account& holder, std::string_view serial_hex) const;
  // Throws invalid_input "bad_reason" for caCompromise (the CA's own event, not a
  // holder's), unauthenticated "wrong_password".
  CertificateRecord revoke(const Account& holder, std::string_view serial_hex, RevocationReason reason,
                           std::string_view password) const;

 private:
  Store& store_;
  const Clock& clock_;
  bool tell_upstream_ = false;
};

}  // namespace lontar
