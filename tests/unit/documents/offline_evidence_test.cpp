// A signature judged offline with only the evidence a B-LT document carries
// (validation_data_for builds it as signing does; check_offline judges it).
#include <gtest/gtest.h>

#include <array>

#include "core/random.h"
#include "crypto/offline_check.h"
#include "crypto/pades_cms.h"
#include "crypto/signature_check.h"
#include "crypto/timestamp_authority.h"
#include "documents/signing.h"
#include "support/holder_certificate.h"

namespace lontar {
namespace {

class OfflineEvidenceTest : public ::testing::Test {
 protected:
  crypto::OfflineCheck judge(const ValidationData& embedded) {
    const std::array<std::string_view, 1> parts{bytes_};
    const auto check = crypto::check_detached_signature(cms_, parts, root_, crypto::embedded_certificates_pem(embedded));
    crypto::EmbeddedEvidence evidence(root_, embedded);
    return crypto::check_offline(check, cms_, evidence);
  }

  testing::TestInstance test_;
  testing::Holder holder_ = testing::issue_holder(test_);
  SystemRandom random_;
  const std::string root_ = read_file(test_.instance().dir().certificate("root"));
  const std::string bytes_ = "%PDF-1.7 the signed byte range";
  const crypto::TimestampAuthority tsa_{test_.instance().tsa_signer(), read_file(test_.instance().dir().chain()),
                                        "2.999.1.9", random_, test_.instance().clock()};
  const std::string cms_ = crypto::make_pades_cms(
      holder_.key, holder_.certificate, read_file(test_.instance().dir().certificate("issuing")), bytes_,
      [this](std::string_view request) { return tsa_.respond(request); });
};

TEST_F(OfflineEvidenceTest, TheEmbeddedEvidenceAloneVouchesForTheSignerTheTsaAndTheIssuer) {
  const auto embedded = validation_data_for(test_.instance(), cms_);
  EXPECT_FALSE(embedded.certificates.empty());
  EXPECT_FALSE(embedded.ocsp_responses.empty());
  EXPECT_FALSE(embedded.crls.empty());
  const auto result = judge(embedded);
  EXPECT_TRUE(result.intact);
  EXPECT_TRUE(result.timestamp);
  EXPECT_TRUE(result.chain_valid);
  EXPECT_EQ(result.signer_status, "good");
  EXPECT_EQ(result.timestamp_authority_status, "good");
  EXPECT_EQ(result.issuer_status, "good");
  EXPECT_TRUE(result.valid());
}

TEST_F(OfflineEvidenceTest, WithoutAnswersOrWithAnotherDocumentsTheSignatureIsNotVouchedFor) {
  auto embedded = validation_data_for(test_.instance(), cms_);
  auto without_answers = embedded;
  without_answers.ocsp_responses.clear();
  const auto bare = judge(without_answers);
  EXPECT_EQ(bare.signer_status, "no data");
  EXPECT_FALSE(bare.valid());
  auto without_crl = embedded;
  without_crl.crls.clear();
  EXPECT_NE(judge(without_crl).issuer_status, "good");
  EXPECT_FALSE(judge(without_crl).valid());
  // Answers about someone else's certificate say nothing about this signer.
  auto other = testing::issue_holder(test_, "5108010101900009");
  const auto other_cms = crypto::make_pades_cms(other.key, other.certificate,
                                                read_file(test_.instance().dir().certificate("issuing")), bytes_,
                                                [this](std::string_view request) { return tsa_.respond(request); });
  auto foreign = embedded;
  foreign.ocsp_responses = validation_data_for(test_.instance(), other_cms).ocsp_responses;
  std::erase_if(foreign.ocsp_responses, [&](const std::string& answer) {
    return std::find(embedded.ocsp_responses.begin(), embedded.ocsp_responses.end(), answer) !=
           embedded.ocsp_responses.end();
  });
  EXPECT_NE(judge(foreign).signer_status, "good");
  EXPECT_FALSE(judge(foreign).valid());
}

}  // namespace
}  // namespace lontar
