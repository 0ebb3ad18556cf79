#include "crypto/key_custody.h"

#include <sodium.h>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <nlohmann/json.hpp>

#include "core/encoding.h"
#include "core/error.h"
#include "crypto/crypto_error.h"
#include "crypto/csr.h"
#include "crypto/ossl_ptr.h"
#include "crypto/private_key.h"

namespace lontar::crypto {

namespace {
using nlohmann::json;
using Bytes = std::vector<std::uint8_t>;

constexpr std::size_t kGcmNonce = 12;
constexpr std::size_t kGcmTag = 16;
constexpr std::string_view kEnvelopeAad = "lontar-esign-envelope-v1";
constexpr std::string_view kKeyAad = "lontar-esign-key-v1";

// Wipes itself: holds a key, a passphrase-derived secret or a private key.
struct Secret {
  Bytes bytes;
  explicit Secret(std::size_t n) : bytes(n) {}
  Secret(const Secret&) = delete;
  ~Secret() { sodium_memzero(bytes.data(), bytes.size()); }
};

Bytes random_bytes(std::size_t n) {
  Bytes out(n);
  randombytes_buf(out.data(), out.size());
  return out;
}

Bytes gcm_seal(const Bytes& key, std::span<const std::uint8_t> plain, std::string_view aad) {
  Bytes out = random_bytes(kGcmNonce);
  OsslPtr<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), out.data()) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                        static_cast<int>(aad.size())) != 1)
    throw_openssl("starting AES-256-GCM");
  out.resize(kGcmNonce + plain.size() + kGcmTag);
  if (EVP_EncryptUpdate(ctx.get(), out.data() + kGcmNonce, &len, plain.data(), static_cast<int>(plain.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), out.data() + kGcmNonce + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kGcmTag, out.data() + kGcmNonce + plain.size()) != 1)
    throw_openssl("encrypting with AES-256-GCM");
  return out;
}

// False when the tag does not verify (wrong key or altered data).
bool gcm_open(const Bytes& key, const Bytes& sealed, std::string_view aad, Bytes& plain) {
  if (sealed.size() < kGcmNonce + kGcmTag) return false;
  const std::size_t n = sealed.size() - kGcmNonce - kGcmTag;
  plain.assign(n, 0);
  OsslPtr<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), sealed.data()) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                        static_cast<int>(aad.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), plain.data(), &len, sealed.data() + kGcmNonce, static_cast<int>(n)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kGcmTag,
                          const_cast<std::uint8_t*>(sealed.data() + kGcmNonce + n)) != 1)
    throw_openssl("decrypting with AES-256-GCM");
  return EVP_DecryptFinal_ex(ctx.get(), plain.data() + len, &len) == 1;
}

std::string b64(const Bytes& bytes) { return to_base64(bytes); }

Bytes unb64(const json& doc, const char* field) {
  if (!doc.contains(field) || !doc[field].is_string())
    throw Error(ErrorKind::internal, "custody_corrupt", "A stored eSign key record is damaged.");
  auto bytes = from_base64(doc[field].get<std::string>());
  if (!bytes) throw Error(ErrorKind::internal, "custody_corrupt", "A stored eSign key record is damaged.");
  return *bytes;
}

json parse_record(std::string_view text) {
  auto doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    throw Error(ErrorKind::internal, "custody_corrupt", "A stored eSign key record is damaged.");
  return doc;
}

