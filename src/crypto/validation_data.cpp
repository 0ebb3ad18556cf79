#include "crypto/validation_data.h"

#include <set>

#include "core/error.h"
#include "crypto/certificate.h"
#include "crypto/cms_parts.h"
#include "crypto/crypto_error.h"
#include "crypto/ocsp_answer.h"

namespace lontar::crypto {

namespace {
Error unusable(const std::string& why) {
  return Error(ErrorKind::invalid_input, "validation_data_unusable", "The long-term validation data is unusable: " + why);
}

std::string der_of(X509* certificate) { return encode_der<X509>(certificate, i2d_X509, "a certificate"); }

const Certificate* issuer_of(X509* subject, const std::vector<Certificate>& chain) {
  for (const auto& candidate : chain)
    if (X509_check_issued(candidate.get(), subject) == X509_V_OK) return &candidate;
  return nullptr;
}

// Asks for the status of `subject` and checks the answer; returns it (DER) when the
// certificate is good.
std::string checked_status(const OcspClient& ocsp, X509* subject, const Certificate& issuer,
                           const std::vector<Certificate>& chain, std::vector<std::string>& responder_certificates) {
  const auto answer_der = ocsp(ocsp_request_for(subject, issuer.get()));
  const auto answer = read_ocsp_answer(answer_der, subject, issuer.get(), chain);
  if (answer.status == OcspAnswer::Status::revoked)
    throw Error(ErrorKind::policy, "certificate_revoked",
                "The certificate is revoked; no new document can be signed with it.");
  if (answer.status != OcspAnswer::Status::good) throw unusable("the OCSP responder does not know the certificate.");
  responder_certificates.insert(responder_certificates.end(), answer.responder_certificates.begin(),
                                answer.responder_certificates.end());
  return answer_der;
}
}  // namespace

ValidationData gather_validation_data(std::string_view cms_der, std::string_view chain_pem, const OcspClient& ocsp,
                                      std::vector<std::string> crls_der) {
  auto signature = CmsSignature::parse(cms_der);
  if (!signature.signer_certificate) throw unusable("the signature names no signer certificate.");
  const auto chain = Certificate::all_from_pem(chain_pem);
  std::vector<X509*> end_entities{signature.signer_certificate.get()};
  auto token = signature.timestamp_token();
  auto tsa = timestamp_signer(token.get());
  if (tsa) end_entities.push_back(tsa.get());

  ValidationData out;
  std::vector<std::string> certificates;
  for (X509* subject : end_entities) {
    const auto* issuer = issuer_of(subject, chain);
    if (!issuer) throw unusable("a certificate's issuer is not in the CA chain.");
    certificates.push_back(der_of(subject));
    out.ocsp_responses.push_back(checked_status(ocsp, subject, *issuer, chain, certificates));
  }
  for (const auto& c : chain) certificates.push_back(c.der());
  std::set<std::string> seen;
  for (auto& c : certificates)
    if (seen.insert(c).second) out.certificates.push_back(std::move(c));
  out.crls = std::move(crls_der);
  return out;
}

}  // namespace lontar::crypto
