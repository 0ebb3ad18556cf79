#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "crypto/ca_urls.h"
#include "crypto/certificate.h"
#include "crypto/private_key.h"

namespace lontar::crypto {

struct CaHierarchyOptions {
  std::string algorithm = "ec-p256";  // issuing CA, OCSP responder, TLS server
  std::string organisation = "Lontar Demo Institution";
  std::string country = "ID";
  int root_validity_days = 20 * 365;
  int issuing_validity_days = 10 * 365;
  int ocsp_validity_days = 90;
  int tls_validity_days = 365;
  int tsa_validity_days = 5 * 365;
  int cmp_validity_days = 5 * 365;
  std::vector<std::string> tls_dns_names = {"localhost"};
  std::vector<std::string> tls_ip_addresses = {"127.0.0.1"};
  CaUrls urls;
};

struct KeyAndCertificate {
  PrivateKey key;
  Certificate certificate;
};

struct CaHierarchy {
  KeyAndCertificate root;
  KeyAndCertificate issuing;
  KeyAndCertificate ocsp;
  KeyAndCertificate tls;
};

// The root uses the stronger sibling of the issuing algorithm (P-256 → P-384,
// RSA 3072 → RSA 4096) because it lives twice as long and is used rarely.
std::string root_algorithm_for(const std::string& issuing_algorithm);

// A fresh key and delegated OCSP responder certificate from the issuing CA.
KeyAndCertificate issue_ocsp_responder(const CaHierarchyOptions& options, const class Signer& issuing, TimePoint now,
                                       RandomSource& random);

// RFC 9483 §3.1: the key that signs the CMP server's responses; its certificate carries
// id-kp-cmcCA so that clients can tell it speaks for the CA.
KeyAndCertificate issue_cmp_signer(const CaHierarchyOptions& options, const class Signer& issuing, TimePoint now,
                                   RandomSource& random);

// RFC 3161 §2.3: the timestamp authority's certificate has extKeyUsage timeStamping
// as its only, critical, purpose.
KeyAndCertificate issue_timestamp_authority(const CaHierarchyOptions& options, const class Signer& issuing,
                                            TimePoint now, RandomSource& random);

// Creates root CA, issuing CA, delegated OCSP responder and TLS server certificate.
CaHierarchy create_ca_hierarchy(const CaHierarchyOptions& options, TimePoint now, RandomSource& random);

}  // namespace lontar::crypto
