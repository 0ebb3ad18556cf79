#include "crypto/x509_certificate_factory.h"

#include "core/error.h"
#include "crypto/certificate_builder.h"
#include "crypto/crypto_error.h"
#include "crypto/csr.h"
#include "crypto/proven_key.h"

namespace lontar::crypto {

namespace {
std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}
}  // namespace

X509CertificateFactory::X509CertificateFactory(const Signer& signer, const ProductCatalog& catalog,
                                               const CaUrls& urls)
    : signer_(signer),
      not_before_(signer.certificate().not_before()),
      not_after_(signer.certificate().not_after()) {
  const X509* issuer = signer.certificate().get();
  for (const auto& product : catalog.products) {
    auto& list = extensions_[product.id];
    list.push_back(prepare_extension(NID_basic_constraints, "critical,CA:FALSE", issuer));
    list.push_back(prepare_extension(NID_key_usage, "critical,digitalSignature,nonRepudiation", issuer));
    if (!product.extended_key_usages.empty())
      list.push_back(prepare_extension(NID_ext_key_usage, join(product.extended_key_usages), issuer));
    list.push_back(prepare_extension(NID_authority_key_identifier, "keyid:always", issuer));
    list.push_back(prepare_extension(NID_crl_distribution_points, "URI:" + urls.crl, issuer));
    list.push_back(
        prepare_extension(NID_info_access, "OCSP;URI:" + urls.ocsp + ",caIssuers;URI:" + urls.issuer, issuer));
    if (!product.policy_oids.empty())
      list.push_back(prepare_policies_extension(product.policy_oids));
  }
}

std::unique_ptr<SigningRequest> X509CertificateFactory::parse_csr(std::string_view data) const {
  return std::make_unique<Csr>(Csr::parse(data));
}

std::unique_ptr<SigningRequest> X509CertificateFactory::read_kept_request(std::string_view pem) const {
  if (ProvenKey::is_pem(pem)) return std::make_unique<ProvenKey>(ProvenKey::from_pem(pem));
  return parse_csr(pem);
}

std::string X509CertificateFactory::subject_text(const std::vector<SubjectAttribute>& subject) const {
  return name_to_string(build_name(subject).get());
}

SignedCertificate X509CertificateFactory::sign(const SigningRequest& request, const CertificateProfile& profile) const {
  if (!profile.product) throw Error(ErrorKind::internal, "bad_arguments", "sign() got a profile without a product");
  const auto public_key = parse_public_key_info(request.facts().public_key_der);
  const auto found = extensions_.find(profile.product->id);
  if (found == extensions_.end())
    throw Error(ErrorKind::internal, "unknown_product", "no extensions prepared for " + profile.product->id);

  const auto subject = build_name(profile.subject);
  CertificateBuilder builder;
  builder.serial(profile.serial)
      .issuer(signer_.certificate().get())
      .subject(subject.get())
      .validity(profile.not_before, profile.not_after)
      .public_key(*public_key);
  for (const auto& extension : found->second) builder.extension(extension.get());
  builder.subject_key_identifier().email_addresses(profile.email_addresses);
  const Certificate certificate = builder.sign(signer_);
  return SignedCertificate{certificate.serial_hex(), certificate.subject(), certificate.pem()};
}

}  // namespace lontar::crypto
