#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "crypto/certificate.h"

namespace lontar::crypto {

// What one OCSP answer says about one certificate, after checking it: a successful
// basic response, signed by a responder that chains to a self-signed certificate in
// `chain` (through the others), about exactly `subject` issued by `issuer`.
struct OcspAnswer {
  enum class Status { good, revoked, unknown };
  Status status = Status::unknown;
  std::optional<TimePoint> revoked_at;
  std::optional<TimePoint> this_update;
  std::optional<TimePoint> next_update;
  std::vector<std::string> responder_certificates;  // DER, as the answer carries them
};

// Throws Error(invalid_input, "validation_data_unusable") when the answer is not one
// (not successful, not signed by such a responder, or about another certificate).
OcspAnswer read_ocsp_answer(std::string_view answer_der, X509* subject, X509* issuer,
                            const std::vector<Certificate>& chain);

// The DER OCSPRequest asking about `subject` (no nonce, so answers can be cached).
std::string ocsp_request_for(X509* subject, X509* issuer);

}  // namespace lontar::crypto
