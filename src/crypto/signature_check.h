#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace lontar::crypto {

// What a detached CMS signature says about the bytes it signs, checked with OpenSSL.
struct SignatureCheck {
  bool intact = false;   // the digest matches and the signature verifies with the signer's key
  bool trusted = false;  // the signer's certificate chains to `trusted_pem` at the signing time
  std::string signer_subject;
  std::string signer_serial;
  std::optional<TimePoint> timestamp;  // genTime of the signature timestamp, when present
  std::string problem;                 // why not intact or not trusted, for the report
};

// Only whether the digest matches and the value verifies with the key of the
// certificate inside (no trust decision).
bool signature_intact(std::string_view cms_der, std::string_view content);

SignatureCheck check_detached_signature(std::string_view cms_der, std::string_view content,
                                        std::string_view trusted_pem, std::string_view intermediates_pem);

}  // namespace lontar::crypto
