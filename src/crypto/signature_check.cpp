#include "crypto/signature_check.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ts.h>
#include <openssl/x509_vfy.h>

#include "crypto/certificate.h"
#include "crypto/crypto_error.h"
#include "crypto/ossl_ptr.h"
#include "crypto/private_key.h"

namespace lontar::crypto {

namespace {
// The genTime of a signature-time-stamp token in the signer's unsigned attributes.
std::optional<TimePoint> timestamp_of(CMS_SignerInfo* signer) {
  const int at = CMS_unsigned_get_attr_by_NID(signer, NID_id_smime_aa_timeStampToken, -1);
  if (at < 0) return std::nullopt;
  X509_ATTRIBUTE* attribute = CMS_unsigned_get_attr(signer, at);
  ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(attribute, 0);
  if (!value || value->type != V_ASN1_SEQUENCE) return std::nullopt;
  const unsigned char* cursor = value->value.sequence->data;
  OsslPtr<PKCS7> token(d2i_PKCS7(nullptr, &cursor, value->value.sequence->length));
  if (!token) return std::nullopt;
  OsslPtr<TS_TST_INFO> info(PKCS7_to_TS_TST_INFO(token.get()));
  if (!info) return std::nullopt;
  return to_time_point(TS_TST_INFO_get_time(info.get()));
}
}  // namespace

SignatureCheck check_detached_signature(std::string_view cms_der, std::string_view content,
                                        std::string_view trusted_pem, std::string_view intermediates_pem) {
  SignatureCheck check;
  const unsigned char* cursor = reinterpret_cast<const unsigned char*>(cms_der.data());
  OsslPtr<CMS_ContentInfo> cms(d2i_CMS_ContentInfo(nullptr, &cursor, static_cast<long>(cms_der.size())));
  if (!cms) {
    check.problem = "the signature value is not a CMS structure";
    return check;
  }
  auto data = memory_bio(content);
  // First the bytes and the signature alone; trust is judged separately below.
  check.intact = CMS_verify(cms.get(), nullptr, nullptr, data.get(), nullptr,
                            CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY | CMS_DETACHED) == 1;
  ERR_clear_error();
  if (!check.intact) check.problem = "the document changed after this signature, or the signature is damaged";

  STACK_OF(CMS_SignerInfo)* signers = CMS_get0_SignerInfos(cms.get());
  const CertificateStack included(CMS_get1_certs(cms.get()));
  STACK_OF(X509)* certificates = included.get();
  X509* signer_certificate = nullptr;
  if (signers && sk_CMS_SignerInfo_num(signers) == 1) {
    CMS_SignerInfo* signer = sk_CMS_SignerInfo_value(signers, 0);
    for (int i = 0; certificates && i < sk_X509_num(certificates); ++i)
      if (CMS_SignerInfo_cert_cmp(signer, sk_X509_value(certificates, i)) == 0)
        signer_certificate = sk_X509_value(certificates, i);
    check.timestamp = timestamp_of(signer);
  }
  if (!signer_certificate) {
    if (check.problem.empty()) check.problem = "the signer's certificate is not in the signature";
    return check;
  }
  X509_up_ref(signer_certificate);
  const Certificate signer(OsslPtr<X509>{signer_certificate});
  check.signer_subject = signer.subject();
  check.signer_serial = signer.serial_hex();

  OsslPtr<X509_STORE> store(X509_STORE_new());
  for (const auto& c : Certificate::all_from_pem(trusted_pem)) X509_STORE_add_cert(store.get(), c.get());
  const CertificateStack untrusted(Certificate::all_from_pem(intermediates_pem));
  OsslPtr<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
  if (!store || !ctx || X509_STORE_CTX_init(ctx.get(), store.get(), signer.get(), untrusted.get()) != 1)
    throw_openssl("preparing certificate verification");
  // Judged at the timestamp: a certificate that expired since still made a valid signature.
  if (check.timestamp) X509_STORE_CTX_set_time(ctx.get(), 0, std::chrono::system_clock::to_time_t(*check.timestamp));
  check.trusted = X509_verify_cert(ctx.get()) == 1;
  if (!check.trusted && check.problem.empty())
    check.problem = std::string("the certificate is not trusted: ") +
                    X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
  return check;
}

}  // namespace lontar::crypto
