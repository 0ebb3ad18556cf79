#include "crypto/pades_cms.h"

#include <openssl/cms.h>
#include <openssl/ess.h>
#include <openssl/rand.h>
#include <openssl/ts.h>

#include "crypto/crypto_error.h"
#include "crypto/ossl_ptr.h"

namespace lontar::crypto {

namespace {
std::string attribute_der(ESS_SIGNING_CERT_V2* value) {
  return encode_der(value, i2d_ESS_SIGNING_CERT_V2, "encoding signing-certificate-v2");
}

// RFC 3161 request for the SHA-256 of the signature value (EN 319 122-1 §5.3).
std::string timestamp_request(const ASN1_OCTET_STRING* signature) {
  unsigned char digest[32];
  if (!EVP_Digest(ASN1_STRING_get0_data(signature), static_cast<std::size_t>(ASN1_STRING_length(signature)), digest,
                  nullptr, EVP_sha256(), nullptr))
    throw_openssl("hashing the signature value");
  OsslPtr<TS_REQ> request(TS_REQ_new());
  OsslPtr<TS_MSG_IMPRINT> imprint(TS_MSG_IMPRINT_new());
  OsslPtr<X509_ALGOR> algorithm(X509_ALGOR_new());
  unsigned char nonce_bytes[8];
  RAND_bytes(nonce_bytes, sizeof nonce_bytes);
  OsslPtr<BIGNUM> nonce_number(BN_bin2bn(nonce_bytes, sizeof nonce_bytes, nullptr));
  OsslPtr<ASN1_STRING> nonce(nonce_number ? BN_to_ASN1_INTEGER(nonce_number.get(), nullptr) : nullptr);
  if (!request || !imprint || !algorithm || !nonce || TS_REQ_set_version(request.get(), 1) != 1 ||
      X509_ALGOR_set0(algorithm.get(), OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr) != 1 ||
      TS_MSG_IMPRINT_set_algo(imprint.get(), algorithm.get()) != 1 ||
      TS_MSG_IMPRINT_set_msg(imprint.get(), digest, sizeof digest) != 1 ||
      TS_REQ_set_msg_imprint(request.get(), imprint.get()) != 1 || TS_REQ_set_nonce(request.get(), nonce.get()) != 1 ||
      TS_REQ_set_cert_req(request.get(), 1) != 1)
    throw_openssl("building the timestamp request");
  return encode_der(request.get(), i2d_TS_REQ, "encoding the timestamp request");
}

std::string timestamp_token(const std::string& response_der) {
  const unsigned char* cursor = reinterpret_cast<const unsigned char*>(response_der.data());
  OsslPtr<TS_RESP> response(d2i_TS_RESP(nullptr, &cursor, static_cast<long>(response_der.size())));
  if (!response || ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(response.get()))) != 0)
    throw_invalid("timestamp_refused", "The timestamp authority did not grant a timestamp.");
  return encode_der(TS_RESP_get_token(response.get()), i2d_PKCS7, "encoding the timestamp token");
}
}  // namespace

std::string make_pades_cms(const PrivateKey& key, const Certificate& certificate, std::string_view chain_pem,
                           std::string_view signed_bytes, const TimestampClient& timestamp) {
  constexpr unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
  const CertificateStack chain(Certificate::all_from_pem(chain_pem));
  OsslPtr<CMS_ContentInfo> cms(CMS_sign(nullptr, nullptr, chain.get(), nullptr, flags));
  if (!cms) throw_openssl("starting the CMS signature");
  CMS_SignerInfo* signer =
      CMS_add1_signer(cms.get(), certificate.get(), key.get(), signature_digest(key.get()), flags);
  if (!signer) throw_openssl("adding the signer");
  OsslPtr<ESS_SIGNING_CERT_V2> signing_certificate(
      OSSL_ESS_signing_cert_v2_new_init(EVP_sha256(), certificate.get(), nullptr, 0));
  if (!signing_certificate) throw_openssl("building signing-certificate-v2");
  const auto attribute = attribute_der(signing_certificate.get());
  if (CMS_signed_add1_attr_by_NID(signer, NID_id_smime_aa_signingCertificateV2, V_ASN1_SEQUENCE, attribute.data(),
                                  static_cast<int>(attribute.size())) != 1)
    throw_openssl("adding signing-certificate-v2");
  auto data = memory_bio(signed_bytes);
  if (CMS_final(cms.get(), data.get(), nullptr, flags) != 1) throw_openssl("signing");
  if (timestamp) {
    const auto token = timestamp_token(timestamp(timestamp_request(CMS_SignerInfo_get0_signature(signer))));
    if (CMS_unsigned_add1_attr_by_NID(signer, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE, token.data(),
                                      static_cast<int>(token.size())) != 1)
      throw_openssl("adding the signature timestamp");
  }
  return encode_der(cms.get(), i2d_CMS_ContentInfo, "encoding the signature");
}

}  // namespace lontar::crypto
