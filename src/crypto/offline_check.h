#pragma once

#include <map>
#include <optional>
#include <vector>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/validation_data.h"
#include "crypto/certificate.h"
#include "crypto/ocsp_answer.h"
#include "crypto/signature_check.h"

namespace lontar::crypto {

// A signature judged years later with nothing but the document and the relying
// party's trust anchor: the certificates, OCSP answers and CRLs the document carries
// (PAdES B-LT) stand in for the CA's services.
struct OfflineCheck {
  std::string signer_subject;
  bool intact = false;
  std::optional<TimePoint> timestamp;  // a verified signature timestamp
  bool chain_valid = false;            // the signer chains to the anchor at the timestamp
  // From the embedded answers: "good", "revoked after signing", "revoked", "no current
  // data" (only answers from before the signature expired) or "no data".
  std::string signer_status = "no data";
  std::string timestamp_authority_status = "no data";
  std::string issuer_status = "no data";  // the issuing CA, from the embedded CRL
  bool valid() const;
};

// What one document carries to judge its signatures by, with the trust anchor; the
// answers about each certificate are verified once for all its signatures.
class EmbeddedEvidence final {
 public:
  EmbeddedEvidence(std::string_view trust_anchor_pem, const ValidationData& embedded);
  const std::vector<OcspAnswer>& answers_about(X509* subject);

  Certificate anchor;
  const ValidationData& embedded;
  std::vector<Certificate> chain;  // the embedded certificates and the anchor

 private:
  std::map<std::string, std::vector<OcspAnswer>> answers_;  // by the subject's DER
};

// `check` is the signature's verification against the same anchor, with the
// document's certificates as intermediates; this adds the statuses the embedded
// answers give the signer, its timestamp authority and its issuing CA.
OfflineCheck check_offline(const SignatureCheck& check, std::string_view cms_der, EmbeddedEvidence& evidence);

// The document's embedded certificates as PEM (undecodable ones left out).
std::string embedded_certificates_pem(const ValidationData& embedded);

}  // namespace lontar::crypto
