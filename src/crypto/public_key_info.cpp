#include "crypto/public_key_info.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/objects.h>

#include <array>

#include "crypto/crypto_error.h"
#include "crypto/der.h"

ASN1_SEQUENCE(LONTAR_SPKI) = {
    ASN1_SIMPLE(LONTAR_SPKI, algorithm, X509_ALGOR),
    ASN1_SIMPLE(LONTAR_SPKI, key, ASN1_BIT_STRING),
} ASN1_SEQUENCE_END(LONTAR_SPKI)

IMPLEMENT_ASN1_FUNCTIONS(LONTAR_SPKI)

namespace lontar::crypto {

namespace {

std::string_view bytes_of(const ASN1_STRING* s) {
  return {reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), static_cast<std::size_t>(ASN1_STRING_length(s))};
}

bool has_unused_bits(const ASN1_BIT_STRING* bits) {
  return (bits->flags & ASN1_STRING_FLAG_BITS_LEFT) != 0 && (bits->flags & 0x07) != 0;
}

// An EC key from its named curve and point, through the key manager alone.
OsslPtr<EVP_PKEY> ec_key(const ASN1_OBJECT* curve, std::string_view point) {
  const int nid = OBJ_obj2nid(curve);
  const char* group = nid == NID_undef ? nullptr : OBJ_nid2sn(nid);
  if (group == nullptr) throw_invalid("key_unknown_curve", "The public key is on an elliptic curve Lontar does not know.");
  // 0x02/0x03 compressed, 0x04 uncompressed; 0x00 alone would be the point at infinity.
  if (point.empty() || (point[0] != 0x02 && point[0] != 0x03 && point[0] != 0x04))
    throw_invalid("key_bad_point", "The elliptic-curve public key is not a valid point.");
  std::array<OSSL_PARAM, 3> params{
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>(group), 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, const_cast<char*>(point.data()), point.size()),
      OSSL_PARAM_construct_end()};
  OsslPtr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* made = nullptr;
  // The import checks that the point lies on the curve.
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &made, EVP_PKEY_PUBLIC_KEY, params.data()) != 1)
    throw_invalid("key_bad_point", "The elliptic-curve public key is not a point on its curve.");
  return OsslPtr<EVP_PKEY>(made);
}

std::string uncompressed_point(EVP_PKEY* key) {
  std::array<unsigned char, 256> buffer{};
  std::size_t length = 0;
  if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, buffer.data(), buffer.size(),
                                      &length) != 1 ||
      length == 0 || buffer[0] != 0x04)
    throw_openssl("encoding an elliptic-curve point");
  return {reinterpret_cast<const char*>(buffer.data()), length};
}

}  // namespace

OsslPtr<LONTAR_SPKI> parse_public_key_info(std::string_view der) {
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  OsslPtr<LONTAR_SPKI> spki(d2i_LONTAR_SPKI(nullptr, &cursor, static_cast<long>(der.size())));
  if (!spki || cursor != reinterpret_cast<const unsigned char*>(der.data() + der.size()))
    throw_invalid("key_unreadable", "The public key is not one readable SubjectPublicKeyInfo.");
  return spki;
}

PublicKeyInfoDer read_public_key(const LONTAR_SPKI& spki) {
  if (has_unused_bits(spki.key)) throw_invalid("key_unreadable", "The public key's bit string is malformed.");
  const ASN1_OBJECT* algorithm = nullptr;
  int parameter_type = V_ASN1_UNDEF;
  const void* parameter = nullptr;
  X509_ALGOR_get0(&algorithm, &parameter_type, &parameter, spki.algorithm);
  PublicKeyInfoDer out;
  if (OBJ_obj2nid(algorithm) == NID_X9_62_id_ecPublicKey) {
    // RFC 5480 §2.1.1: namedCurve only; explicit parameters are not allowed in certificates.
    if (parameter_type != V_ASN1_OBJECT)
      throw_invalid("key_explicit_curve",
                    "The elliptic-curve key spells out its curve's parameters instead of naming the curve; "
                    "generate the key on a named curve such as P-256.");
    out.key = ec_key(static_cast<const ASN1_OBJECT*>(parameter), bytes_of(spki.key));
    std::string bits(1, '\0');
    bits += uncompressed_point(out.key.get());
    out.canonical_der = der::tlv(der::kSequence, encode_der<X509_ALGOR>(spki.algorithm, i2d_X509_ALGOR, "an algorithm") +
                                                     der::tlv(der::kBitString, bits));
    return out;
  }
  // Other algorithms (RSA, EdDSA) take OpenSSL's general decoder: rarer, and costlier.
  out.canonical_der = encode_der<LONTAR_SPKI>(&spki, i2d_LONTAR_SPKI, "a public key");
  const auto* cursor = reinterpret_cast<const unsigned char*>(out.canonical_der.data());
  out.key.reset(d2i_PUBKEY(nullptr, &cursor, static_cast<long>(out.canonical_der.size())));
  if (!out.key) throw_invalid("key_unreadable", "The public key cannot be read or uses an unknown algorithm.");
  return out;
}

}  // namespace lontar::crypto
