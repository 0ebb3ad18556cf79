#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/certificate_factory.h"
#include "crypto/certificate.h"
#include "crypto/ossl_ptr.h"
#include "crypto/public_key_info.h"
#include "crypto/signer.h"

namespace lontar::crypto {

OsslPtr<X509_NAME> build_name(const std::vector<SubjectAttribute>& attributes);

// Assembles a TBSCertificate step by step; sign() hands it to a signer.
class CertificateBuilder final {
 public:
  CertificateBuilder();

  CertificateBuilder& serial(std::span<const std::uint8_t> big_endian);
  CertificateBuilder& subject(const X509_NAME* name);
  CertificateBuilder& issuer(const X509* issuer_certificate);  // also sets the context for AKI
  CertificateBuilder& self_issued();
  CertificateBuilder& validity(TimePoint not_before, TimePoint not_after);
  CertificateBuilder& public_key(EVP_PKEY* key);
  CertificateBuilder& public_key(const LONTAR_SPKI& key);
  // An extension in OpenSSL's configuration syntax ("critical,CA:TRUE").
  CertificateBuilder& extension(int nid, const std::string& value);
  CertificateBuilder& extension(const X509_EXTENSION* prepared);
  CertificateBuilder& subject_key_identifier();
  CertificateBuilder& email_addresses(const std::vector<std::string>& emails);
  CertificateBuilder& dns_and_ip_names(const std::vector<std::string>& dns, const std::vector<std::string>& ips);

  Certificate sign(const Signer& signer);
  Certificate self_sign(EVP_PKEY* key);

 private:
  OsslPtr<X509> x509_;
  const X509* issuer_ = nullptr;
};

// Parses an extension once so it can be added to many certificates.
OsslPtr<X509_EXTENSION> prepare_extension(int nid, const std::string& value, const X509* issuer);
OsslPtr<X509_EXTENSION> prepare_policies_extension(const std::vector<std::string>& oids);

}  // namespace lontar::crypto
