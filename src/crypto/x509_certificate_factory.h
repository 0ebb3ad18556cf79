#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/certificate_factory.h"
#include "core/product.h"
#include "crypto/ca_urls.h"
#include "crypto/ossl_ptr.h"
#include "crypto/signer.h"

namespace lontar::crypto {

// Issues end-entity certificates (RFC 5280) from verified CSRs. The per-product
// extensions are encoded once at construction; each certificate adds only its
// subject key identifier and subject alternative name.
class X509CertificateFactory final : public CertificateFactory {
 public:
  X509CertificateFactory(const Signer& signer, const ProductCatalog& catalog, const CaUrls& urls);

  std::unique_ptr<SigningRequest> parse_csr(std::string_view data) const override;
  std::unique_ptr<SigningRequest> read_kept_request(std::string_view pem) const override;
  std::string subject_text(const std::vector<SubjectAttribute>& subject) const override;
  SignedCertificate sign(const SigningRequest& csr, const CertificateProfile& profile) const override;
  TimePoint issuer_not_before() const override { return not_before_; }
  TimePoint issuer_not_after() const override { return not_after_; }

 private:
  const Signer& signer_;
  TimePoint not_before_;
  TimePoint not_after_;
  std::map<std::string, std::vector<OsslPtr<X509_EXTENSION>>, std::less<>> extensions_;
};

}  // namespace lontar::crypto
