// The signature value of a PAdES signature (make_pades_cms), its timestamp from our TSA
// (TimestampAuthority), and the check every verification path uses
// (check_detached_signature) — each judged by openssl as well as by our own check.
#include <gtest/gtest.h>

#include <array>

#include "core/random.h"
#include "crypto/pades_cms.h"
#include "crypto/signature_check.h"
#include "crypto/timestamp_authority.h"
#include "support/holder_certificate.h"
#include "support/temp_dir.h"

namespace lontar::crypto {
namespace {

using testing::run_command;
using testing::shell_quote;

class TimestampedSignatureTest : public ::testing::Test {
 protected:
  std::string path(const std::string& name, const std::string& content) {
    const auto file = dir_.path() / name;
    write_file(file, content, false);
    return shell_quote(file.string());
  }
  std::string sign(std::string_view bytes) {
    return make_pades_cms(holder_.key, holder_.certificate, issuing_, bytes,
                          [this](std::string_view request) { return tsa_.respond(request); });
  }
  SignatureCheck check(std::string_view cms, std::string_view bytes) {
    const std::array<std::string_view, 1> parts{bytes};
    return check_detached_signature(cms, parts, root_, issuing_);
  }

  testing::TestInstance test_;
  testing::TempDir dir_;
  testing::Holder holder_ = testing::issue_holder(test_);
  SystemRandom random_;
  const std::string chain_ = read_file(test_.instance().dir().chain());
  const std::string root_ = read_file(test_.instance().dir().certificate("root"));
  const std::string issuing_ = read_file(test_.instance().dir().certificate("issuing"));
  TimestampAuthority tsa_{test_.instance().tsa_signer(), chain_, "2.999.1.9", random_, test_.instance().clock()};
};

TEST_F(TimestampedSignatureTest, OpensslVerifiesOurTimestampAgainstItsOwnQuery) {
  const auto data = path("data.bin", "the bytes a signature covers");
  const auto query = dir_.path() / "request.tsq";
  ASSERT_EQ(run_command("openssl ts -query -data " + data + " -sha256 -cert -out " + shell_quote(query.string())).status, 0);
  const auto reply = path("reply.tsr", tsa_.respond(read_file(query)));
  const auto verified = run_command("openssl ts -verify -in " + reply + " -queryfile " + shell_quote(query.string()) +
                                    " -CAfile " + path("chain.pem", chain_));
  EXPECT_EQ(verified.status, 0) << verified.output;
  EXPECT_NE(verified.output.find("Verification: OK"), std::string::npos) << verified.output;
  const auto text = run_command("openssl ts -reply -in " + reply + " -text").output;
  EXPECT_NE(text.find("Policy OID: 2.999.1.9"), std::string::npos) << text;
}

TEST_F(TimestampedSignatureTest, GarbageQueriesAreRejectedNotCrashed) {
  for (const std::string& garbage : {std::string(), std::string("\x30\x00", 2), std::string(4096, '\x30')}) {
    const auto text = run_command("openssl ts -reply -in " + path("bad.tsr", tsa_.respond(garbage)) + " -text").output;
    EXPECT_NE(text.find("Status: Rejected"), std::string::npos) << text;
  }
}

TEST_F(TimestampedSignatureTest, ASignatureIsIntactTrustedAndTimestampedAndOpensslAgrees) {
  const std::string bytes = "%PDF-1.7 the signed byte range of a letter";
  const auto cms = sign(bytes);
  const auto result = check(cms, bytes);
  EXPECT_TRUE(result.intact) << result.problem;
  EXPECT_TRUE(result.trusted) << result.problem;
  EXPECT_FALSE(result.refused);
  ASSERT_TRUE(result.timestamp);
  EXPECT_LE(std::chrono::abs(*result.timestamp - std::chrono::system_clock::now()), std::chrono::minutes(1));
  EXPECT_EQ(result.signer_serial, holder_.certificate.serial_hex());
  const auto verified = run_command("openssl cms -verify -binary -inform DER -in " + path("sig.p7s", cms) +
                                    " -content " + path("content.bin", bytes) + " -CAfile " +
                                    path("chain.pem", chain_) + " -purpose any -out /dev/null");
  EXPECT_EQ(verified.status, 0) << verified.output;
}

TEST_F(TimestampedSignatureTest, OneChangedByteOrAnotherAnchorIsCaught) {
  const std::string bytes = "%PDF-1.7 the signed byte range of a letter";
  const auto cms = sign(bytes);
  auto changed = bytes;
  changed[5] ^= 1;
  EXPECT_FALSE(check(cms, changed).intact);
  EXPECT_FALSE(signature_intact(cms, std::array<std::string_view, 1>{changed}));
  EXPECT_TRUE(signature_intact(cms, std::array<std::string_view, 2>{std::string_view(bytes).substr(0, 9),
                                                                    std::string_view(bytes).substr(9)}));
  // Trusted only under this CA's root: the holder's own certificate as an anchor is not a CA.
  const std::array<std::string_view, 1> parts{bytes};
  EXPECT_FALSE(check_detached_signature(cms, parts, holder_.certificate.pem(), "").trusted);
  // A truncated or padded value is refused, never half-read.
  EXPECT_FALSE(check(cms.substr(0, cms.size() / 2), bytes).intact);
  EXPECT_TRUE(check(cms + std::string("\x01", 1), bytes).refused);
}

}  // namespace
}  // namespace lontar::crypto
