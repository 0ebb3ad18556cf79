#pragma once

#include <string>

namespace lontar::crypto {

// Where relying parties find the CA's status services and certificates; every issued
// certificate carries them (CRL distribution point, authority information access).
struct CaUrls {
  std::string crl;
  std::string ocsp;
  std::string issuer;       // issuing CA certificate, DER
  std::string root_issuer;  // root CA certificate, DER
  std::string root_crl;

  static CaUrls under(std::string public_url);
};

}  // namespace lontar::crypto
