#include "crypto/cms_parts.h"

#include <openssl/err.h>
#include <openssl/ess.h>

#include <vector>

namespace lontar::crypto {

namespace {
// The length of the DER element at the start of `der` (tag, length and content), or
// 0 when its header is not definite-length DER.
std::size_t element_length(std::string_view der) {
  if (der.size() < 2) return 0;
  const auto first = static_cast<unsigned char>(der[1]);
  if (first < 0x80) return 2 + first;
  const std::size_t octets = first & 0x7f;
  if (octets == 0 || octets > 4 || der.size() < 2 + octets) return 0;  // indefinite (BER) or absurd
  std::size_t length = 0;
  for (std::size_t i = 0; i < octets; ++i) length = (length << 8) | static_cast<unsigned char>(der[2 + i]);
  return 2 + octets + length;
}

std::string encoded(CMS_ContentInfo* cms) {
  unsigned char* out = nullptr;
  const int length = i2d_CMS_ContentInfo(cms, &out);
  if (length <= 0) return {};
  std::string bytes(reinterpret_cast<const char*>(out), static_cast<std::size_t>(length));
  OPENSSL_free(out);
  return bytes;
}

// MD5 and SHA-1 admit collisions: a document made to collide with a signed one would
// carry its signature.
bool strong_digest(int nid) {
  switch (nid) {
    case NID_sha256:
    case NID_sha384:
    case NID_sha512:
    case NID_sha3_256:
    case NID_sha3_384:
    case NID_sha3_512: return true;
    default: return false;
  }
}

// The distinct certificates in `certificates` that `matches` accepts.
template <class Matches>
std::vector<X509*> distinct_matches(STACK_OF(X509)* certificates, Matches matches) {
  std::vector<X509*> found;
  for (int i = 0; i < sk_X509_num(certificates); ++i) {
    X509* candidate = sk_X509_value(certificates, i);
    if (!matches(candidate)) continue;
    bool seen = false;
    for (X509* earlier : found) seen = seen || X509_cmp(earlier, candidate) == 0;
    if (!seen) found.push_back(candidate);
  }
  return found;
}

// The signing-certificate(-v2) attribute (RFC 5035) must name the bound certificate.
std::string signing_certificate_refusal(CMS_SignerInfo* signer, X509* certificate) {
  const int v2_at = CMS_signed_get_attr_by_NID(signer, NID_id_smime_aa_signingCertificateV2, -1);
  const int v1_at = CMS_signed_get_attr_by_NID(signer, NID_id_smime_aa_signingCertificate, -1);
  if (v2_at < 0 && v1_at < 0) return "the signature does not name its certificate (no signing-certificate-v2 attribute)";
  if ((v2_at >= 0 && CMS_signed_get_attr_by_NID(signer, NID_id_smime_aa_signingCertificateV2, v2_at) >= 0) ||
      (v1_at >= 0 && CMS_signed_get_attr_by_NID(signer, NID_id_smime_aa_signingCertificate, v1_at) >= 0))
    return "the signature names its certificate more than once";
  const auto decode = [&](int at, auto d2i) -> decltype(d2i(nullptr, nullptr, 0)) {
    if (at < 0) return nullptr;
    X509_ATTRIBUTE* attribute = CMS_signed_get_attr(signer, at);
    if (X509_ATTRIBUTE_count(attribute) != 1) return nullptr;
    const ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(attribute, 0);
    if (!value || value->type != V_ASN1_SEQUENCE) return nullptr;
    const unsigned char* cursor = value->value.sequence->data;
    return d2i(nullptr, &cursor, value->value.sequence->length);
  };
  OsslPtr<ESS_SIGNING_CERT_V2> v2(decode(v2_at, d2i_ESS_SIGNING_CERT_V2));
  OsslPtr<ESS_SIGNING_CERT> v1(decode(v1_at, d2i_ESS_SIGNING_CERT));
  if ((v2_at >= 0 && !v2) || (v1_at >= 0 && !v1)) return "the signature's signing-certificate attribute is malformed";
  const CertificateStack chain;
  X509_up_ref(certificate);
  sk_X509_push(chain.get(), certificate);
  const bool names_it = OSSL_ESS_check_signing_certs(v1.get(), v2.get(), chain.get(), 1) > 0;
  ERR_clear_error();
  if (!names_it) return "the signing-certificate-v2 attribute names another certificate than the one that signed";
  return {};
}
}  // namespace

CmsSignature CmsSignature::parse(std::string_view der) {
  CmsSignature out;
  const auto length = element_length(der);
  if (length == 0 || length > der.size()) {
    out.refusal = "the signature value is not one DER object";
    return out;
  }
  if (der.substr(length).find_first_not_of('\0') != std::string_view::npos) {
    out.refusal = "the signature value carries bytes after its DER object";
    return out;
  }
  const auto object = der.substr(0, length);
  const unsigned char* cursor = reinterpret_cast<const unsigned char*>(object.data());
  out.cms.reset(d2i_CMS_ContentInfo(nullptr, &cursor, static_cast<long>(object.size())));
  ERR_clear_error();
  if (!out.cms || cursor != reinterpret_cast<const unsigned char*>(object.data()) + object.size()) {
    out.cms.reset();
    out.refusal = "the signature value is not a CMS structure";
    return out;
  }
  if (OBJ_obj2nid(CMS_get0_type(out.cms.get())) != NID_pkcs7_signed || CMS_is_detached(out.cms.get()) != 1) {
    out.refusal = "the signature value is not a detached CMS SignedData";
    return out;
  }
  // BER that OpenSSL reads but would write differently is a second way to say the same
  // thing, and the signer identifier is compared on what it says.
  if (encoded(out.cms.get()) != object) {
    out.refusal = "the signature value is not in DER";
    return out;
  }
  STACK_OF(CMS_SignerInfo)* signers = CMS_get0_SignerInfos(out.cms.get());
  if (!signers || sk_CMS_SignerInfo_num(signers) != 1) {
    out.refusal = "the signature has " + std::to_string(signers ? sk_CMS_SignerInfo_num(signers) : 0) +
                  " signer infos; exactly one is accepted";
    return out;
  }
  out.signer = sk_CMS_SignerInfo_value(signers, 0);
  X509_ALGOR* digest = nullptr;
  CMS_SignerInfo_get0_algs(out.signer, nullptr, nullptr, &digest, nullptr);
  if (!digest || !strong_digest(OBJ_obj2nid(digest->algorithm))) {
    out.refusal = "the signature uses a digest algorithm too weak to prove anything (SHA-256 or stronger is required)";
    return out;
  }
  const CertificateStack included(CMS_get1_certs(out.cms.get()));
  const auto matching =
      distinct_matches(included.get(), [&](X509* candidate) { return CMS_SignerInfo_cert_cmp(out.signer, candidate) == 0; });
  if (matching.empty()) {
    out.refusal = "the signer's certificate is not in the signature";
    return out;
  }
  if (matching.size() > 1) {
    out.refusal = "several certificates in the signature match its signer identifier";
    return out;
  }
  if (auto why = signing_certificate_refusal(out.signer, matching.front()); !why.empty()) {
    out.refusal = std::move(why);
    return out;
  }
  X509_up_ref(matching.front());
  out.signer_certificate.reset(matching.front());
  // CMS_verify uses the certificate set here and never looks it up again.
  CMS_SignerInfo_set1_signer_cert(out.signer, out.signer_certificate.get());
  return out;
}

OsslPtr<PKCS7> CmsSignature::timestamp_token() const {
  if (!signer) return nullptr;
  const int at = CMS_unsigned_get_attr_by_NID(signer, NID_id_smime_aa_timeStampToken, -1);
  if (at < 0 || CMS_unsigned_get_attr_by_NID(signer, NID_id_smime_aa_timeStampToken, at) >= 0) return nullptr;
  X509_ATTRIBUTE* attribute = CMS_unsigned_get_attr(signer, at);
  if (X509_ATTRIBUTE_count(attribute) != 1) return nullptr;
  ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(attribute, 0);
  if (!value || value->type != V_ASN1_SEQUENCE) return nullptr;
  const unsigned char* cursor = value->value.sequence->data;
  return OsslPtr<PKCS7>(d2i_PKCS7(nullptr, &cursor, value->value.sequence->length));
}

OsslPtr<X509> timestamp_signer(PKCS7* token) {
  if (!token || !PKCS7_type_is_signed(token) || !token->d.sign) return nullptr;
  STACK_OF(PKCS7_SIGNER_INFO)* infos = PKCS7_get_signer_info(token);
  if (!infos || sk_PKCS7_SIGNER_INFO_num(infos) != 1) return nullptr;
  const PKCS7_ISSUER_AND_SERIAL* id = sk_PKCS7_SIGNER_INFO_value(infos, 0)->issuer_and_serial;
  const auto matching = distinct_matches(token->d.sign->cert, [&](X509* candidate) {
    return X509_NAME_cmp(X509_get_issuer_name(candidate), id->issuer) == 0 &&
           ASN1_INTEGER_cmp(X509_get0_serialNumber(candidate), id->serial) == 0;
  });
  if (matching.size() != 1) return nullptr;
  X509_up_ref(matching.front());
  return OsslPtr<X509>(matching.front());
}

}  // namespace lontar::crypto
