#include "crypto/validation_data.h"

#include <openssl/err.h>
#include <openssl/ocsp.h>

#include <set>

#include "core/error.h"
#include "crypto/certificate.h"
#include "crypto/cms_parts.h"
#include "crypto/crypto_error.h"

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

// Asks for the status of `subject` and checks the answer: a successful response,
// signed by a responder that chains to the root, about this very certificate.
// Returns the response (DER) when the certificate is good.
std::string checked_status(const OcspClient& ocsp, X509* subject, const Certificate& issuer,
                           const std::vector<Certificate>& chain, std::vector<std::string>& responder_certificates) {
  const auto id = [&] {
    OsslPtr<OCSP_CERTID> made(OCSP_cert_to_id(EVP_sha1(), subject, issuer.get()));
    if (!made) throw_openssl("naming the certificate for OCSP");
    return made;
  };
  OsslPtr<OCSP_REQUEST> request(OCSP_REQUEST_new());
  auto request_id = id();
  if (!request || !OCSP_request_add0_id(request.get(), request_id.get())) throw_openssl("building an OCSP request");
  request_id.release();  // now owned by the request
  const auto answer = ocsp(encode_der<OCSP_REQUEST>(request.get(), i2d_OCSP_REQUEST, "an OCSP request"));

  const unsigned char* cursor = reinterpret_cast<const unsigned char*>(answer.data());
  OsslPtr<OCSP_RESPONSE> response(d2i_OCSP_RESPONSE(nullptr, &cursor, static_cast<long>(answer.size())));
  if (!response || OCSP_response_status(response.get()) != OCSP_RESPONSE_STATUS_SUCCESSFUL)
    throw unusable("the OCSP responder did not answer.");
  OsslPtr<OCSP_BASICRESP> basic(OCSP_response_get1_basic(response.get()));
  OsslPtr<X509_STORE> store(X509_STORE_new());
  const CertificateStack untrusted(chain);
  if (!basic || !store) throw unusable("the OCSP answer is not a basic response.");
  for (const auto& c : chain)
    if (X509_check_issued(c.get(), c.get()) == X509_V_OK) X509_STORE_add_cert(store.get(), c.get());
  const bool signed_by_ours = OCSP_basic_verify(basic.get(), untrusted.get(), store.get(), 0) == 1;
  ERR_clear_error();
  if (!signed_by_ours) throw unusable("the OCSP answer is not signed by this CA's responder.");
  int status = -1, reason = -1;
  ASN1_GENERALIZEDTIME *revoked_at = nullptr, *this_update = nullptr, *next_update = nullptr;
  auto lookup_id = id();
  if (OCSP_resp_find_status(basic.get(), lookup_id.get(), &status, &reason, &revoked_at, &this_update, &next_update) != 1)
    throw unusable("the OCSP answer is about another certificate.");
  if (status == V_OCSP_CERTSTATUS_REVOKED)
    throw Error(ErrorKind::policy, "certificate_revoked",
                "The certificate is revoked; no new document can be signed with it.");
  if (status != V_OCSP_CERTSTATUS_GOOD) throw unusable("the OCSP responder does not know the certificate.");
  const STACK_OF(X509)* included = OCSP_resp_get0_certs(basic.get());
  for (int i = 0; included && i < sk_X509_num(included); ++i)
    responder_certificates.push_back(der_of(sk_X509_value(included, i)));
  return answer;
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
