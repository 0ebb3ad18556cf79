#include "crypto/private_key.h"

#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>

#include "core/encoding.h"
#include "crypto/crypto_error.h"

namespace lontar::crypto {

bool is_known_key_algorithm(std::string_view name) {
  return name == "ec-p256" || name == "ec-p384" || name == "rsa-2048" || name == "rsa-3072" || name == "rsa-4096";
}

PrivateKey PrivateKey::generate(std::string_view algorithm) {
  EVP_PKEY* raw = nullptr;
  if (algorithm == "ec-p256") {
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  } else if (algorithm == "ec-p384") {
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
  } else if (algorithm == "rsa-2048" || algorithm == "rsa-3072" || algorithm == "rsa-4096") {
    const size_t bits = std::stoul(std::string(algorithm.substr(4)));
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", bits);
  } else {
    throw Error(ErrorKind::invalid_input, "unknown_key_algorithm",
                "Unknown key algorithm '" + std::string(algorithm) +
                    "'; use ec-p256, ec-p384, rsa-2048, rsa-3072 or rsa-4096.");
  }
  if (!raw) throw_openssl("generating a " + std::string(algorithm) + " key");
  return PrivateKey(OsslPtr<EVP_PKEY>(raw));
}

PrivateKey PrivateKey::from_encrypted_pem(std::string_view pem, std::string_view passphrase) {
  auto bio = memory_bio(pem);
  std::string pass(passphrase);  // PEM's default callback wants a NUL-terminated string
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, pass.data());
  OPENSSL_cleanse(pass.data(), pass.size());
  if (!raw)
    throw_invalid("wrong_passphrase", "The key could not be decrypted: the passphrase is wrong or the key file is damaged.");
  return PrivateKey(OsslPtr<EVP_PKEY>(raw));
}

std::string PrivateKey::to_encrypted_pem(std::string_view passphrase, ScryptCost cost) const {
  OsslPtr<PKCS8_PRIV_KEY_INFO> info(EVP_PKEY2PKCS8(key_.get()));
  if (!info) throw_openssl("encoding a private key as PKCS#8");
  unsigned char salt[16];
  if (RAND_bytes(salt, sizeof salt) != 1) throw_openssl("drawing a salt");
  OsslPtr<X509_ALGOR> pbe(
      PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), salt, sizeof salt, nullptr, cost.n, cost.r, cost.p));
  if (!pbe) throw_openssl("setting up scrypt key encryption");
  OsslPtr<X509_SIG> encrypted(
      PKCS8_set0_pbe(passphrase.data(), static_cast<int>(passphrase.size()), info.get(), pbe.get()));
  if (!encrypted) throw_openssl("encrypting a private key");
  (void)pbe.release();  // set0: the X509_SIG owns the algorithm now
  OsslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PKCS8(bio.get(), encrypted.get()) != 1) throw_openssl("writing PKCS#8 PEM");
  return bio_to_string(bio.get());
}

std::string PrivateKey::public_key_pem() const {
  OsslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1) throw_openssl("writing a public key");
  return bio_to_string(bio.get());
}

PublicKeyInfo PrivateKey::public_info() const { return describe_public_key(key_.get()); }

std::string spki_sha256_hex(EVP_PKEY* key) { return sha256_hex(encode_der<EVP_PKEY>(key, i2d_PUBKEY, "a public key")); }

std::string spki_sha256_hex(const X509_PUBKEY* encoded) {
  return sha256_hex(encode_der<X509_PUBKEY>(encoded, i2d_X509_PUBKEY, "a public key"));
}

PublicKeyInfo describe_public_key(EVP_PKEY* key, std::optional<std::string_view> spki_der) {
  PublicKeyInfo info;
  info.bits = EVP_PKEY_get_bits(key);
  info.spki_sha256 = spki_der ? sha256_hex(*spki_der) : spki_sha256_hex(key);
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA: info.algorithm = KeyAlgorithm::rsa; break;
    case EVP_PKEY_EC: {
      info.algorithm = KeyAlgorithm::ec;
      char group[80] = {};
      size_t length = 0;
      if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &length) != 1) {
        info.curve = "unnamed curve";
      } else {
        const std::string_view name(group, length);
        info.curve = name == "prime256v1" ? "P-256"
                     : name == "secp384r1" ? "P-384"
                     : name == "secp521r1" ? "P-521"
                                           : std::string(name);
      }
      break;
    }
    default: info.algorithm = KeyAlgorithm::other; break;
  }
  return info;
}

const EVP_MD* signature_digest(EVP_PKEY* key) {
  if (EVP_PKEY_get_base_id(key) == EVP_PKEY_EC) {
    const int bits = EVP_PKEY_get_bits(key);
    if (bits > 384) return EVP_sha512();
    if (bits > 256) return EVP_sha384();
  }
  return EVP_sha256();
}

std::string bio_to_string(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  return length > 0 ? std::string(data, static_cast<size_t>(length)) : std::string();
}

OsslPtr<BIO> memory_bio(std::string_view data) {
  // An empty view may have no address, which OpenSSL refuses; an empty buffer is fine.
  static const char nothing = 0;
  OsslPtr<BIO> bio(BIO_new_mem_buf(data.empty() ? &nothing : data.data(), static_cast<int>(data.size())));
  if (!bio) throw_openssl("allocating a memory buffer");
  return bio;
}

PrivateKey PrivateKey::from_der(std::string_view der) {
  const unsigned char* cursor = reinterpret_cast<const unsigned char*>(der.data());
  OsslPtr<EVP_PKEY> key(d2i_AutoPrivateKey(nullptr, &cursor, static_cast<long>(der.size())));
  if (!key) throw_invalid("bad_private_key", "The private key could not be read.");
  return PrivateKey(std::move(key));
}

void cleanse(std::string& secret) {
  OPENSSL_cleanse(secret.data(), secret.size());
  secret.clear();
}

}  // namespace lontar::crypto
