#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/pkcs12.h>
#include <openssl/ts.h>
#include <openssl/cms.h>
#include <openssl/ess.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace lontar::crypto {

// Every OpenSSL object is owned by an OsslPtr from the moment it is created.
template <class T>
struct OsslFree;

#define LONTAR_OSSL_FREE(T, fn)                                 \
  template <>                                                   \
  struct OsslFree<T> {                                          \
    void operator()(T* p) const noexcept { fn(p); }             \
  };

LONTAR_OSSL_FREE(BIO, BIO_free_all)
LONTAR_OSSL_FREE(EVP_PKEY, EVP_PKEY_free)
LONTAR_OSSL_FREE(EVP_PKEY_CTX, EVP_PKEY_CTX_free)
LONTAR_OSSL_FREE(EVP_MD_CTX, EVP_MD_CTX_free)
LONTAR_OSSL_FREE(X509, X509_free)
LONTAR_OSSL_FREE(X509_REQ, X509_REQ_free)
LONTAR_OSSL_FREE(X509_NAME, X509_NAME_free)
LONTAR_OSSL_FREE(X509_EXTENSION, X509_EXTENSION_free)
LONTAR_OSSL_FREE(X509_ALGOR, X509_ALGOR_free)
LONTAR_OSSL_FREE(X509_SIG, X509_SIG_free)
LONTAR_OSSL_FREE(PKCS8_PRIV_KEY_INFO, PKCS8_PRIV_KEY_INFO_free)
// ASN1_INTEGER, ASN1_TIME, ASN1_OCTET_STRING and ASN1_IA5STRING are all ASN1_STRING.
LONTAR_OSSL_FREE(ASN1_STRING, ASN1_STRING_free)
LONTAR_OSSL_FREE(X509_CRL, X509_CRL_free)
LONTAR_OSSL_FREE(ASN1_OBJECT, ASN1_OBJECT_free)
LONTAR_OSSL_FREE(BIGNUM, BN_free)
LONTAR_OSSL_FREE(GENERAL_NAME, GENERAL_NAME_free)
LONTAR_OSSL_FREE(GENERAL_NAMES, GENERAL_NAMES_free)
LONTAR_OSSL_FREE(X509_STORE, X509_STORE_free)
LONTAR_OSSL_FREE(CERTIFICATEPOLICIES, CERTIFICATEPOLICIES_free)
LONTAR_OSSL_FREE(POLICYINFO, POLICYINFO_free)
LONTAR_OSSL_FREE(OCSP_REQUEST, OCSP_REQUEST_free)
LONTAR_OSSL_FREE(OCSP_RESPONSE, OCSP_RESPONSE_free)
LONTAR_OSSL_FREE(OCSP_BASICRESP, OCSP_BASICRESP_free)
LONTAR_OSSL_FREE(OCSP_CERTID, OCSP_CERTID_free)
LONTAR_OSSL_FREE(X509_STORE_CTX, X509_STORE_CTX_free)
LONTAR_OSSL_FREE(EVP_CIPHER_CTX, EVP_CIPHER_CTX_free)
LONTAR_OSSL_FREE(PKCS12, PKCS12_free)
LONTAR_OSSL_FREE(TS_RESP_CTX, TS_RESP_CTX_free)
LONTAR_OSSL_FREE(TS_RESP, TS_RESP_free)
LONTAR_OSSL_FREE(TS_REQ, TS_REQ_free)
LONTAR_OSSL_FREE(TS_TST_INFO, TS_TST_INFO_free)
LONTAR_OSSL_FREE(PKCS7, PKCS7_free)
LONTAR_OSSL_FREE(TS_MSG_IMPRINT, TS_MSG_IMPRINT_free)
LONTAR_OSSL_FREE(TS_VERIFY_CTX, TS_VERIFY_CTX_free)
LONTAR_OSSL_FREE(CMS_ContentInfo, CMS_ContentInfo_free)
LONTAR_OSSL_FREE(ESS_SIGNING_CERT_V2, ESS_SIGNING_CERT_V2_free)

#undef LONTAR_OSSL_FREE

template <class T>
using OsslPtr = std::unique_ptr<T, OsslFree<T>>;

}  // namespace lontar::crypto
