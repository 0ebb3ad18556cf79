#pragma once

#include <string>
#include <string_view>

#include <memory>

#include "core/certificate_factory.h"
#include "core/product.h"

namespace lontar {

// eSign (SPEC §3): the server generates and keeps the applicant's key pair so that
// only the applicant's passphrase opens it, and the passphrase is never stored.
// Because the key is made after approval, when the passphrase is no longer at hand,
// submission leaves an envelope: a wrapping key pair whose secret half is encrypted
// under a key derived from the passphrase. The signing key is later sealed to the
// envelope's public half.
class KeyCustody {
 public:
  struct GeneratedKey {
    std::unique_ptr<SigningRequest> csr;  // for the new key, signed by it
    std::string sealed_key;               // the private key, openable only with the passphrase
  };

  virtual ~KeyCustody() = default;
  virtual std::string prepare(std::string_view passphrase) const = 0;
  virtual GeneratedKey generate(std::string_view envelope, const Product& product) const = 0;
  // The private key as unencrypted PKCS#8 DER, for signing in memory. Throws
  // Error(unauthenticated, "wrong_passphrase") when the passphrase does not open it.
  virtual std::string open(std::string_view envelope, std::string_view sealed_key,
                           std::string_view passphrase) const = 0;
};

// Checks an uploaded recommendation letter: a PDF by its content and by parsing it.
class LetterInspector {
 public:
  virtual ~LetterInspector() = default;
  // Throws Error(invalid_input) with a sentence for the applicant.
  virtual void check(std::string_view data) const = 0;
};

}  // namespace lontar
