#pragma once

#include <initializer_list>
#include <string_view>

#include "crypto/certificate.h"
#include "crypto/private_key.h"

namespace lontar::crypto {

// A CA key that signs. The core never sees it; the factory, CRL and OCSP code sign
// through it, so a PKCS#11 token can replace the file key without other changes.
class Signer {
 public:
  virtual ~Signer() = default;
  virtual const Certificate& certificate() const = 0;
  virtual void sign(X509* tbs) const = 0;
  virtual void sign(X509_CRL* tbs) const = 0;
  // For the signing APIs that take a key (OCSP, CMS); may be an engine-backed key.
  virtual EVP_PKEY* key() const = 0;
  // Signs the concatenation of `parts` (a TBSCertList built by hand, streamed without
  // copying it into one buffer); returns the signature value.
  virtual std::string sign_data(std::initializer_list<std::string_view> parts) const;
  // The DER AlgorithmIdentifier matching sign_data().
  virtual std::string signature_algorithm_der() const;
};

// A key object OpenSSL signs with: decrypted from an encrypted PKCS#8 file and held in
// memory, or a handle to a key inside a PKCS#11 token (crypto/pkcs11_key.h).
class FileSigner final : public Signer {
 public:
  FileSigner(PrivateKey key, Certificate certificate);
  static FileSigner load(std::string_view key_pem, std::string_view certificate_pem, std::string_view passphrase);

  const Certificate& certificate() const override { return certificate_; }
  void sign(X509* tbs) const override;
  void sign(X509_CRL* tbs) const override;
  EVP_PKEY* key() const override { return key_.get(); }

 private:
  PrivateKey key_;
  Certificate certificate_;
};

}  // namespace lontar::crypto
