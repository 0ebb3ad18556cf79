#include <gtest/gtest.h>

#include "support/expect_error.h"

#include "documents/signing.h"
#include "core/error.h"
#include "support/pdf_fixture.h"
#include "support/test_instance.h"

namespace lontar {
namespace {

// The unit's seal, approved by two verifiers, signs with the holder's passphrase; the
// holder's individual certificate is a separate choice.
TEST(EsignSigning, TheSealSignsOnlyWhenAskedForAndWithThePassphrase) {
  testing::TestInstance test;
  auto holder = test.add_account("5108010101900001", "Operator Segel", "UPT TIK");
  auto first = test.add_account("5108010101900002", "Verifikator Satu", "UPT TIK", Role::verifier);
  auto second = test.add_account("5108010101900003", "Verifikator Dua", "UPT TIK", Role::verifier);
  auto& requests = test.instance().requests();
  const auto opened =
      requests.open(holder, {"seal-1y", Method::esign, testing::letter_pdf(), true, "Frasa-Segel-Unit-2026"});
  requests.approve(first, opened.request.id);
  ASSERT_EQ(requests.approve(second, opened.request.id).state, RequestState::issued);

  SignDocumentCommand command;
  command.pdf = testing::letter_pdf("Surat Keputusan", 2);
  const auto no_certificate = testing::thrown_by([&] {
    sign_with_esign(test.instance(), holder, "Frasa-Segel-Unit-2026", command, CertificateType::individual);
  });
  EXPECT_EQ(no_certificate.code(), "no_esign_certificate");
  const auto wrong_passphrase = testing::thrown_by([&] {
    sign_with_esign(test.instance(), holder, "Frasa-Salah-2026", command, CertificateType::seal);
  });
  EXPECT_EQ(wrong_passphrase.code(), "wrong_passphrase");
  const auto signed_doc =
      sign_with_esign(test.instance(), holder, "Frasa-Segel-Unit-2026", command, CertificateType::seal);
  EXPECT_EQ(signed_doc.record.signer_name, "UPT TIK");  // a seal is named after the unit
  EXPECT_EQ(signed_doc.record.signer_serial, requests.for_owner(holder, opened.request.id).certificate_serial);
  EXPECT_NE(signed_doc.pdf.find("/ETSI.CAdES.detached"), std::string::npos);
}

}  // namespace
}  // namespace lontar
