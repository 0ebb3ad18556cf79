#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/random.h"

namespace lontar {

// Keeps CSR tokens recoverable by the server alone. A token is normally kept only as its
// SHA-256, but CMP's password-based MAC (RFC 4210 §5.1.3.1) needs the secret itself
// on the server: it is sealed (XChaCha20-Poly1305) under a key that lives in the data
// folder, never in the database, so a copy of the database does not reveal it.
class TokenVault final {
 public:
  // `key`: 32 random bytes.
  explicit TokenVault(std::string key);
  ~TokenVault();
  TokenVault(const TokenVault&) = delete;
  TokenVault& operator=(const TokenVault&) = delete;

  std::string seal(std::string_view token, RandomSource& random) const;
  // nullopt for anything this key did not seal.
  std::optional<std::string> open(std::string_view sealed) const;

  static std::string new_key(RandomSource& random);

 private:
  std::string key_;
};

}  // namespace lontar
