#pragma once

#include <openssl/cms.h>
#include <openssl/pkcs7.h>

#include <string_view>

#include "crypto/certificate.h"
#include "crypto/ossl_ptr.h"

namespace lontar::crypto {

// A parsed CMS signature with one signer, and the parts of it the signature checks
// and the long-term validation data need.
struct CmsSignature {
  OsslPtr<CMS_ContentInfo> cms;
  CMS_SignerInfo* signer = nullptr;  // owned by `cms`; null unless exactly one signer
  OsslPtr<X509> signer_certificate;  // from the certificates in the CMS; may be null

  // Null when `der` is not a CMS ContentInfo.
  static CmsSignature parse(std::string_view der);
  // The signature-time-stamp token (RFC 3161, a SignedData) among the unsigned
  // attributes, or null.
  OsslPtr<PKCS7> timestamp_token() const;
};

// The certificate that signed a timestamp token (it travels in the token), or null.
OsslPtr<X509> timestamp_signer(PKCS7* token);

}  // namespace lontar::crypto
