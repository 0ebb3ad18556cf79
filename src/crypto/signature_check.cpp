#include "crypto/signature_check.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ts.h>
#include <openssl/x509_vfy.h>

#include "crypto/certificate.h"
#include "crypto/cms_parts.h"
#include "crypto/crypto_error.h"
#include "crypto/ossl_ptr.h"
#include "crypto/parts_bio.h"
#include "crypto/private_key.h"

namespace lontar::crypto {

namespace {
OsslPtr<X509_STORE> store_of(std::string_view trusted_pem) {
  OsslPtr<X509_STORE> store(X509_STORE_new());
  if (!store) throw_openssl("preparing certificate verification");
  for (const auto& c : Certificate::all_from_pem(trusted_pem)) X509_STORE_add_cert(store.get(), c.get());
  return store;
}

// The token's genTime when the token is sound: signed by a timestamping certificate
// that chains to `trusted_pem` (judged at genTime), over the SHA-256 (or whichever
// digest it names) of the signature value.
std::optional<TimePoint> verified_timestamp(PKCS7* token, const ASN1_OCTET_STRING* signature_value,
                                            std::string_view trusted_pem, std::string_view intermediates_pem) {
  OsslPtr<TS_TST_INFO> info(PKCS7_to_TS_TST_INFO(token));
  if (!info || !timestamp_signer(token)) return std::nullopt;
  const auto gen_time = to_time_point(TS_TST_INFO_get_time(info.get()));
  OsslPtr<TS_VERIFY_CTX> ctx(TS_VERIFY_CTX_new());
  auto store = store_of(trusted_pem);
  X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store.get()), std::chrono::system_clock::to_time_t(gen_time));
  auto data = memory_bio(std::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(signature_value)),
                                          static_cast<std::size_t>(ASN1_STRING_length(signature_value))));
  CertificateStack intermediates(Certificate::all_from_pem(intermediates_pem));
  if (!ctx) throw_openssl("preparing timestamp verification");
  TS_VERIFY_CTX_set_flags(ctx.get(), TS_VFY_SIGNATURE | TS_VFY_DATA);
  // The context takes ownership of what it is given.
  TS_VERIFY_CTX_set_store(ctx.get(), store.release());
  TS_VERIFY_CTX_set_data(ctx.get(), data.release());
  STACK_OF(X509)* untrusted = sk_X509_dup(intermediates.get());
  for (int i = 0; untrusted && i < sk_X509_num(untrusted); ++i) X509_up_ref(sk_X509_value(untrusted, i));
  TS_VERIFY_CTS_set_certs(ctx.get(), untrusted);
  const bool sound = TS_RESP_verify_token(ctx.get(), token) == 1;
  ERR_clear_error();
  if (!sound) return std::nullopt;
  return gen_time;
}
// Document signing (RFC 9336) or e-mail protection, on an end-entity certificate: the
// CA's own TLS, OCSP and TSA certificates chain to the same root but sign no letters.
bool meant_for_documents(X509* certificate) {
  if (X509_check_ca(certificate) != 0) return false;
  OsslPtr<EXTENDED_KEY_USAGE> usages(
      static_cast<EXTENDED_KEY_USAGE*>(X509_get_ext_d2i(certificate, NID_ext_key_usage, nullptr, nullptr)));
  if (!usages) return false;
  OsslPtr<ASN1_OBJECT> document_signing(OBJ_txt2obj("1.3.6.1.5.5.7.3.36", 1));
  for (int i = 0; i < sk_ASN1_OBJECT_num(usages.get()); ++i) {
    const ASN1_OBJECT* usage = sk_ASN1_OBJECT_value(usages.get(), i);
    if (OBJ_obj2nid(usage) == NID_email_protect || OBJ_cmp(usage, document_signing.get()) == 0) return true;
  }
  return false;
}

// The signer certificate was bound by CmsSignature::parse; CMS_verify uses it.
bool value_verifies(CMS_ContentInfo* cms, std::span<const std::string_view> content) {
  auto data = parts_bio(content);
  const bool verifies =
      CMS_verify(cms, nullptr, nullptr, data.get(), nullptr, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY | CMS_DETACHED) == 1;
  ERR_clear_error();
  return verifies;
}
}  // namespace

bool signature_intact(std::string_view cms_der, std::span<const std::string_view> content) {
  auto parsed = CmsSignature::parse(cms_der);
  return parsed.signer_certificate && value_verifies(parsed.cms.get(), content);
}

SignatureCheck check_detached_signature(std::string_view cms_der, std::span<const std::string_view> content,
                                        std::string_view trusted_pem, std::string_view intermediates_pem) {
  SignatureCheck check;
  auto parsed = CmsSignature::parse(cms_der);
  if (!parsed.signer_certificate) {
    check.refused = true;
    check.problem = parsed.refusal;
    return check;
  }
  // First the bytes and the signature alone; trust is judged separately below.
  check.intact = value_verifies(parsed.cms.get(), content);
  if (!check.intact) check.problem = "the document changed after this signature, or the signature is damaged";
  bool timestamp_sound = true;
  if (auto token = parsed.timestamp_token()) {
    check.timestamp = verified_timestamp(token.get(), CMS_SignerInfo_get0_signature(parsed.signer), trusted_pem,
                                         intermediates_pem);
    timestamp_sound = check.timestamp.has_value();
  }
  const Certificate signer(std::move(parsed.signer_certificate));
  check.signer_subject = signer.subject();
  check.signer_serial = signer.serial_hex();
  check.signer_der = signer.der();

  auto store = store_of(trusted_pem);
  const CertificateStack untrusted(Certificate::all_from_pem(intermediates_pem));
  OsslPtr<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store.get(), signer.get(), untrusted.get()) != 1)
    throw_openssl("preparing certificate verification");
  // Judged at the timestamp: a certificate that expired since still made a valid signature.
  if (check.timestamp) X509_STORE_CTX_set_time(ctx.get(), 0, std::chrono::system_clock::to_time_t(*check.timestamp));
  const bool chains = X509_verify_cert(ctx.get()) == 1;
  const bool for_documents = meant_for_documents(signer.get());
  check.trusted = chains && timestamp_sound && for_documents;
  if (chains && !for_documents && check.problem.empty())
    check.problem = "the certificate is not meant for signing documents";
  if (!timestamp_sound && check.problem.empty())
    check.problem = "the signature's timestamp is not valid or not from a trusted timestamp authority";
  if (!check.trusted && check.problem.empty())
    check.problem = std::string("the certificate is not trusted: ") +
                    X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
  return check;
}

}  // namespace lontar::crypto
