#pragma once

#include <string>
#include <string_view>

#include "core/certificate_factory.h"
#include "crypto/ossl_ptr.h"

namespace lontar::crypto {

// A public key whose possession was proven by another protocol than PKCS#10: a CRMF
// request's proof of possession, checked by OpenSSL's CMP server (RFC 4211 §4). Kept
// with the request as a PEM "PUBLIC KEY" block in place of a CSR, and read back from
// there only by the server's own code, never from what a client sent as a CSR.
class ProvenKey final : public SigningRequest {
 public:
  static ProvenKey from_key(EVP_PKEY* key);
  static ProvenKey from_pem(std::string_view pem);
  // SubjectPublicKeyInfo DER, checked as a CSR's key is.
  static ProvenKey from_spki(std::string_view der);
  static bool is_pem(std::string_view text);

  const CsrFacts& facts() const override { return facts_; }
  std::string pem() const override;

 private:
  ProvenKey() = default;
  CsrFacts facts_;
};

}  // namespace lontar::crypto
