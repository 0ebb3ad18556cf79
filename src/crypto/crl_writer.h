#pragma once

#include <cstdint>
#include <string>

#include "core/certificate_record.h"
#include "core/clock.h"
#include "crypto/signer.h"

namespace lontar::crypto {

// Writes a v2 CRL (RFC 5280 §5) one entry at a time, straight into DER: memory grows
// with the encoded entries (about 50 bytes each), never with OpenSSL objects.
//
//   CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue }
//   TBSCertList ::= SEQUENCE { version v2, signature, issuer, thisUpdate, nextUpdate,
//       revokedCertificates SEQUENCE OF SEQUENCE { userCertificate, revocationDate,
//           crlEntryExtensions OPTIONAL } OPTIONAL,
//       crlExtensions [0] EXPLICIT Extensions }   -- AKI and CRL number
class CrlWriter final {
 public:
  CrlWriter(const Signer& signer, std::int64_t crl_number, TimePoint this_update, TimePoint next_update);

  // Entry extensions: reasonCode (omitted for unspecified, as §5.3.1 asks) and
  // invalidityDate when known.
  void add(const CertificateStatusInfo& entry);
  std::size_t entries() const { return count_; }
  std::string finish();  // the signed CRL, DER

 private:
  const Signer& signer_;
  std::int64_t crl_number_;
  std::int64_t this_update_;
  std::int64_t next_update_;
  std::string entries_;
  std::size_t count_ = 0;
};

}  // namespace lontar::crypto
