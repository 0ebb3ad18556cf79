#include "core/token_vault.h"

#include <vector>

#include <sodium.h>

#include "core/encoding.h"
#include "core/error.h"

namespace lontar {

TokenVault::TokenVault(std::string key) : key_(std::move(key)) {
  if (key_.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
    throw Error(ErrorKind::internal, "bad_vault_key", "the token vault key must be 32 bytes");
}

TokenVault::~TokenVault() { sodium_memzero(key_.data(), key_.size()); }

std::string TokenVault::new_key(RandomSource& random) {
  std::string key(crypto_aead_xchacha20poly1305_ietf_KEYBYTES, '\0');
  random.fill({reinterpret_cast<std::uint8_t*>(key.data()), key.size()});
  return key;
}

std::string TokenVault::seal(std::string_view token, RandomSource& random) const {
  std::vector<std::uint8_t> out(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + token.size() +
                                crypto_aead_xchacha20poly1305_ietf_ABYTES);
  random.fill({out.data(), crypto_aead_xchacha20poly1305_ietf_NPUBBYTES});
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &written,
                                             as_bytes(token).data(), token.size(), nullptr, 0, nullptr, out.data(),
                                             as_bytes(key_).data());
  return to_base64(out);
}

std::optional<std::string> TokenVault::open(std::string_view sealed) const {
  const auto bytes = from_base64(sealed);
  constexpr auto overhead = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (!bytes || bytes->size() < overhead) return std::nullopt;
  std::string token(bytes->size() - overhead, '\0');
  unsigned long long written = 0;
  const auto* cipher = bytes->data() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(token.data()), &written, nullptr,
                                                 cipher, bytes->size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                                                 nullptr, 0, bytes->data(), as_bytes(key_).data()) != 0)
    return std::nullopt;
  token.resize(written);
  return token;
}

}  // namespace lontar
