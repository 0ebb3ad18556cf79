#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace lontar::crypto {

// What a detached CMS signature says about the bytes it signs, checked with OpenSSL.
struct SignatureCheck {
  bool intact = false;   // the digest matches and the signature verifies with the signer's key
  bool refused = false;  // ambiguous about its signer or malformed: judged no further
  bool trusted = false;  // the signer's certificate chains to `trusted_pem` at the signing time
  std::string signer_subject;
  std::string signer_serial;
  std::string signer_der;  // the bound certificate: status and registration are about this one
  std::optional<TimePoint> timestamp;  // genTime of the signature timestamp, when present
  std::string problem;                 // why not intact or not trusted, for the report
};

// Only whether the digest matches and the value verifies with the key of the one
// certificate the signer info names (no trust decision).
// `content`: the signed bytes, in pieces read one after the other (a PDF's byte range).
bool signature_intact(std::string_view cms_der, std::span<const std::string_view> content);

// The value checked with the signer bound exactly once (see CmsSignature), its
// timestamp token verified, and trust judged on that same certificate: it must chain
// to `trusted_pem` at the timestamp and be meant for signing documents.
SignatureCheck check_detached_signature(std::string_view cms_der, std::span<const std::string_view> content,
                                        std::string_view trusted_pem, std::string_view intermediates_pem);

}  // namespace lontar::crypto
