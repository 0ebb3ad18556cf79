#include "crypto/cms_parts.h"

namespace lontar::crypto {

CmsSignature CmsSignature::parse(std::string_view der) {
  CmsSignature out;
  const unsigned char* cursor = reinterpret_cast<const unsigned char*>(der.data());
  out.cms.reset(d2i_CMS_ContentInfo(nullptr, &cursor, static_cast<long>(der.size())));
  if (!out.cms) return out;
  STACK_OF(CMS_SignerInfo)* signers = CMS_get0_SignerInfos(out.cms.get());
  if (!signers || sk_CMS_SignerInfo_num(signers) != 1) return out;
  out.signer = sk_CMS_SignerInfo_value(signers, 0);
  const CertificateStack included(CMS_get1_certs(out.cms.get()));
  for (int i = 0; i < sk_X509_num(included.get()); ++i) {
    X509* candidate = sk_X509_value(included.get(), i);
    if (CMS_SignerInfo_cert_cmp(out.signer, candidate) == 0) {
      X509_up_ref(candidate);
      out.signer_certificate.reset(candidate);
    }
  }
  return out;
}

OsslPtr<PKCS7> CmsSignature::timestamp_token() const {
  if (!signer) return nullptr;
  const int at = CMS_unsigned_get_attr_by_NID(signer, NID_id_smime_aa_timeStampToken, -1);
  if (at < 0) return nullptr;
  ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(signer, at), 0);
  if (!value || value->type != V_ASN1_SEQUENCE) return nullptr;
  const unsigned char* cursor = value->value.sequence->data;
  return OsslPtr<PKCS7>(d2i_PKCS7(nullptr, &cursor, value->value.sequence->length));
}

OsslPtr<X509> timestamp_signer(PKCS7* token) {
  if (!token || !PKCS7_type_is_signed(token)) return nullptr;
  STACK_OF(X509)* signers = PKCS7_get0_signers(token, nullptr, 0);  // borrowed certificates, owned list
  if (!signers) return nullptr;
  OsslPtr<X509> out;
  if (sk_X509_num(signers) == 1) {
    X509_up_ref(sk_X509_value(signers, 0));
    out.reset(sk_X509_value(signers, 0));
  }
  sk_X509_free(signers);
  return out;
}

}  // namespace lontar::crypto
