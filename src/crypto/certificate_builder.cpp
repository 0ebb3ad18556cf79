#include "crypto/certificate_builder.h"

#include <openssl/bn.h>

#include "crypto/crypto_error.h"
#include "crypto/private_key.h"

namespace lontar::crypto {

OsslPtr<X509_NAME> build_name(const std::vector<SubjectAttribute>& attributes) {
  OsslPtr<X509_NAME> name(X509_NAME_new());
  if (!name) throw_openssl("allocating a name");
  for (const auto& [type, value] : attributes) {
    if (X509_NAME_add_entry_by_txt(name.get(), type.c_str(), MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(value.data()),
                                   static_cast<int>(value.size()), -1, 0) != 1)
      throw_openssl("adding " + type + " to a name");
  }
  return name;
}

CertificateBuilder::CertificateBuilder() : x509_(X509_new()) {
  if (!x509_ || X509_set_version(x509_.get(), X509_VERSION_3) != 1) throw_openssl("allocating a certificate");
}

CertificateBuilder& CertificateBuilder::serial(std::span<const std::uint8_t> big_endian) {
  OsslPtr<BIGNUM> bn(BN_bin2bn(big_endian.data(), static_cast<int>(big_endian.size()), nullptr));
  OsslPtr<ASN1_STRING> integer(bn ? BN_to_ASN1_INTEGER(bn.get(), nullptr) : nullptr);
  if (!integer || X509_set_serialNumber(x509_.get(), integer.get()) != 1) throw_openssl("setting a serial number");
  return *this;
}

CertificateBuilder& CertificateBuilder::subject(const X509_NAME* name) {
  if (X509_set_subject_name(x509_.get(), name) != 1) throw_openssl("setting the subject");
  return *this;
}

CertificateBuilder& CertificateBuilder::issuer(const X509* issuer_certificate) {
  issuer_ = issuer_certificate;
  if (X509_set_issuer_name(x509_.get(), X509_get_subject_name(issuer_certificate)) != 1)
    throw_openssl("setting the issuer");
  return *this;
}

CertificateBuilder& CertificateBuilder::self_issued() {
  issuer_ = x509_.get();
  if (X509_set_issuer_name(x509_.get(), X509_get_subject_name(x509_.get())) != 1) throw_openssl("setting the issuer");
  return *this;
}

CertificateBuilder& CertificateBuilder::validity(TimePoint not_before, TimePoint not_after) {
  if (!ASN1_TIME_set(X509_getm_notBefore(x509_.get()), static_cast<time_t>(to_unix(not_before))) ||
      !ASN1_TIME_set(X509_getm_notAfter(x509_.get()), static_cast<time_t>(to_unix(not_after))))
    throw_openssl("setting the validity");
  return *this;
}

CertificateBuilder& CertificateBuilder::public_key(EVP_PKEY* key) {
  if (X509_set_pubkey(x509_.get(), key) != 1) throw_openssl("setting the public key");
  return *this;
}

// Copies the SubjectPublicKeyInfo field by field. X509_set_pubkey would encode the
// key and decode it again through OpenSSL 3's provider machinery, which costs more
// than signing the certificate.
CertificateBuilder& CertificateBuilder::public_key(const LONTAR_SPKI& source) {
  const unsigned char* bits = ASN1_STRING_get0_data(source.key);
  const int length = ASN1_STRING_length(source.key);
  const X509_ALGOR* algorithm = source.algorithm;
  const ASN1_OBJECT* algorithm_oid = nullptr;
  int parameter_type = V_ASN1_UNDEF;
  const void* parameter = nullptr;
  X509_ALGOR_get0(&algorithm_oid, &parameter_type, &parameter, algorithm);

  OsslPtr<ASN1_OBJECT> oid_copy(OBJ_dup(algorithm_oid));
  void* parameter_copy = nullptr;
  if (parameter_type == V_ASN1_OBJECT) {
    parameter_copy = OBJ_dup(static_cast<const ASN1_OBJECT*>(parameter));
  } else if (parameter_type == V_ASN1_SEQUENCE) {
    parameter_copy = ASN1_STRING_dup(static_cast<const ASN1_STRING*>(parameter));
  } else if (parameter_type != V_ASN1_NULL && parameter_type != V_ASN1_UNDEF) {
    throw_invalid("unsupported_key_parameters", "The public key has parameters of an unsupported kind.");
  }
  auto* bits_copy = static_cast<unsigned char*>(OPENSSL_memdup(bits, static_cast<size_t>(length)));
  if (!oid_copy || (parameter != nullptr && parameter_copy == nullptr && parameter_type != V_ASN1_NULL) ||
      (length > 0 && !bits_copy) ||
      X509_PUBKEY_set0_param(X509_get_X509_PUBKEY(x509_.get()), oid_copy.get(), parameter_type, parameter_copy,
                             bits_copy, length) != 1) {
    OPENSSL_free(bits_copy);
    if (parameter_type == V_ASN1_OBJECT) ASN1_OBJECT_free(static_cast<ASN1_OBJECT*>(parameter_copy));
    if (parameter_type == V_ASN1_SEQUENCE) ASN1_STRING_free(static_cast<ASN1_STRING*>(parameter_copy));
    throw_openssl("setting the public key");
  }
  (void)oid_copy.release();  // set0: owned by the certificate now
  return *this;
}

OsslPtr<X509_EXTENSION> prepare_extension(int nid, const std::string& value, const X509* issuer) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, const_cast<X509*>(issuer), nullptr, nullptr, nullptr, 0);
  OsslPtr<X509_EXTENSION> extension(X509V3_EXT_nconf_nid(nullptr, &context, nid, value.c_str()));
  if (!extension) throw_openssl(std::string("building the ") + OBJ_nid2sn(nid) + " extension");
  return extension;
}

