// Registering a document signed on the holder's own computer: the signature is the
// credential, bound to one code, fresh, by a valid certificate of this CA.
#include "documents/registration.h"

#include <gtest/gtest.h>

#include "documents/signing.h"
#include "core/encoding.h"
#include "core/error.h"
#include "crypto/certificate.h"
#include "crypto/pades_cms.h"
#include "crypto/timestamp_authority.h"
#include "pdf/pdf_signer.h"
#include "support/fake_clock.h"
#include "support/pdf_fixture.h"
#include "support/test_instance.h"

namespace lontar {
namespace {

class DocumentRegistrationTest : public ::testing::Test {
 protected:
  testing::TestInstance test;
  Instance& instance = test.instance();
  crypto::PrivateKey key = crypto::PrivateKey::generate("ec-p256");
  CertificateRecord certificate = [this] {
    test.add_account("5108010101900001");
    return instance.issuance().issue_for_operator(
        {"5108010101900001", "individual-1y", testing::csr_for(key), "test"});
  }();

  // What lontar-lock sign makes: a PAdES signature naming the code's URL, timestamped
  // by this CA's TSA at the time `tsa_clock` gives.
  std::string signed_for(const std::string& code, const Clock& tsa_clock, const std::string& text = "Surat Tugas") {
    pdf::Stamp stamp;
    stamp.verification_url = document_url(instance, code);
    stamp.verification_code = display_code(code);
    stamp.signer_name = "Ni Luh Putu Ayu";
    pdf::SignatureFields fields;
    fields.reason = "test";
    fields.pdf_date = "D:20261126000000Z";
    fields.contact_info = stamp.verification_url;
    const crypto::TimestampAuthority tsa(instance.tsa_signer(), read_file(instance.dir().chain()),
                                         instance.config().timestamp_policy, instance.random(), tsa_clock);
    const auto issuing = read_file(instance.dir().certificate("issuing"));
    return pdf::sign_pdf(testing::letter_pdf(text), stamp, fields, [&](std::string_view bytes) {
      return crypto::make_pades_cms(key, crypto::Certificate::from_pem(certificate.pem), issuing, bytes,
                                    [&](std::string_view request) { return tsa.respond(request); });
    });
  }

  std::string refusal(const std::string& code, const std::string& pdf) {
    try {
      register_signed_document(instance, code, pdf);
    } catch (const Error& e) {
      return e.code();
    }
    return "registered";
  }
};

TEST_F(DocumentRegistrationTest, AFreshSignatureRegistersOnceUnderItsCode) {
  const auto code = new_document_code(instance.random());
  const auto pdf = signed_for(code, instance.clock());
  const auto first = register_signed_document(instance, code, pdf);
  EXPECT_TRUE(first.created);
  EXPECT_EQ(first.record.signer_serial, certificate.serial_hex);
  EXPECT_EQ(first.record.signer_name, "Ni Luh Putu Ayu");
  EXPECT_EQ(first.record.sha256, sha256_hex(pdf));
  EXPECT_FALSE(register_signed_document(instance, code, pdf).created);  // a retried call
}

TEST_F(DocumentRegistrationTest, ASignatureRegistersOnlyUnderTheCodeItNames) {
  const auto pdf = signed_for(new_document_code(instance.random()), instance.clock());
  EXPECT_EQ(refusal(new_document_code(instance.random()), pdf), "code_not_signed");
  EXPECT_EQ(refusal("not-a-code", pdf), "bad_document_code");
}

TEST_F(DocumentRegistrationTest, OnlyATimestampFromTheLastTenMinutesIsAccepted) {
  const auto code = new_document_code(instance.random());
  // Eleven minutes ago neither the TSA's nor the signer's certificate existed yet; five
  // minutes ahead is beyond any clock skew. Both read as "sign again".
  testing::FakeClock stale(instance.clock().now() - std::chrono::minutes(11));
  EXPECT_EQ(refusal(code, signed_for(code, stale)), "timestamp_stale");
  testing::FakeClock ahead(instance.clock().now() + std::chrono::minutes(5));
  EXPECT_EQ(refusal(code, signed_for(code, ahead)), "timestamp_stale");
  testing::FakeClock slightly_ahead(instance.clock().now() + std::chrono::seconds(60));
  EXPECT_EQ(refusal(code, signed_for(code, slightly_ahead)), "registered");
}

TEST_F(DocumentRegistrationTest, ATakenCodeKeepsItsDocument) {
  const auto code = new_document_code(instance.random());
  register_signed_document(instance, code, signed_for(code, instance.clock(), "Surat A"));
  EXPECT_EQ(refusal(code, signed_for(code, instance.clock(), "Surat B")), "document_code_taken");
}

TEST_F(DocumentRegistrationTest, UnsignedAndBrokenFilesAreRefused) {
  const auto code = new_document_code(instance.random());
  EXPECT_EQ(refusal(code, testing::letter_pdf()), "not_signed");
  EXPECT_EQ(refusal(code, "%PDF-1.7 nonsense"), "pdf_unsuitable");
  auto changed = signed_for(code, instance.clock());
  changed[changed.find("Surat Tugas")] = 's';
  EXPECT_EQ(refusal(code, changed), "document_changed");
}

}  // namespace
}  // namespace lontar
