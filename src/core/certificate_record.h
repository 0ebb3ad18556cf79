#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/product.h"

namespace lontar {

enum class CertificateStatus { valid, revoked, superseded };

const char* to_string(CertificateStatus status) noexcept;
std::optional<CertificateStatus> parse_certificate_status(std::string_view text) noexcept;

// A certificate as the CA keeps it: the signed bytes plus what queries need.
struct CertificateRecord {
  std::int64_t id = 0;
  std::string serial_hex;  // upper-case hex of the positive serial number
  std::int64_t account_id = 0;
  std::int64_t request_id = 0;
  std::string product_id;
  CertificateType type = CertificateType::individual;
  std::string subject;      // RFC 2253 text, for display
  std::string key_description;
  std::string key_sha256;   // hex SHA-256 of the SubjectPublicKeyInfo
  std::int64_t not_before = 0;
  std::int64_t not_after = 0;
  std::int64_t issued_at = 0;
  CertificateStatus status = CertificateStatus::valid;
  std::int64_t revoked_at = 0;
  std::string revocation_reason;  // RFC 5280 reason name, e.g. "keyCompromise"
  std::int64_t invalidity_date = 0;
  std::string pem;
};

// What the status services (CRL, OCSP) need to know about one certificate.
struct CertificateStatusInfo {
  std::string serial_hex;
  CertificateStatus status = CertificateStatus::valid;
  std::int64_t revoked_at = 0;
  std::string revocation_reason;
  std::int64_t invalidity_date = 0;
  std::int64_t not_after = 0;
};

}  // namespace lontar
