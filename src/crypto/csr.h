#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/certificate_factory.h"
#include "crypto/ossl_ptr.h"

namespace lontar::crypto {

inline constexpr std::size_t kMaxCsrBytes = 64 * 1024;

// A PKCS#10 request (RFC 2986) whose self-signature has been checked.
class Csr final : public SigningRequest {
 public:
  // Accepts exactly one PEM block (surrounding white space only) or exactly one DER
  // structure; throws Error(invalid_input) with a plain reason otherwise.
  static Csr parse(std::string_view data);

  // A request for `key`, signed by it (the LOCK tool, eSign keys, tests).
  static Csr make(EVP_PKEY* key, const std::string& common_name, const std::optional<std::string>& challenge_password);

  const CsrFacts& facts() const override { return facts_; }
  std::string pem() const override;
  EVP_PKEY* public_key() const noexcept { return key_.get(); }
  const std::string& der() const noexcept { return der_; }

 private:
  Csr() = default;
  std::string der_;
  OsslPtr<EVP_PKEY> key_;
  CsrFacts facts_;
};

// Builds and signs a CSR; the LOCK tool and the tests use it.
std::string make_csr_pem(EVP_PKEY* key, const std::string& common_name,
                         const std::optional<std::string>& challenge_password);

}  // namespace lontar::crypto
