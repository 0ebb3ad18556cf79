#pragma once

#include <string>

namespace lontar {

enum class KeyAlgorithm { ec, rsa, other };

// What the domain needs to know about a public key, with no crypto library type.
struct PublicKeyInfo {
  KeyAlgorithm algorithm = KeyAlgorithm::other;
  int bits = 0;
  std::string curve;           // "P-256", "P-384", ... for EC keys
  std::string spki_sha256;     // hex SHA-256 of the DER SubjectPublicKeyInfo

  std::string describe() const;  // "ECDSA P-256", "RSA 3072"
};

}  // namespace lontar
