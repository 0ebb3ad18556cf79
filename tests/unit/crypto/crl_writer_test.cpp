#include "crypto/crl_writer.h"

#include <gtest/gtest.h>

#include <fstream>

#include "crypto/der.h"
#include "support/test_instance.h"

namespace lontar::crypto {
namespace {

TEST(Der, LengthsAndIntegers) {
  EXPECT_EQ(der::header(0x30, 5), std::string("\x30\x05", 2));
  EXPECT_EQ(der::header(0x30, 200), std::string("\x30\x81\xc8", 3));
  EXPECT_EQ(der::header(0x30, 70000), std::string("\x30\x83\x01\x11\x70", 5));
  EXPECT_EQ(der::tlv_size(70000), 70005u);
  EXPECT_EQ(der::integer_from_hex("7F"), std::string("\x02\x01\x7f", 3));
  EXPECT_EQ(der::integer_from_hex("80"), std::string("\x02\x02\x00\x80", 4));  // stays positive
  EXPECT_EQ(der::integer_from_hex("00ABC"), std::string("\x02\x02\x0a\xbc", 4));
  EXPECT_EQ(der::integer(0), std::string("\x02\x01\x00", 3));
  EXPECT_EQ(der::integer(256), std::string("\x02\x02\x01\x00", 4));
}

TEST(Der, TimesMatchTheCalendar) {
  EXPECT_EQ(der::time(1709164800), std::string("\x17\x0d", 2) + "240229000000Z");   // leap day
  EXPECT_EQ(der::time(2524607999), std::string("\x17\x0d", 2) + "491231235959Z");   // last UTCTime second
  EXPECT_EQ(der::time(946684799), std::string("\x17\x0d", 2) + "991231235959Z");
  EXPECT_EQ(der::generalized_time(1767139200), std::string("\x18\x0f", 2) + "20251231000000Z");
  EXPECT_EQ(der::time(-631152001), std::string("\x18\x0f", 2) + "19491231235959Z");  // before 1950
}

TEST(Der, TimesSwitchToGeneralizedTimeIn2050) {
  EXPECT_EQ(der::time(0), std::string("\x17\x0d", 2) + "700101000000Z");
  EXPECT_EQ(der::time(2524608000), std::string("\x18\x0f", 2) + "20500101000000Z");
}

class CrlWriterTest : public ::testing::Test {
 protected:
  std::string openssl_text(const std::string& der) {
    const auto file = dir_.path() / "test.crl";
    std::ofstream(file, std::ios::binary) << der;
    const auto chain = dir_.path() / "chain.pem";
    std::ofstream(chain) << test_.instance().issuing_signer().certificate().pem();
    const auto verify =
        testing::run_command("openssl crl -inform DER -in " + file.string() + " -noout -CAfile " + chain.string());
    EXPECT_NE(verify.output.find("verify OK"), std::string::npos) << verify.output;
    return testing::run_command("openssl crl -inform DER -in " + file.string() + " -noout -text").output;
  }

  testing::TempDir dir_;
  testing::TestInstance test_;
};

TEST_F(CrlWriterTest, EmptyCrlHasNoRevokedListAndVerifies) {
  const auto now = std::chrono::system_clock::now();
  CrlWriter writer(test_.instance().issuing_signer(), 7, now, now + std::chrono::hours{24});
  const auto text = openssl_text(writer.finish());
  EXPECT_NE(text.find("No Revoked Certificates."), std::string::npos) << text;
  EXPECT_NE(text.find("X509v3 CRL Number: \n                7"), std::string::npos) << text;
}

TEST_F(CrlWriterTest, EntriesCarryReasonsAndInvalidityDates) {
  const auto now = std::chrono::system_clock::now();
  CrlWriter writer(test_.instance().issuing_signer(), 42, now, now + std::chrono::hours{24});
  writer.add({"4ABCDEF0123456789ABCDEF012345678", CertificateStatus::revoked, 1767225600, "keyCompromise", 1767139200, 0});
  writer.add({"FF00", CertificateStatus::revoked, 1767225600, "unspecified", 0, 0});
  writer.add({"01", CertificateStatus::superseded, 2556144000, "superseded", 0, 0});  // year 2051
  EXPECT_EQ(writer.entries(), 3u);
  const auto text = openssl_text(writer.finish());
  EXPECT_NE(text.find("Serial Number: 4ABCDEF0123456789ABCDEF012345678"), std::string::npos) << text;
  EXPECT_NE(text.find("Key Compromise"), std::string::npos) << text;
  EXPECT_NE(text.find("Invalidity Date: \n                Dec 31 00:00:00 2025 GMT"), std::string::npos) << text;
  EXPECT_NE(text.find("Serial Number: FF00"), std::string::npos) << text;
  EXPECT_NE(text.find("Superseded"), std::string::npos) << text;
  EXPECT_NE(text.find("2051 GMT"), std::string::npos) << text;
  EXPECT_NE(text.find("X509v3 Authority Key Identifier"), std::string::npos) << text;
}

}  // namespace
}  // namespace lontar::crypto
