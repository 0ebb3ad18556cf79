#include "core/certificate_record.h"

namespace lontar {

const char* to_string(CertificateStatus status) noexcept {
  switch (status) {
    case CertificateStatus::valid: return "valid";
    case CertificateStatus::revoked: return "revoked";
    case CertificateStatus::superseded: return "superseded";
  }
  return "valid";
}

std::optional<CertificateStatus> parse_certificate_status(std::string_view text) noexcept {
  if (text == "valid") return CertificateStatus::valid;
  if (text == "revoked") return CertificateStatus::revoked;
  if (text == "superseded") return CertificateStatus::superseded;
  return std::nullopt;
}

}  // namespace lontar
