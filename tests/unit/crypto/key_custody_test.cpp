#include "crypto/key_custody.h"

#include <gtest/gtest.h>

#include "support/expect_error.h"

#include <nlohmann/json.hpp>

#include "core/encoding.h"
#include "core/error.h"
#include "crypto/csr.h"

namespace lontar {
namespace {

crypto::PassphraseKeyCustody custody({1, 8 * 1024 * 1024});

Product product_with(const std::string& rule) {
  Product p;
  p.id = "p";
  const auto parsed = KeyRule::parse(rule);
  if (parsed) p.keys.push_back(*parsed);
  return p;
}

TEST(KeyCustody, TheGeneratedKeyMatchesItsCsrAndOpensOnlyWithThePassphrase) {
  const auto envelope = custody.prepare("correct horse battery staple");
  const auto generated = custody.generate(envelope, product_with("ec:P-384"));
  // The server's own CSR needs no parse; its PEM is what openssl would read back.
  EXPECT_EQ(generated.csr->facts().key.describe(), "ECDSA P-384");
  const auto csr = crypto::Csr::parse(generated.csr->pem());
  EXPECT_EQ(csr.facts().key.spki_sha256, generated.csr->facts().key.spki_sha256);
  EXPECT_EQ(csr.facts().public_key_der, generated.csr->facts().public_key_der);
  const auto der = custody.open(envelope, generated.sealed_key, "correct horse battery staple");
  EXPECT_FALSE(der.empty());
  const auto wrong = testing::thrown_by([&] {
    custody.open(envelope, generated.sealed_key, "correct horse battery stapler");
  });
  EXPECT_EQ(wrong.code(), "wrong_passphrase");
}

TEST(KeyCustody, NeitherRecordHoldsThePassphraseOrThePlainKey) {
  const std::string passphrase = "Sangat-Rahasia-2026!";
  const auto envelope = custody.prepare(passphrase);
  const auto generated = custody.generate(envelope, product_with("ec:P-256"));
  const auto der = custody.open(envelope, generated.sealed_key, passphrase);
  for (const auto& record : {envelope, generated.sealed_key}) {
    EXPECT_EQ(record.find(passphrase), std::string::npos);
    EXPECT_EQ(record.find(to_base64(as_bytes(der))), std::string::npos);
  }
}

TEST(KeyCustody, AnAlteredSealedKeyIsDetected) {
  const auto envelope = custody.prepare("correct horse battery staple");
  const auto generated = custody.generate(envelope, product_with("ec:P-256"));
  auto doc = nlohmann::json::parse(generated.sealed_key);
  auto bytes = *from_base64(doc["key"].get<std::string>());
  bytes[bytes.size() / 2] ^= 1;
  doc["key"] = to_base64(bytes);
  EXPECT_THROW(custody.open(envelope, doc.dump(), "correct horse battery staple"), Error);
}

TEST(KeyCustody, ServerKeysFollowTheProductsFirstRule) {
  EXPECT_EQ(crypto::server_key_algorithm(product_with("ec:P-256")), "ec-p256");
  EXPECT_EQ(crypto::server_key_algorithm(product_with("rsa:3072-4096")), "rsa-3072");
  EXPECT_EQ(crypto::server_key_algorithm(product_with("rsa:2048-4096")), "rsa-2048");
}

}  // namespace
}  // namespace lontar
