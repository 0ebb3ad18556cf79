#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/key_info.h"

namespace lontar {

enum class CertificateType { individual, seal };
enum class Method { lock, esign };
// What goes into the subject's serialNumber attribute (ETSI EN 319 412-1 semantics).
enum class SubjectSerial { nik, staff_number, none };
// How a holder's renewal with a valid certificate is decided: by a verifier, as a new
// request is, or at once when nothing about the holder changed.
enum class RenewalPolicy { verifier, automatic };

const char* to_string(CertificateType type) noexcept;
std::optional<CertificateType> parse_certificate_type(std::string_view text) noexcept;
const char* to_string(Method method) noexcept;
// As the procedure writes it: "LOCK", "eSign".
const char* display_name(Method method) noexcept;
std::optional<Method> parse_method(std::string_view text) noexcept;

// One allowed kind of subscriber key: an EC curve, or an RSA size range.
struct KeyRule {
  KeyAlgorithm algorithm = KeyAlgorithm::ec;
  std::string curve;  // EC only
  int min_bits = 0;   // RSA only
  int max_bits = 0;

  static std::optional<KeyRule> parse(std::string_view text);  // "ec:P-256", "rsa:2048-4096"
  bool allows(const PublicKeyInfo& key) const;
  std::string describe() const;
};

struct Product {
  std::string id;
  std::string display_name;
  std::string display_name_id;  // the Indonesian name, when the configuration gives one
  CertificateType type = CertificateType::individual;
  int validity_days = 365;
  std::vector<KeyRule> keys;
  std::vector<std::string> extended_key_usages;  // OIDs in dotted form
  std::vector<std::string> policy_oids;
  std::vector<Method> methods;
  int approvals = 1;
  SubjectSerial subject_serial = SubjectSerial::nik;
  RenewalPolicy renewal = RenewalPolicy::verifier;
  int renewal_window_days = 60;  // a renewal is accepted this many days before expiry, not earlier

  bool allows_method(Method m) const;
  // The name for readers of `lang` ("id" or "en"): Indonesian when there is one.
  const std::string& name_for(std::string_view lang) const {
    return lang == "id" && !display_name_id.empty() ? display_name_id : display_name;
  }
  // Empty when the key is acceptable, otherwise a sentence for the applicant.
  std::string check_key(const PublicKeyInfo& key) const;
};

struct ProductCatalog {
  std::vector<Product> products;

  const Product* find(std::string_view id) const;
  // Throws Error(not_found) naming the known products.
  const Product& require(std::string_view id) const;
};

}  // namespace lontar
