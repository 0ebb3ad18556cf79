#include <gtest/gtest.h>

#include "core/document.h"
#include "core/document_registry.h"
#include "core/utf8.h"

namespace lontar {
namespace {

TEST(DocumentTitle, ControlCharactersGoAndSpacesCollapse) {
  EXPECT_EQ(clean_document_title("  SK\tRektor\n\n No. 7 \x01"), "SK Rektor No. 7");
  EXPECT_EQ(clean_document_title("\r\n \t"), "");
}

TEST(DocumentTitle, IsCutAt200BytesWithoutSplittingACharacter) {
  std::string long_title(199, 'a');
  long_title += "\xC3\xA9tude";  // é straddles the limit: it goes whole
  const auto cleaned = clean_document_title(long_title);
  EXPECT_EQ(cleaned, std::string(199, 'a'));
  EXPECT_EQ(clean_document_title(std::string(500, 'b')).size(), 200u);
}

TEST(DocumentTitle, StrayContinuationBytesCannotPassTheLimit) {
  // Malformed UTF-8 from a form: continuation bytes with no character to belong to.
  const auto cleaned = clean_document_title(std::string(199, 'a') + std::string(10000, '\x80'));
  EXPECT_EQ(cleaned, std::string(199, 'a'));
  EXPECT_EQ(clean_document_title(std::string(300, '\xBF')), "");
  EXPECT_EQ(clean_document_title("ab\xC3"), "ab");  // a character cut short at the end goes
}

// A file name or title that is not UTF-8 loses the bytes that are not text, so the title
// stored is one every engine keeps (PostgreSQL refuses malformed UTF-8 outright).
TEST(DocumentTitle, BytesThatAreNotTextAreDropped) {
  const auto cleaned = clean_document_title("SK \xFF\xC0\xAF Rektor \xED\xA0\x80ok \xF4\x90\x80\x80\xE2\x82");
  EXPECT_EQ(cleaned, "SK Rektor ok");
  EXPECT_TRUE(is_storable_text(cleaned));
  EXPECT_EQ(clean_document_title("Jos\xC3\xA9 \xF0\x9F\x98\x80"), "Jos\xC3\xA9 \xF0\x9F\x98\x80") << "whole characters stay";
  EXPECT_EQ(choose_document_title("", "", "uploads/\xFF\xFE.pdf"), ".pdf");
}

TEST(DocumentTitle, EnteredThenPdfTitleThenFileName) {
  EXPECT_EQ(choose_document_title("SK 7", "Untitled", "sk.pdf"), "SK 7");
  EXPECT_EQ(choose_document_title("  ", "Surat Tugas", "sk.pdf"), "Surat Tugas");
  EXPECT_EQ(choose_document_title("", "", "C:\\Users\\x\\surat tugas.pdf"), "surat tugas.pdf");
  EXPECT_EQ(choose_document_title("", "", "../../etc/passwd"), "passwd");
}

TEST(DocumentCode, TypedFromPaperIsNormalised) {
  EXPECT_EQ(normalise_document_code("abcde-fghjk-mnpqr-stvwx"), "ABCDEFGHJKMNPQRSTVWX");
  EXPECT_EQ(normalise_document_code("O1IL0 ooooo iiiii lllll"), "01110000001111111111");
  EXPECT_TRUE(is_document_code(normalise_document_code("o1il0-ooooo-iiiii-lllll")));
  EXPECT_FALSE(is_document_code(normalise_document_code("ABCDE-FGHJK-MNPQR-STVWU")));  // U is not Crockford
  EXPECT_LE(normalise_document_code(std::string(10000, 'A')).size(), 65u);
}

TEST(DocumentVisibility, ParsesOnlyItsTwoWords) {
  EXPECT_EQ(parse_document_visibility("full"), DocumentVisibility::full);
  EXPECT_EQ(parse_document_visibility("summary"), DocumentVisibility::summary);
  EXPECT_FALSE(parse_document_visibility("Full"));
  EXPECT_FALSE(parse_document_visibility(""));
}

RegisteredDocument document_of(std::int64_t signer_account, DocumentVisibility visibility, int pages = 3) {
  RegisteredDocument registered;
  registered.document.id = "ABCDEFGHJKMNPQRSTVWX";
  registered.document.pages = pages;
  registered.document.visibility = visibility;
  CertificateRecord certificate;
  certificate.account_id = signer_account;
  registered.signer_certificate = certificate;
  return registered;
}

Account account(std::int64_t id, Role role = Role::applicant) {
  Account a;
  a.id = id;
  a.role = role;
  return a;
}

TEST(DocumentView, FullShowsEveryPageAndTheFileToAnyone) {
  const auto view = view_of(document_of(7, DocumentVisibility::full), std::nullopt);
  EXPECT_EQ(view.pages_shown, 3);
  EXPECT_TRUE(view.download);
  EXPECT_FALSE(view.may_withdraw);
}

TEST(DocumentView, SummaryShowsStrangersTheFirstPageOnly) {
  const auto document = document_of(7, DocumentVisibility::summary);
  for (const auto& stranger : {std::optional<Account>(), std::optional(account(8))}) {
    const auto view = view_of(document, stranger);
    EXPECT_EQ(view.pages_shown, 1);
    EXPECT_FALSE(view.download);
    EXPECT_FALSE(view.may_withdraw);
  }
  const auto signer = view_of(document, account(7));
  EXPECT_EQ(signer.pages_shown, 3);
  EXPECT_TRUE(signer.download);
  EXPECT_TRUE(signer.is_signer);
  EXPECT_TRUE(signer.may_withdraw);
  for (const auto role : {Role::verifier, Role::helpdesk, Role::admin, Role::auditor}) {
    const auto staff = view_of(document, account(9, role));
    EXPECT_EQ(staff.pages_shown, 3) << to_string(role);
    EXPECT_TRUE(staff.download) << to_string(role);
    EXPECT_EQ(staff.may_withdraw, role == Role::admin) << to_string(role);
  }
}

TEST(DocumentView, ASummaryOfNoPagesShowsNone) {
  EXPECT_EQ(view_of(document_of(7, DocumentVisibility::summary, 0), std::nullopt).pages_shown, 0);
}

TEST(DocumentView, WithdrawnShowsNothingToAnyone) {
  auto document = document_of(7, DocumentVisibility::full);
  document.document.withdrawn_at = 1700000000;
  for (const auto& viewer : {std::optional<Account>(), std::optional(account(7)), std::optional(account(9, Role::admin))}) {
    const auto view = view_of(document, viewer);
    EXPECT_TRUE(view.withdrawn);
    EXPECT_EQ(view.pages_shown, 0);
    EXPECT_FALSE(view.download);
    EXPECT_FALSE(view.may_withdraw);
  }
}

}  // namespace
}  // namespace lontar
