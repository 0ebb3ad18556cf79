#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/certificate_factory.h"

namespace lontar {

// What an RA asks its upstream CA to certify: the key (proven to the RA, by a CSR's
// signature or because the RA made it), the subject and addresses the RA decided, and
// the transaction it is asked in (the same one again after a crash).
struct UpstreamOrderDetails {
  std::string transaction_id;  // hex, 16 octets
  std::string product_id;
  std::vector<SubjectAttribute> subject;
  std::vector<std::string> email_addresses;
};

// A certificate the upstream issued, already checked: its key is the order's key, its
// subject the order's subject, and it chains to the upstream root configured.
struct UpstreamCertificate {
  std::string serial_hex;
  std::string subject;
  std::string pem;
  std::int64_t not_before = 0;
  std::int64_t not_after = 0;
};

// The CA a registration authority forwards to (RA mode). Both calls throw
// Error(unavailable) when it cannot be asked now (try again later) and
// Error(policy, "upstream_refused") when it refused; certify throws
// Error(invalid_input, "upstream_answer_refused") for an answer that fails the checks
// (the CA is told so and revokes it).
class UpstreamCa {
 public:
  virtual ~UpstreamCa() = default;
  virtual const std::string& name() const = 0;
  // `keep` stores the certificate before the CA is told it was accepted (certConf); if
  // it throws, the CA is still told "accepted" (a retry in the same transaction brings
  // the same certificate again) and the exception is passed on.
  virtual void certify(const UpstreamOrderDetails& order, const SigningRequest& key,
                       const std::function<void(const UpstreamCertificate&)>& keep) const = 0;
  // Revocation (rr) of a certificate it issued; `reason` is an RFC 5280 CRLReason code.
  virtual void revoke(std::string_view certificate_pem, int reason) const = 0;
};

}  // namespace lontar
