#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/key_info.h"
#include "crypto/ossl_ptr.h"

namespace lontar::crypto {

// Names used in configuration: "ec-p256", "ec-p384", "rsa-2048", "rsa-3072", "rsa-4096".
bool is_known_key_algorithm(std::string_view name);

// scrypt cost for encrypted PKCS#8: N=2^14, r=8, p=1 (16 MiB). A larger N crosses
// the 32 MiB memory cap that OpenSSL's readers (openssl pkey, PEM_read) apply by
// default, and the files must open in every tool.
struct ScryptCost {
  std::uint64_t n = 1u << 14;
  std::uint64_t r = 8;
  std::uint64_t p = 1;
};

class PrivateKey final {
 public:
  static PrivateKey generate(std::string_view algorithm);
  // An encrypted PKCS#8 PEM; throws Error(invalid_input) on a wrong passphrase.
  static PrivateKey from_encrypted_pem(std::string_view pem, std::string_view passphrase);
  // Unencrypted PKCS#8 (or traditional) DER held in memory, e.g. an opened eSign key.
  static PrivateKey from_der(std::string_view der);
  explicit PrivateKey(OsslPtr<EVP_PKEY> key) : key_(std::move(key)) {}
  // Another owner of the same key (reference counted, no copy of the secret).
  static PrivateKey share(EVP_PKEY* key) {
    EVP_PKEY_up_ref(key);
    return PrivateKey(OsslPtr<EVP_PKEY>(key));
  }

  // PKCS#8 EncryptedPrivateKeyInfo, PBES2 with scrypt and AES-256-CBC.
  std::string to_encrypted_pem(std::string_view passphrase, ScryptCost cost = {}) const;
  std::string public_key_pem() const;
  PublicKeyInfo public_info() const;
  EVP_PKEY* get() const noexcept { return key_.get(); }

 private:
  OsslPtr<EVP_PKEY> key_;
};

// `encoded`, when given, is the key's SubjectPublicKeyInfo as parsed; hashing it avoids
// re-encoding the key.
// `spki_der`: the key's SubjectPublicKeyInfo when the caller has it (spares encoding it again).
PublicKeyInfo describe_public_key(EVP_PKEY* key, std::optional<std::string_view> spki_der = std::nullopt);
std::string spki_sha256_hex(EVP_PKEY* key);
std::string spki_sha256_hex(const X509_PUBKEY* encoded);
// The digest this key signs with: SHA-384 for P-384, SHA-512 for P-521, else SHA-256.
const EVP_MD* signature_digest(EVP_PKEY* key);

std::string bio_to_string(BIO* bio);
// Overwrites secret bytes before the memory is released.
void cleanse(std::string& secret);
OsslPtr<BIO> memory_bio(std::string_view data);

}  // namespace lontar::crypto