// RFC 5280 §4.2.1.4: certificatePolicies ::= SEQUENCE OF PolicyInformation, here
// with policy identifiers only (no qualifiers).
OsslPtr<X509_EXTENSION> prepare_policies_extension(const std::vector<std::string>& oids) {
  OsslPtr<CERTIFICATEPOLICIES> policies(sk_POLICYINFO_new_null());
  if (!policies) throw_openssl("allocating certificate policies");
  for (const auto& oid : oids) {
    OsslPtr<POLICYINFO> info(POLICYINFO_new());
    if (!info) throw_openssl("allocating a policy");
    ASN1_OBJECT_free(info->policyid);
    info->policyid = OBJ_txt2obj(oid.c_str(), 1);
    if (!info->policyid) throw_invalid("bad_policy_oid", "'" + oid + "' is not a valid policy OID.");
    if (sk_POLICYINFO_push(policies.get(), info.get()) == 0) throw_openssl("adding a policy");
    (void)info.release();
  }
  OsslPtr<X509_EXTENSION> extension(X509V3_EXT_i2d(NID_certificate_policies, 0, policies.get()));
  if (!extension) throw_openssl("encoding certificate policies");
  return extension;
}

CertificateBuilder& CertificateBuilder::extension(int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, const_cast<X509*>(issuer_), x509_.get(), nullptr, nullptr, 0);
  OsslPtr<X509_EXTENSION> ext(X509V3_EXT_nconf_nid(nullptr, &context, nid, value.c_str()));
  if (!ext) throw_openssl(std::string("building the ") + OBJ_nid2sn(nid) + " extension");
  return extension(ext.get());
}

CertificateBuilder& CertificateBuilder::extension(const X509_EXTENSION* prepared) {
  if (X509_add_ext(x509_.get(), const_cast<X509_EXTENSION*>(prepared), -1) != 1) throw_openssl("adding an extension");
  return *this;
}

// RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING.
CertificateBuilder& CertificateBuilder::subject_key_identifier() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (X509_pubkey_digest(x509_.get(), EVP_sha1(), digest, &length) != 1) throw_openssl("hashing the public key");
  OsslPtr<ASN1_STRING> identifier(ASN1_OCTET_STRING_new());
  if (!identifier || ASN1_OCTET_STRING_set(identifier.get(), digest, static_cast<int>(length)) != 1 ||
      X509_add1_ext_i2d(x509_.get(), NID_subject_key_identifier, identifier.get(), 0, X509V3_ADD_DEFAULT) != 1)
    throw_openssl("adding the subject key identifier");
  return *this;
}

namespace {
void push_name(GENERAL_NAMES* names, int type, const std::string& value) {
  OsslPtr<GENERAL_NAME> name(GENERAL_NAME_new());
  if (!name) throw_openssl("allocating a name");
  if (type == GEN_IPADD) {
    OsslPtr<ASN1_STRING> address(a2i_IPADDRESS(value.c_str()));
    if (!address) throw_invalid("bad_ip", "'" + value + "' is not an IP address.");
    GENERAL_NAME_set0_value(name.get(), type, address.release());
  } else {
    OsslPtr<ASN1_STRING> text(ASN1_IA5STRING_new());
    if (!text || ASN1_STRING_set(text.get(), value.data(), static_cast<int>(value.size())) != 1)
      throw_openssl("encoding a name");
    GENERAL_NAME_set0_value(name.get(), type, text.release());
  }
  if (sk_GENERAL_NAME_push(names, name.get()) == 0) throw_openssl("adding a name");
  (void)name.release();
}
}  // namespace

CertificateBuilder& CertificateBuilder::email_addresses(const std::vector<std::string>& emails) {
  if (emails.empty()) return *this;
  OsslPtr<GENERAL_NAMES> names(sk_GENERAL_NAME_new_null());
  for (const auto& email : emails) push_name(names.get(), GEN_EMAIL, email);
  if (X509_add1_ext_i2d(x509_.get(), NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1)
    throw_openssl("adding the subject alternative name");
  return *this;
}

CertificateBuilder& CertificateBuilder::dns_and_ip_names(const std::vector<std::string>& dns,
                                                         const std::vector<std::string>& ips) {
  OsslPtr<GENERAL_NAMES> names(sk_GENERAL_NAME_new_null());
  for (const auto& d : dns) push_name(names.get(), GEN_DNS, d);
  for (const auto& ip : ips) push_name(names.get(), GEN_IPADD, ip);
  if (X509_add1_ext_i2d(x509_.get(), NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1)
    throw_openssl("adding the subject alternative name");
  return *this;
}

Certificate CertificateBuilder::sign(const Signer& signer) {
  signer.sign(x509_.get());
  return Certificate(std::move(x509_));
}

Certificate CertificateBuilder::self_sign(EVP_PKEY* key) {
  if (X509_sign(x509_.get(), key, signature_digest(key)) <= 0) throw_openssl("self-signing a certificate");
  return Certificate(std::move(x509_));
}

}  // namespace lontar::crypto
