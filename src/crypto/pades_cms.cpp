#include "crypto/pades_cms.h"

#include <openssl/cms.h>
#include <openssl/ess.h>
#include <openssl/rand.h>
#include <openssl/ts.h>

#include <algorithm>
#include <vector>

#include "crypto/crypto_error.h"
#include "crypto/der.h"
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

// PAdES baseline signatures carry no CMS signing-time (EN 319 142-1 §6.3: the time is
// the /M entry, and the trusted one the timestamp), but OpenSSL 3.0 adds it whenever
// it signs. So it is taken out again and the signed attributes are signed anew:
// their DER SET OF encoding (X.690 §11.6: elements in ascending order) is what the
// signature covers, exactly as OpenSSL writes the SignerInfo.
void remove_signing_time(CMS_SignerInfo* signer, const PrivateKey& key) {
  const int at = CMS_signed_get_attr_by_NID(signer, NID_pkcs9_signingTime, -1);
  if (at < 0) return;
  X509_ATTRIBUTE_free(CMS_signed_delete_attr(signer, at));
  std::vector<std::string> attributes;
  for (int i = 0; i < CMS_signed_get_attr_count(signer); ++i)
    attributes.push_back(encode_der<X509_ATTRIBUTE>(CMS_signed_get_attr(signer, i), i2d_X509_ATTRIBUTE,
                                                    "a signed attribute"));
  std::sort(attributes.begin(), attributes.end());
  std::string content;
  for (const auto& a : attributes) content += a;
  const auto to_sign = der::tlv(0x31, content);
  OsslPtr<EVP_MD_CTX> context(EVP_MD_CTX_new());
  std::size_t length = 0;
  if (!context || EVP_DigestSignInit(context.get(), nullptr, signature_digest(key.get()), nullptr, key.get()) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &length, reinterpret_cast<const unsigned char*>(to_sign.data()),
                     to_sign.size()) != 1)
    throw_openssl("signing the signed attributes");
  std::string signature(length, '\0');
  if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(to_sign.data()), to_sign.size()) != 1 ||
      ASN1_STRING_set(CMS_SignerInfo_get0_signature(signer), signature.data(), static_cast<int>(length)) != 1)
    throw_openssl("signing the signed attributes");
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
  remove_signing_time(signer, key);
  if (timestamp) {
    const auto token = timestamp_token(timestamp(timestamp_request(CMS_SignerInfo_get0_signature(signer))));
    if (CMS_unsigned_add1_attr_by_NID(signer, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE, token.data(),
                                      static_cast<int>(token.size())) != 1)
      throw_openssl("adding the signature timestamp");
  }
  return encode_der(cms.get(), i2d_CMS_ContentInfo, "encoding the signature");
}

}  // namespace lontar::crypto
