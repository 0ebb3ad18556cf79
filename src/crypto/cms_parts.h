#pragma once

#include <openssl/cms.h>
#include <openssl/pkcs7.h>

#include <string>
#include <string_view>

#include "crypto/certificate.h"
#include "crypto/ossl_ptr.h"

namespace lontar::crypto {

// A CMS signature with its signer bound to exactly one certificate, the one every
// later decision (value, chain, status, name shown) is about. A signature that is
// ambiguous about its signer is refused with a named reason, never guessed at: the
// value would otherwise be checked with one certificate and trust judged on another.
struct CmsSignature {
  OsslPtr<CMS_ContentInfo> cms;
  CMS_SignerInfo* signer = nullptr;  // owned by `cms`; null unless exactly one signer
  OsslPtr<X509> signer_certificate;  // the one certificate the signer info names; null when refused
  // Why the signer could not be bound (empty when it was): stable, readable sentences.
  std::string refusal;

  // `der` must be exactly one DER SignedData ContentInfo, followed by nothing but the
  // zero padding of a PDF's /Contents hole.
  static CmsSignature parse(std::string_view der);
  // The signature-time-stamp token (RFC 3161, a SignedData) among the unsigned
  // attributes, or null.
  OsslPtr<PKCS7> timestamp_token() const;
};

// The certificate that signed a timestamp token, bound the same way: exactly one
// signer info whose identifier matches exactly one certificate in the token. Null
// otherwise.
OsslPtr<X509> timestamp_signer(PKCS7* token);

}  // namespace lontar::crypto
