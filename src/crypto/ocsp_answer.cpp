#include "crypto/ocsp_answer.h"

#include <openssl/err.h>
#include <openssl/ocsp.h>

#include "core/error.h"
#include "crypto/crypto_error.h"

namespace lontar::crypto {

namespace {
Error unusable(const std::string& why) {
  return Error(ErrorKind::invalid_input, "validation_data_unusable", "The long-term validation data is unusable: " + why);
}

OsslPtr<OCSP_CERTID> id_of(X509* subject, X509* issuer) {
  OsslPtr<OCSP_CERTID> id(OCSP_cert_to_id(EVP_sha1(), subject, issuer));
  if (!id) throw_openssl("naming the certificate for OCSP");
  return id;
}
}  // namespace

std::string ocsp_request_for(X509* subject, X509* issuer) {
  OsslPtr<OCSP_REQUEST> request(OCSP_REQUEST_new());
  auto id = id_of(subject, issuer);
  if (!request || !OCSP_request_add0_id(request.get(), id.get())) throw_openssl("building an OCSP request");
  id.release();  // now owned by the request
  return encode_der<OCSP_REQUEST>(request.get(), i2d_OCSP_REQUEST, "an OCSP request");
}

OcspAnswer read_ocsp_answer(std::string_view answer_der, X509* subject, X509* issuer,
                            const std::vector<Certificate>& chain) {
  const unsigned char* cursor = reinterpret_cast<const unsigned char*>(answer_der.data());
  OsslPtr<OCSP_RESPONSE> response(d2i_OCSP_RESPONSE(nullptr, &cursor, static_cast<long>(answer_der.size())));
  if (!response || OCSP_response_status(response.get()) != OCSP_RESPONSE_STATUS_SUCCESSFUL)
    throw unusable("the OCSP responder did not answer.");
  OsslPtr<OCSP_BASICRESP> basic(OCSP_response_get1_basic(response.get()));
  OsslPtr<X509_STORE> store(X509_STORE_new());
  const CertificateStack untrusted(chain);
  if (!basic || !store) throw unusable("the OCSP answer is not a basic response.");
  for (const auto& c : chain)
    if (X509_check_issued(c.get(), c.get()) == X509_V_OK) X509_STORE_add_cert(store.get(), c.get());
  // Whether it is about `subject` first: that costs nothing, the signature check does.
  int status = -1, reason = -1;
  ASN1_GENERALIZEDTIME *revoked_at = nullptr, *this_update = nullptr, *next_update = nullptr;
  auto id = id_of(subject, issuer);
  if (OCSP_resp_find_status(basic.get(), id.get(), &status, &reason, &revoked_at, &this_update, &next_update) != 1)
    throw unusable("the OCSP answer is about another certificate.");
  const bool signed_by_ours = OCSP_basic_verify(basic.get(), untrusted.get(), store.get(), 0) == 1;
  ERR_clear_error();
  if (!signed_by_ours) throw unusable("the OCSP answer is not signed by this CA's responder.");
  OcspAnswer answer;
  answer.status = status == V_OCSP_CERTSTATUS_GOOD      ? OcspAnswer::Status::good
                  : status == V_OCSP_CERTSTATUS_REVOKED ? OcspAnswer::Status::revoked
                                                        : OcspAnswer::Status::unknown;
  if (revoked_at) answer.revoked_at = to_time_point(revoked_at);
  if (this_update) answer.this_update = to_time_point(this_update);
  if (next_update) answer.next_update = to_time_point(next_update);
  const STACK_OF(X509)* included = OCSP_resp_get0_certs(basic.get());
  for (int i = 0; included && i < sk_X509_num(included); ++i)
    answer.responder_certificates.push_back(
        encode_der<X509>(sk_X509_value(included, i), i2d_X509, "a responder certificate"));
  return answer;
}

}  // namespace lontar::crypto
