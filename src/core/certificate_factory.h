#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/key_info.h"
#include "core/product.h"

namespace lontar {

// What a verified PKCS#10 request tells the domain.
struct CsrFacts {
  PublicKeyInfo key;
  std::string public_key_der;  // the DER SubjectPublicKeyInfo the certificate will carry
  std::optional<std::string> challenge_password;  // RFC 2985 challengePassword
  std::string claimed_subject;                    // shown to verifiers, never copied
};

// A parsed CSR whose signature has been verified (or one the server made itself for a
// key it generated). Parsed once per submission and handed on as this object.
class SigningRequest {
 public:
  virtual ~SigningRequest() = default;
  virtual const CsrFacts& facts() const = 0;
  // The request re-encoded as PEM, as it is kept with the request.
  virtual std::string pem() const = 0;
};

struct SubjectAttribute {
  std::string type;  // "C", "O", "OU", "CN", "serialNumber"
  std::string value;
};

// Everything the CA decided about one certificate.
struct CertificateProfile {
  std::vector<std::uint8_t> serial;  // big-endian, positive
  std::vector<SubjectAttribute> subject;
  std::vector<std::string> email_addresses;
  TimePoint not_before;
  TimePoint not_after;
  const Product* product = nullptr;
};

struct SignedCertificate {
  std::string serial_hex;
  std::string subject;
  std::string pem;
};

// The port to the X.509 machinery: parses untrusted CSRs and signs certificates
// with the issuing CA's key through whatever signer it was built with.
class CertificateFactory {
 public:
  virtual ~CertificateFactory() = default;
  // Throws Error(invalid_input) with a plain message for anything that is not one
  // well-formed, correctly self-signed PKCS#10 request.
  virtual std::unique_ptr<SigningRequest> parse_csr(std::string_view data) const = 0;
  // What a request keeps as its `csr_pem`: a CSR, or a key proven by CMP's CRMF.
  virtual std::unique_ptr<SigningRequest> read_kept_request(std::string_view pem) const = 0;
  // The subject as the certificate would show it (to tell whether a holder changed).
  virtual std::string subject_text(const std::vector<SubjectAttribute>& subject) const = 0;
  virtual SignedCertificate sign(const SigningRequest& csr, const CertificateProfile& profile) const = 0;
  virtual TimePoint issuer_not_before() const = 0;
  virtual TimePoint issuer_not_after() const = 0;
};

}  // namespace lontar
