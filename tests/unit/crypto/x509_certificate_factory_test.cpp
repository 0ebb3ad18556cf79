#include "crypto/x509_certificate_factory.h"

#include <gtest/gtest.h>

#include <openssl/core_names.h>

#include <fstream>

#include "core/error.h"
#include "crypto/csr.h"
#include "support/test_instance.h"

namespace lontar {
namespace {

using testing::run_command;

class CertificateFactoryTest : public ::testing::Test {
 protected:
  CertificateRecord issue(const std::string& product, const std::string& key_algorithm = "ec-p256") {
    const auto key = crypto::PrivateKey::generate(key_algorithm);
    return test_.instance().issuance().issue_for_operator(
        {"5108010101900001", product, testing::csr_for(key, "Mallory the Impostor"), "test"});
  }
  std::string write(const std::string& name, const std::string& content) {
    const auto path = test_.data() / name;
    std::ofstream(path) << content;
    return path.string();
  }
  std::string verify(const std::string& cert_file) {
    const auto data = test_.data().string();
    return run_command("openssl verify -x509_strict -purpose any -CAfile " + data + "/ca/root.crt -untrusted " +
                       data + "/ca/issuing.crt " + cert_file)
        .output;
  }

  testing::TestInstance test_;
  Account account_ = test_.add_account("5108010101900001", "Ni Luh Putu Ayu Lestari");
};

TEST_F(CertificateFactoryTest, OpensslVerifiesTheChainStrictly) {
  const auto file = write("c.pem", issue("individual-2y").pem);
  EXPECT_EQ(verify(file), file + ": OK\n");
}

TEST_F(CertificateFactoryTest, OpensslShowsEveryRequiredExtension) {
  const auto file = write("c.pem", issue("individual-1y").pem);
  const auto text = run_command("openssl x509 -noout -text -in " + file).output;
  const auto has = [&](const std::string& needle) { return text.find(needle) != std::string::npos; };
  EXPECT_TRUE(has("X509v3 Basic Constraints: critical\n                CA:FALSE")) << text;
  EXPECT_TRUE(has("X509v3 Key Usage: critical\n                Digital Signature, Non Repudiation")) << text;
  EXPECT_TRUE(has("X509v3 Extended Key Usage: \n                1.3.6.1.5.5.7.3.36, E-mail Protection")) << text;
  EXPECT_TRUE(has("X509v3 Subject Key Identifier")) << text;
  EXPECT_TRUE(has("X509v3 Authority Key Identifier")) << text;
  EXPECT_TRUE(has("URI:http://127.0.0.1:8080/crl/issuing.crl")) << text;
  EXPECT_TRUE(has("OCSP - URI:http://127.0.0.1:8080/ocsp")) << text;
  EXPECT_TRUE(has("CA Issuers - URI:http://127.0.0.1:8080/ca/issuing.crt")) << text;
  EXPECT_TRUE(has("Policy: 2.999.1.1")) << text;
  EXPECT_TRUE(has("email:user0001@undiksha.ac.id")) << text;
  EXPECT_TRUE(has("Version: 3 (0x2)")) << text;
}

TEST_F(CertificateFactoryTest, SubjectComesFromTheAccountNotTheCsr) {
  const auto file = write("c.pem", issue("individual-2y").pem);
  const auto subject = run_command("openssl x509 -noout -subject -nameopt RFC2253 -in " + file).output;
  EXPECT_EQ(subject,
            "subject=serialNumber=PNOID-5108010101900001,CN=Ni Luh Putu Ayu Lestari,OU=UPT TIK,"
            "O=Universitas Pendidikan Ganesha,C=ID\n");
  EXPECT_EQ(subject.find("Mallory"), std::string::npos);
}

TEST_F(CertificateFactoryTest, AuthorityKeyIdMatchesIssuerSubjectKeyId) {
  const auto file = write("c.pem", issue("individual-2y").pem);
  const auto data = test_.data().string();
  const auto aki = run_command("openssl x509 -noout -ext authorityKeyIdentifier -in " + file).output;
  const auto ski = run_command("openssl x509 -noout -ext subjectKeyIdentifier -in " + data + "/ca/issuing.crt").output;
  const auto last_line = [](const std::string& s) {
    auto trimmed = s.substr(0, s.find_last_not_of("\n ") + 1);
    return trimmed.substr(trimmed.find_last_of('\n') + 1);
  };
  ASSERT_FALSE(last_line(ski).empty());
  EXPECT_NE(aki.find(last_line(ski).substr(last_line(ski).find_first_not_of(' '))), std::string::npos)
      << aki << " vs " << ski;
}

TEST_F(CertificateFactoryTest, SerialIsPositiveSixteenOctets) {
  const auto record = issue("individual-2y");
  EXPECT_EQ(record.serial_hex.size(), 32u);
  const int first = std::stoi(record.serial_hex.substr(0, 2), nullptr, 16);
  EXPECT_EQ(first & 0xc0, 0x40);  // high bit clear (positive), next bit set (fixed length)
}

TEST_F(CertificateFactoryTest, RsaSubscriberKeysAreCertifiedToo) {
  const auto file = write("c.pem", issue("individual-1y", "rsa-3072").pem);
  EXPECT_EQ(verify(file), file + ": OK\n");
  EXPECT_NE(run_command("openssl x509 -noout -text -in " + file).output.find("Public-Key: (3072 bit)"),
            std::string::npos);
}

// One key, one certificate per account, whatever the key's encoding in the request.
TEST_F(CertificateFactoryTest, ACompressedPointDoesNotCertifyAKeyTwice) {
  const auto key = crypto::PrivateKey::generate("ec-p256");
  const auto first = test_.instance().issuance().issue_for_operator(
      {"5108010101900001", "individual-1y", testing::csr_for(key, "x"), "test"});
  crypto::OsslPtr<EVP_PKEY> compressed(EVP_PKEY_dup(key.get()));
  ASSERT_EQ(EVP_PKEY_set_utf8_string_param(compressed.get(), OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
                                           "compressed"),
            1);
  const auto again = crypto::make_csr_pem(compressed.get(), "x", std::nullopt);
  try {
    test_.instance().issuance().issue_for_operator({"5108010101900001", "individual-1y", again, "test"});
    FAIL() << "the same key was certified twice";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "key_reused");
  }
  // The certificate carries the usual uncompressed point, which openssl reads back.
  const auto file = write("c.pem", first.pem);
  EXPECT_NE(run_command("openssl x509 -noout -pubkey -in " + file + " | openssl pkey -pubin -noout -text").output.find(
                "pub:\n    04:"),
            std::string::npos);
}

TEST(CertificateFactoryRsaCa, Rsa3072HierarchyVerifies) {
  testing::TempDir dir;
  InitOptions init;
  init.data = dir.path();
  init.ca_algorithm = "rsa-3072";
  initialise(init);
  OpenOptions open;
  open.load_ca_key = true;
  auto instance = Instance::open(dir.path(), open);
  Account a;
  a.nik = "5108010101900009";
  a.name = "I Wayan RSA";
  a.email = "wayan@undiksha.ac.id";
  instance->store().write([&](StoreTransaction& tx) { a.id = tx.accounts().insert(a); });
  const auto key = crypto::PrivateKey::generate("ec-p384");
  const auto record =
      instance->issuance().issue_for_operator({a.nik, "individual-1y", testing::csr_for(key), "test"});
  const auto file = dir.path() / "c.pem";
  std::ofstream(file) << record.pem;
  const auto d = dir.path().string();
  EXPECT_EQ(run_command("openssl verify -x509_strict -CAfile " + d + "/ca/root.crt -untrusted " + d +
                        "/ca/issuing.crt " + file.string())
                .output,
            file.string() + ": OK\n");
  EXPECT_NE(run_command("openssl x509 -noout -text -in " + d + "/ca/root.crt").output.find("Public-Key: (4096 bit)"),
            std::string::npos);
}

}  // namespace
}  // namespace lontar
