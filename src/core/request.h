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
};

}  // namespace lontar
