#include "core/password.h"

#include <sodium.h>

#include <cctype>

#include "core/error.h"

namespace lontar {

std::string hash_password(std::string_view password) {
  if (sodium_init() < 0) throw Error(ErrorKind::internal, "sodium", "libsodium failed to initialise");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw Error(ErrorKind::unavailable, "out_of_memory", "Not enough memory to hash the password.");
  return out;
}

bool verify_password(std::string_view encoded_hash, std::string_view password) {
  if (encoded_hash.empty() || encoded_hash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string hash(encoded_hash);  // NUL-terminated copy
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string check_password_strength(std::string_view password) {
  if (password.size() < 10) return "The password must have at least 10 characters.";
  if (password.size() > 256) return "The password must have at most 256 characters.";
  bool letter = false, digit_or_symbol = false;
  for (unsigned char c : password) {
    if (std::isalpha(c)) letter = true;
    else digit_or_symbol = true;
  }
  if (!letter || !digit_or_symbol) return "The password must mix letters with digits or symbols.";
  return {};
}

}  // namespace lontar
