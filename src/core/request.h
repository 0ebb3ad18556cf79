#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/product.h"

namespace lontar {

// SPEC §3: draft → token_issued (LOCK) → submitted → approved → issued, with the side
// exits rejected, cancelled and expired.
enum class RequestState { draft, token_issued, submitted, approved, issued, rejected, cancelled, expired };
enum class RequestKind { new_certificate, renewal };

const char* to_string(RequestState state) noexcept;
std::optional<RequestState> parse_request_state(std::string_view text) noexcept;
const char* to_string(RequestKind kind) noexcept;
std::optional<RequestKind> parse_request_kind(std::string_view text) noexcept;

bool can_transition(RequestState from, RequestState to) noexcept;
bool is_open(RequestState state) noexcept;  // not yet issued, rejected, cancelled or expired
// A request number as typed in an address or a form. Throws not_found "unknown_request"
// for anything else, as for a number nobody has.
std::int64_t parse_request_id(std::string_view text);

struct CertificateRequest {
  std::int64_t id = 0;
  std::int64_t account_id = 0;
  std::string product_id;
  CertificateType type = CertificateType::individual;
  Method method = Method::lock;
  RequestKind kind = RequestKind::new_certificate;
  RequestState state = RequestState::draft;
  std::string decision_reason;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;

  // LOCK: the CSR token, kept only as its SHA-256; single use, short-lived.
  std::string token_sha256;
  std::int64_t token_expires_at = 0;
  // What was submitted: the CSR (LOCK, or generated on the server for eSign), the
  // key it carries, and the recommendation letter (a blob id).
  std::string csr_pem;
  std::string key_description;
  std::string key_sha256;
  std::string letter_blob;
  std::string agreement_version;
  std::int64_t submitted_at = 0;
  // eSign: the custody envelope made from the applicant's passphrase at submission,
  // and the private key sealed to it once generated.
  std::string custody_envelope;
  std::string sealed_key;
  std::string certificate_serial;  // once issued
  std::int64_t decided_by = 0;     // the verifier whose decision completed it
};

// One verifier's approval of a submitted request (a product may need two).
struct Approval {
  std::int64_t request_id = 0;
  std::int64_t verifier_id = 0;
  std::int64_t at = 0;
};

struct QueueFilter {
  std::optional<CertificateType> type;
  std::optional<Method> method;
  std::string product_id;  // empty: any
  std::int64_t limit = 200;
};

}  // namespace lontar
