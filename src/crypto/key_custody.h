#pragma once

#include "core/key_custody.h"

namespace lontar::crypto {

// KeyCustody with file-free envelopes (stored in the request row):
//   envelope = Argon2id(passphrase, salt) → AES-256-GCM over an X25519 secret key;
//   sealed key = AES-256-GCM(random data key, PKCS#8 DER), the data key sealed to the
//   X25519 public key (libsodium sealed box).
// Either half alone opens nothing; the passphrase opens the X25519 secret, which opens
// the data key, which opens the signing key.
class PassphraseKeyCustody final : public KeyCustody {
 public:
  struct Cost {
    unsigned long long ops;
    std::size_t mem;
  };
  explicit PassphraseKeyCustody(Cost cost);
  PassphraseKeyCustody();  // libsodium's interactive limits (64 MiB, 2 passes)

  std::string prepare(std::string_view passphrase) const override;
  GeneratedKey generate(std::string_view envelope, const Product& product) const override;
  std::string open(std::string_view envelope, std::string_view sealed_key, std::string_view passphrase) const override;

 private:
  Cost cost_;
};

// The key algorithm name (private_key.h) the server generates for a product: its first
// allowed key kind, RSA at the smallest allowed size of at least 2048 bits.
std::string server_key_algorithm(const Product& product);

}  // namespace lontar::crypto
