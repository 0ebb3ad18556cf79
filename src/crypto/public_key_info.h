#pragma once

#include <openssl/asn1t.h>
#include <openssl/x509.h>

#include <string>
#include <string_view>

#include "crypto/ossl_ptr.h"

// SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) read as its two fields. OpenSSL 3.0 turns
// every X509_PUBKEY it parses into a key by searching all its decoders, which costs
// more than the signature that follows; requests and certificates are built from these
// fields instead, and the key is made from them directly.
struct LONTAR_SPKI_st {
  X509_ALGOR* algorithm;
  ASN1_BIT_STRING* key;
};
using LONTAR_SPKI = LONTAR_SPKI_st;
DECLARE_ASN1_FUNCTIONS(LONTAR_SPKI)

namespace lontar::crypto {

template <>
struct OsslFree<LONTAR_SPKI> {
  void operator()(LONTAR_SPKI* p) const noexcept { LONTAR_SPKI_free(p); }
};

struct PublicKeyInfoDer {
  OsslPtr<EVP_PKEY> key;
  // One key, one encoding: an EC point always uncompressed, so the same key sent
  // compressed is recognised as the same key, and certificates carry the usual form.
  std::string canonical_der;
};

// The key a request carries. Refuses what a certificate must not carry: EC keys with
// explicit curve parameters or an unknown curve, points that are not on the curve or at
// infinity, bit strings with unused bits.
PublicKeyInfoDer read_public_key(const LONTAR_SPKI& spki);

// Parses DER that must be exactly one SubjectPublicKeyInfo.
OsslPtr<LONTAR_SPKI> parse_public_key_info(std::string_view der);

}  // namespace lontar::crypto
