#include "crypto/private_key.h"

#include <gtest/gtest.h>

#include "support/expect_error.h"

#include <fstream>

#include "core/error.h"
#include "support/test_instance.h"

namespace lontar::crypto {
namespace {

TEST(PrivateKey, GeneratesEveryConfiguredAlgorithm) {
  EXPECT_EQ(PrivateKey::generate("ec-p256").public_info().curve, "P-256");
  EXPECT_EQ(PrivateKey::generate("ec-p384").public_info().curve, "P-384");
  EXPECT_EQ(PrivateKey::generate("rsa-3072").public_info().bits, 3072);
  EXPECT_THROW(PrivateKey::generate("dsa-1024"), Error);
}

TEST(PrivateKey, EncryptedPkcs8RoundTripsAndRefusesWrongPassphrase) {
  const auto key = PrivateKey::generate("ec-p256");
  const auto pem = key.to_encrypted_pem("s3cret passphrase");
  EXPECT_TRUE(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----")) << pem;
  const auto back = PrivateKey::from_encrypted_pem(pem, "s3cret passphrase");
  EXPECT_EQ(back.public_info().spki_sha256, key.public_info().spki_sha256);
  EXPECT_EQ(testing::thrown_by([&] { PrivateKey::from_encrypted_pem(pem, "wrong"); }).code(), "wrong_passphrase");
}

TEST(PrivateKey, OpensslSeesScryptAes256AndNeedsThePassphrase) {
  testing::TempDir dir;
  const auto file = dir.path() / "key.pem";
  {
    std::ofstream out(file);
    out << PrivateKey::generate("ec-p256").to_encrypted_pem("pass phrase 1");
  }
  const auto info = testing::run_command("openssl asn1parse -in " + file.string());
  ASSERT_EQ(info.status, 0) << info.output;
  EXPECT_NE(info.output.find(":scrypt"), std::string::npos) << info.output;
  EXPECT_NE(info.output.find("aes-256-cbc"), std::string::npos) << info.output;
  EXPECT_NE(testing::run_command("openssl pkey -in " + file.string() + " -passin pass:wrong -noout").status, 0);
  EXPECT_NE(testing::run_command("openssl pkey -in " + file.string() + " -passin pass: -noout").status, 0);
  EXPECT_EQ(testing::run_command("openssl pkey -in " + file.string() + " -passin 'pass:pass phrase 1' -noout").status,
            0);
}

}  // namespace
}  // namespace lontar::crypto
