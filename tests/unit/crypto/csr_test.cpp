#include "crypto/csr.h"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/pem.h>

#include "core/error.h"
#include "crypto/crypto_error.h"
#include "crypto/private_key.h"
#include "support/test_instance.h"

namespace lontar::crypto {
namespace {

std::string der_of(const std::string& pem) {
  auto bio = memory_bio(pem);
  OsslPtr<X509_REQ> request(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
  unsigned char* der = nullptr;
  const int length = i2d_X509_REQ(request.get(), &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return out;
}

void expect_refused(const std::string& data, const std::string& code, const std::string& message_part) {
  try {
    Csr::parse(data);
    FAIL() << "accepted input that should be refused (" << code << ")";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_input);
    EXPECT_EQ(e.code(), code);
    EXPECT_NE(std::string(e.what()).find(message_part), std::string::npos) << e.what();
  }
}

class CsrTest : public ::testing::Test {
 protected:
  PrivateKey key_ = PrivateKey::generate("ec-p256");
  std::string pem_ = make_csr_pem(key_.get(), "Someone", std::string("token-123"));
};

TEST_F(CsrTest, ParsesPemAndReadsKeyAndChallenge) {
  const auto csr = Csr::parse(pem_);
  EXPECT_EQ(csr.facts().key.algorithm, KeyAlgorithm::ec);
  EXPECT_EQ(csr.facts().key.curve, "P-256");
  EXPECT_EQ(csr.facts().key.spki_sha256, key_.public_info().spki_sha256);
  EXPECT_EQ(csr.facts().challenge_password, "token-123");
  EXPECT_EQ(csr.facts().claimed_subject, "CN=Someone");
}

TEST_F(CsrTest, ParsesDerAndSurroundingWhitespace) {
  EXPECT_EQ(Csr::parse(der_of(pem_)).facts().key.spki_sha256, key_.public_info().spki_sha256);
  EXPECT_NO_THROW(Csr::parse("\n  " + pem_ + "\n\n"));
}

TEST_F(CsrTest, NoChallengeIsReportedAsAbsent) {
  EXPECT_EQ(Csr::parse(make_csr_pem(key_.get(), "x", std::nullopt)).facts().challenge_password, std::nullopt);
}

TEST_F(CsrTest, RsaKeySizeIsReported) {
  const auto rsa = PrivateKey::generate("rsa-2048");
  const auto csr = Csr::parse(make_csr_pem(rsa.get(), "x", std::nullopt));
  EXPECT_EQ(csr.facts().key.algorithm, KeyAlgorithm::rsa);
  EXPECT_EQ(csr.facts().key.bits, 2048);
}

TEST_F(CsrTest, OpensslMadeCsrWithChallengeIsRead) {
  testing::TempDir dir;
  const auto key = (dir.path() / "k.pem").string();
  const auto csr = (dir.path() / "r.csr").string();
  const auto made = testing::run_command("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout " +
                                         key + " -subj /CN=x -addext basicConstraints=CA:FALSE -out " + csr +
                                         " -batch -passin pass:x 2>&1 && openssl req -in " + csr + " -noout >/dev/null");
  ASSERT_EQ(made.status, 0) << made.output;
  const auto with_challenge = testing::run_command(
      "printf '[req]\\ndistinguished_name=dn\\nattributes=attrs\\nprompt=no\\n[dn]\\nCN=x\\n[attrs]\\n"
      "challengePassword=AbCdEf123456\\n' > " + dir.path().string() + "/req.cnf && openssl req -new -key " + key +
      " -config " + dir.path().string() + "/req.cnf -out " + csr);
  ASSERT_EQ(with_challenge.status, 0) << with_challenge.output;
  const auto parsed = Csr::parse(testing::run_command("cat " + csr).output);
  EXPECT_EQ(parsed.facts().key.curve, "P-384");
  EXPECT_EQ(parsed.facts().challenge_password, "AbCdEf123456");
}

TEST_F(CsrTest, RefusesEmpty) { expect_refused("", "csr_empty", "empty"); }

TEST_F(CsrTest, RefusesRandomBytes) {
  std::string noise(1024, '\0');
  for (size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<char>((i * 7919 + 13) & 0xff);
  expect_refused(noise, "csr_unreadable", "not a readable certificate request");
}

TEST_F(CsrTest, RefusesOversizedFile) {
  expect_refused(std::string(1024 * 1024, 'A'), "csr_too_large", "64 KiB");
}

TEST_F(CsrTest, RefusesPemWithTrailingGarbage) {
  expect_refused(pem_ + "rm -rf /\n", "csr_garbage", "after its END line");
}

TEST_F(CsrTest, RefusesTwoConcatenatedRequests) { expect_refused(pem_ + pem_, "csr_garbage", "after its END line"); }

TEST_F(CsrTest, RefusesPemWithLeadingGarbage) { expect_refused("hello\n" + pem_, "csr_garbage", "before its BEGIN"); }

TEST_F(CsrTest, RefusesBrokenSignature) {
  auto der = der_of(pem_);
  der[der.size() - 3] ^= 0x01;
  expect_refused(der, "csr_bad_signature", "signature does not match");
}

TEST_F(CsrTest, RefusesAlteredSubject) {
  auto der = der_of(pem_);
  const auto at = der.find("Someone");
  ASSERT_NE(at, std::string::npos);
  der[at] = 'N';
  expect_refused(der, "csr_bad_signature", "signature does not match");
}

TEST_F(CsrTest, RefusesTruncatedDer) {
  const auto der = der_of(pem_);
  expect_refused(der.substr(0, der.size() / 2), "csr_unreadable", "not a readable");
}

TEST_F(CsrTest, RefusesDerWithTrailingByte) { expect_refused(der_of(pem_) + "X", "csr_garbage", "extra data"); }

TEST_F(CsrTest, RefusesCorruptBase64) {
  auto broken = pem_;
  broken[40] = '*';
  broken[41] = '*';
  expect_refused(broken, "csr_unreadable", "not a readable");
}

TEST_F(CsrTest, RefusesACertificateInsteadOfARequest) {
  const std::string cert_pem =
      "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUFAKEFAKEFAKE\n-----END CERTIFICATE-----\n";
  expect_refused(cert_pem, "csr_unreadable", "not a readable");
}

// The same key with its point compressed: the encoding differs, the key does not.
std::string compressed_csr_pem(const PrivateKey& key) {
  OsslPtr<EVP_PKEY> copy(EVP_PKEY_dup(key.get()));
  EXPECT_EQ(EVP_PKEY_set_utf8_string_param(copy.get(), OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, "compressed"), 1);
  const auto pem = make_csr_pem(copy.get(), "x", std::nullopt);
  auto bio = memory_bio(pem);
  OsslPtr<X509_REQ> request(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
  const unsigned char* point = nullptr;
  int length = 0;
  X509_PUBKEY_get0_param(nullptr, &point, &length, nullptr, X509_REQ_get_X509_PUBKEY(request.get()));
  EXPECT_EQ(length, 33) << "the request does carry a compressed point";
  return pem;
}

TEST_F(CsrTest, ACompressedPointIsTheSameKey) {
  const auto csr = Csr::parse(compressed_csr_pem(key_));
  EXPECT_EQ(csr.facts().key.spki_sha256, key_.public_info().spki_sha256);
  EXPECT_EQ(csr.facts().public_key_der, encode_der<EVP_PKEY>(key_.get(), i2d_PUBKEY, "key"))
      << "the certificate gets the uncompressed point";
}

TEST_F(CsrTest, RefusesExplicitCurveParametersMadeByOpenssl) {
  testing::TempDir dir;
  const auto key = (dir.path() / "k.pem").string();
  const auto csr = (dir.path() / "r.csr").string();
  const auto made = testing::run_command("openssl ecparam -name prime256v1 -param_enc explicit -genkey -noout -out " +
                                         key + " && openssl req -new -key " + key + " -subj /CN=x -out " + csr +
                                         " && openssl req -in " + csr + " -noout -text | grep -c 'Field Type'");
  ASSERT_EQ(made.status, 0) << made.output;
  expect_refused(testing::run_command("cat " + csr).output, "key_explicit_curve", "named curve such as P-256");
}

TEST_F(CsrTest, RefusesAPointOffTheCurve) {
  auto der = der_of(pem_);
  // The uncompressed point follows 0x03 0x42 0x00 0x04 in the SubjectPublicKeyInfo.
  const auto at = der.find(std::string("\x03\x42\x00\x04", 4));
  ASSERT_NE(at, std::string::npos);
  der[at + 4 + 40] ^= 0x01;  // a byte of y
  expect_refused(der, "key_bad_point", "not a point on its curve");
}

TEST_F(CsrTest, RefusesThePointAtInfinity) {
  auto der = der_of(pem_);
  const auto at = der.find(std::string("\x03\x42\x00\x04", 4));
  ASSERT_NE(at, std::string::npos);
  der[at + 3] = 0x00;
  expect_refused(der, "key_bad_point", "not a valid point");
}

}  // namespace
}  // namespace lontar::crypto
