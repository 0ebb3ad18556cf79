#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/random.h"
#include "crypto/signer.h"

namespace lontar::crypto {

// An RFC 3161 timestamp authority: answers a DER TimeStampReq with a DER
// TimeStampResp signed by the TSA certificate (ESS signing-certificate-v2 with SHA-256,
// the certificate included when asked), accuracy ±1 s, the given policy, SHA-256/384/512
// message imprints, and a 126-bit random serial number per token. Malformed or
// unsupported requests get a TimeStampResp with status `rejection` and a failure reason.
class TimestampAuthority final {
 public:
  // The genTime comes from `clock`: the server's (the system clock in production).
  TimestampAuthority(std::shared_ptr<const Signer> signer, std::string chain_pem, std::string policy_oid,
                     RandomSource& random, const Clock& clock);
  std::string respond(std::string_view request_der) const;

 private:
  std::shared_ptr<const Signer> signer_;
  std::string chain_pem_;
  std::string policy_oid_;
  RandomSource& random_;
  const Clock& clock_;
};

}  // namespace lontar::crypto
