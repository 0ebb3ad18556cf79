#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/certificate_record.h"
#include "core/clock.h"
#include "core/store.h"

namespace lontar {

// RFC 5280 §5.3.1 CRLReason. certificateHold is not offered: Lontar has no suspension,
// every revocation is final.
enum class RevocationReason {
  unspecified = 0,
  key_compromise = 1,
  ca_compromise = 2,
  affiliation_changed = 3,
  superseded = 4,
  cessation_of_operation = 5,
  privilege_withdrawn = 9,
};

const char* to_string(RevocationReason reason) noexcept;  // RFC spelling: "keyCompromise"
// Accepts the RFC spelling and kebab/snake case ("key-compromise", "key_compromise").
std::optional<RevocationReason> parse_revocation_reason(std::string_view text) noexcept;
inline int reason_code(RevocationReason reason) noexcept { return static_cast<int>(reason); }

struct RevokeCommand {
  std::string serial_hex;
  RevocationReason reason = RevocationReason::unspecified;
  std::optional<std::int64_t> invalidity_date;  // when the key is believed compromised
  std::string actor;
  // Who asks: an administrator may revoke any certificate, a holder only their own.
  std::optional<std::int64_t> requester_account_id;
  bool requester_is_admin = false;
};

class RevocationService final {
 public:
  // `tell_upstream` (RA mode): each revocation is also queued for the upstream CA, in
  // the same transaction.
  RevocationService(Store& store, const Clock& clock, bool tell_upstream = false)
      : store_(store), clock_(clock), tell_upstream_(tell_upstream) {}

  // Final and audited: the certificate row, the status version that tells the status
  // services to refresh, and the audit event commit together.
  CertificateRecord revoke(const RevokeCommand& command) const;

 private:
  Store& store_;
  const Clock& clock_;
  bool tell_upstream_ = false;
};

}  // namespace lontar