void derive(std::string_view passphrase, const Bytes& salt, unsigned long long ops, std::size_t mem, Secret& kek) {
  if (crypto_pwhash(kek.bytes.data(), kek.bytes.size(), passphrase.data(), passphrase.size(), salt.data(), ops, mem,
                    crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw Error(ErrorKind::unavailable, "out_of_memory", "Not enough memory to derive the key; try again.");
}
}  // namespace

PassphraseKeyCustody::PassphraseKeyCustody(Cost cost) : cost_(cost) {
  if (sodium_init() < 0) throw Error(ErrorKind::internal, "sodium_init", "libsodium could not start.");
}

PassphraseKeyCustody::PassphraseKeyCustody()
    : PassphraseKeyCustody(Cost{crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE}) {}

std::string PassphraseKeyCustody::prepare(std::string_view passphrase) const {
  Bytes public_key(crypto_box_PUBLICKEYBYTES);
  Secret secret_key(crypto_box_SECRETKEYBYTES);
  crypto_box_keypair(public_key.data(), secret_key.bytes.data());
  const Bytes salt = random_bytes(crypto_pwhash_SALTBYTES);
  Secret kek(32);
  derive(passphrase, salt, cost_.ops, cost_.mem, kek);
  const Bytes wrapped = gcm_seal(kek.bytes, secret_key.bytes, kEnvelopeAad);
  return json{{"v", 1},
              {"kdf", "argon2id13"},
              {"ops", cost_.ops},
              {"mem", cost_.mem},
              {"salt", b64(salt)},
              {"public", b64(public_key)},
              {"secret", b64(wrapped)}}
      .dump();
}

std::string server_key_algorithm(const Product& product) {
  if (product.keys.empty()) return "ec-p256";
  const KeyRule& rule = product.keys.front();
  if (rule.algorithm == KeyAlgorithm::ec) return rule.curve == "P-384" ? "ec-p384" : "ec-p256";
  const int bits = std::max(rule.min_bits, 2048);
  return bits <= 2048 ? "rsa-2048" : bits <= 3072 ? "rsa-3072" : "rsa-4096";
}

KeyCustody::GeneratedKey PassphraseKeyCustody::generate(std::string_view envelope, const Product& product) const {
  const auto doc = parse_record(envelope);
  const Bytes public_key = unb64(doc, "public");
  if (public_key.size() != crypto_box_PUBLICKEYBYTES)
    throw Error(ErrorKind::internal, "custody_corrupt", "A stored eSign key record is damaged.");

  const PrivateKey key = PrivateKey::generate(server_key_algorithm(product));
  GeneratedKey out;
  // The subject is the CA's to decide; the CSR only proves possession of the key.
  out.csr = std::make_unique<Csr>(Csr::make(key.get(), "eSign", std::nullopt));

  int der_len = i2d_PrivateKey(key.get(), nullptr);
  if (der_len <= 0) throw_openssl("encoding the eSign key");
  Secret der(static_cast<std::size_t>(der_len));
  unsigned char* cursor = der.bytes.data();
  if (i2d_PrivateKey(key.get(), &cursor) != der_len) throw_openssl("encoding the eSign key");

  Secret data_key(32);
  randombytes_buf(data_key.bytes.data(), data_key.bytes.size());
  const Bytes ciphertext = gcm_seal(data_key.bytes, der.bytes, kKeyAad);
  Bytes sealed_data_key(crypto_box_SEALBYTES + data_key.bytes.size());
  if (crypto_box_seal(sealed_data_key.data(), data_key.bytes.data(), data_key.bytes.size(), public_key.data()) != 0)
    throw Error(ErrorKind::internal, "seal_failed", "Could not seal the eSign key.");
  out.sealed_key =
      json{{"v", 1}, {"format", "der-private-key"}, {"data_key", b64(sealed_data_key)}, {"key", b64(ciphertext)}}
          .dump();
  return out;
}

std::string PassphraseKeyCustody::open(std::string_view envelope, std::string_view sealed_key,
                                       std::string_view passphrase) const {
  const auto env = parse_record(envelope);
  const auto sealed = parse_record(sealed_key);
  const Bytes salt = unb64(env, "salt");
  if (salt.size() != crypto_pwhash_SALTBYTES)
    throw Error(ErrorKind::internal, "custody_corrupt", "A stored eSign key record is damaged.");
  const auto ops = env.value("ops", 0ull);
  const auto mem = env.value("mem", std::size_t{0});
  Secret kek(32);
  derive(passphrase, salt, ops, mem, kek);
  const auto wrong = [] {
    return Error(ErrorKind::unauthenticated, "wrong_passphrase", "The passphrase does not open this key.");
  };
  Secret secret_key(0);
  if (!gcm_open(kek.bytes, unb64(env, "secret"), kEnvelopeAad, secret_key.bytes)) throw wrong();
  const Bytes public_key = unb64(env, "public");
  const Bytes sealed_data_key = unb64(sealed, "data_key");
  Secret data_key(32);
  if (sealed_data_key.size() != crypto_box_SEALBYTES + 32 || public_key.size() != crypto_box_PUBLICKEYBYTES ||
      crypto_box_seal_open(data_key.bytes.data(), sealed_data_key.data(), sealed_data_key.size(), public_key.data(),
                           secret_key.bytes.data()) != 0)
    throw Error(ErrorKind::internal, "custody_corrupt", "A stored eSign key record is damaged.");
  Secret der(0);
  if (!gcm_open(data_key.bytes, unb64(sealed, "key"), kKeyAad, der.bytes))
    throw Error(ErrorKind::internal, "custody_corrupt", "A stored eSign key record is damaged.");
  return std::string(der.bytes.begin(), der.bytes.end());
}

}  // namespace lontar::crypto
