#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/validation_data.h"

namespace lontar::crypto {

// A signature judged years later with nothing but the document and the relying
// party's trust anchor: the certificates, OCSP answers and CRLs the document carries
// (PAdES B-LT) stand in for the CA's services.
struct OfflineCheck {
  std::string signer_subject;
  bool intact = false;
  std::optional<TimePoint> timestamp;  // a verified signature timestamp
  bool chain_valid = false;            // the signer chains to the anchor at the timestamp
  // From the embedded answers: "good", "revoked after signing", "revoked", or "no data".
  std::string signer_status = "no data";
  std::string timestamp_authority_status = "no data";
  std::string issuer_status = "no data";  // the issuing CA, from the embedded CRL
  bool valid() const;
};

OfflineCheck check_offline(std::string_view cms_der, std::string_view content, std::string_view trust_anchor_pem,
                           const ValidationData& embedded);

}  // namespace lontar::crypto
