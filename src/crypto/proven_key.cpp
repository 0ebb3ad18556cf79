#include "crypto/proven_key.h"

#include <openssl/pem.h>

#include "core/error.h"
#include "crypto/crypto_error.h"
#include "crypto/private_key.h"
#include "crypto/public_key_info.h"

namespace lontar::crypto {

namespace {
constexpr std::string_view kPemBegin = "-----BEGIN PUBLIC KEY-----";
}

ProvenKey ProvenKey::from_key(EVP_PKEY* key) {
  return from_spki(encode_der<EVP_PKEY>(key, i2d_PUBKEY, "a public key"));
}

ProvenKey ProvenKey::from_spki(std::string_view spki) {
  // Through the same checks as a CSR's key: curve, point, canonical encoding.
  auto parsed = read_public_key(*parse_public_key_info(spki));
  ProvenKey proven;
  proven.facts_.key = describe_public_key(parsed.key.get(), parsed.canonical_der);
  proven.facts_.public_key_der = std::move(parsed.canonical_der);
  return proven;
}

ProvenKey ProvenKey::from_pem(std::string_view pem) {
  OsslPtr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) throw_openssl("reading a public key");
  OsslPtr<EVP_PKEY> key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key) throw_openssl("reading a kept public key");
  return from_key(key.get());
}

bool ProvenKey::is_pem(std::string_view text) { return text.starts_with(kPemBegin); }

std::string ProvenKey::pem() const {
  auto parsed = read_public_key(*parse_public_key_info(facts_.public_key_der));
  OsslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), parsed.key.get()) != 1) throw_openssl("writing a public key");
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

}  // namespace lontar::crypto
