#include <gtest/gtest.h>

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include "core/document_registry.h"
#include "core/error.h"
#include "documents/previews.h"
#include "documents/signing.h"
#include "pdf/page_previews.h"
#include "support/expect_error.h"
#include "support/pdf_fixture.h"
#include "support/test_instance.h"

namespace lontar {
namespace {

struct Signed {
  Account holder;
  SignedDocumentResult result;
};

Signed sign_letter(testing::TestInstance& test, int pages, SignDocumentCommand command = {}) {
  auto holder = test.add_account("5108010101900001", "Dr. I Made Rektor", "Rektorat");
  auto verifier = test.add_account("5108010101900002", "Kadek Verifikator", "UPT TIK", Role::verifier);
  auto& requests = test.instance().requests();
  const auto opened =
      requests.open(holder, {"individual-1y", Method::esign, testing::letter_pdf(), true, "Frasa-Rahasia-2026"});
  requests.approve(verifier, opened.request.id);
  command.pdf = testing::letter_pdf("Surat Keputusan", pages);
  return {holder, sign_with_esign(test.instance(), holder, "Frasa-Rahasia-2026", command)};
}

// The page's content streams, decoded, in order.
std::vector<std::string> page_contents(const std::string& pdf) {
  QPDF doc;
  doc.processMemoryFile("signed.pdf", pdf.data(), pdf.size());
  std::vector<std::string> out;
  for (auto& page : QPDFPageDocumentHelper(doc).getAllPages()) {
    std::string all;
    auto contents = page.getObjectHandle().getKey("/Contents");
    for (auto& stream : contents.isArray() ? contents.getArrayAsVector() : std::vector{contents}) {
      const auto data = stream.getStreamData();
      all.append(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
      all += '\n';
    }
    out.push_back(all);
  }
  return out;
}

TEST(PaperProof, EveryPageCarriesTheFooterWithItsNumberAndTheCode) {
  testing::TestInstance test;
  const auto signed_doc = sign_letter(test, 3).result;
  const auto pages = page_contents(signed_doc.pdf);
  ASSERT_EQ(pages.size(), 3u);
  for (std::size_t i = 0; i < pages.size(); ++i) {
    EXPECT_NE(pages[i].find("Dokumen ini telah ditandatangani secara elektronik"), std::string::npos);
    EXPECT_NE(pages[i].find("Halaman " + std::to_string(i + 1) + " dari 3"), std::string::npos);
    EXPECT_NE(pages[i].find(display_code(signed_doc.record.id)), std::string::npos);
    EXPECT_NE(pages[i].find("UU ITE No. 11 Tahun 2008 Pasal 5 ayat 1"), std::string::npos);
    // The page's own drawing is wrapped, so its state cannot move or hide the footer.
    EXPECT_EQ(pages[i].rfind("q\n", 0), 0u);
  }
  EXPECT_EQ(signed_doc.record.pages, 3);
}

TEST(PaperProof, ALaterSignatureAddsNoFooter) {
  testing::TestInstance test;
  auto first = sign_letter(test, 2);
  SignDocumentCommand again;
  again.pdf = first.result.pdf;
  const auto second = sign_with_esign(test.instance(), first.holder, "Frasa-Rahasia-2026", again);
  const auto pages = page_contents(second.pdf);
  for (const auto& page : pages) {
    EXPECT_NE(page.find(display_code(first.result.record.id)), std::string::npos);
    EXPECT_EQ(page.find(display_code(second.record.id)), std::string::npos) << "content changed after a signature";
  }
}

TEST(PaperProof, TitleAndVisibilityAreKept) {
  testing::TestInstance test;
  SignDocumentCommand command;
  command.title = "  SK Rektor\n7/2026 ";
  command.file_name = "ignored.pdf";
  command.visibility = DocumentVisibility::summary;
  const auto signed_doc = sign_letter(test, 1, command).result;
  const auto found = test.instance().documents().find(signed_doc.record.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->document.title, "SK Rektor 7/2026");
  EXPECT_EQ(found->document.visibility, DocumentVisibility::summary);
  EXPECT_EQ(found->document.previews, 0);
}

TEST(PaperProof, PreviewsAreRenderedOncePerPageAndKept) {
  testing::TestInstance test;
  const auto signed_doc = sign_letter(test, 2).result;
  EXPECT_EQ(render_awaiting_previews(test.instance(), 4), 1);
  EXPECT_EQ(render_awaiting_previews(test.instance(), 4), 0);  // nothing left to do
  const auto found = test.instance().documents().find(signed_doc.record.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->document.previews, 2);
  for (int page = 1; page <= 2; ++page) {
    const auto png = test.instance().document_files().get_preview(signed_doc.record.sha256, page);
    ASSERT_TRUE(png);
    EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  }
  EXPECT_FALSE(test.instance().document_files().get_preview(signed_doc.record.sha256, 3));
}

TEST(PaperProof, PreviewSizeAndPageLimitAreHonoured) {
  const auto pdf = testing::letter_pdf("Lampiran", 5);
  std::vector<std::string> pngs;
  const int rendered = pdf::render_page_previews(pdf, {300, 2}, [&](int page, std::string png) {
    EXPECT_EQ(page, static_cast<int>(pngs.size()) + 1);
    pngs.push_back(std::move(png));
  });
  EXPECT_EQ(rendered, 2);
  ASSERT_EQ(pngs.size(), 2u);
  // The PNG's IHDR: width at bytes 16..19, big-endian.
  const auto& png = pngs.front();
  const auto width = (static_cast<unsigned char>(png[16]) << 24) | (static_cast<unsigned char>(png[17]) << 16) |
                     (static_cast<unsigned char>(png[18]) << 8) | static_cast<unsigned char>(png[19]);
  EXPECT_EQ(width, 300u);
}

TEST(PaperProof, GarbageCannotBePreviewed) {
  const auto refused = testing::thrown_by([] {
    pdf::render_page_previews("%PDF-1.7\nnot really", {800, 50}, [](int, std::string) {});
  });
  EXPECT_EQ(refused.kind(), ErrorKind::invalid_input);
}

TEST(PaperProof, ADocumentWhoseFileIsGoneIsMarkedAndNotRetried) {
  testing::TestInstance test;
  const auto signed_doc = sign_letter(test, 1).result;
  std::filesystem::remove_all(test.data() / "documents");
  EXPECT_EQ(render_awaiting_previews(test.instance(), 4), 1);
  EXPECT_EQ(test.instance().documents().find(signed_doc.record.id)->document.previews, kPreviewsFailed);
  EXPECT_EQ(render_awaiting_previews(test.instance(), 4), 0);
}

TEST(PaperProof, OnlyTheSignerOrAnAdministratorWithdrawsWithAReasonOnce) {
  testing::TestInstance test;
  auto signed_doc = sign_letter(test, 1);
  const auto& code = signed_doc.result.record.id;
  auto registry = test.instance().documents();
  const auto other = test.add_account("5108010101900003", "Kadek Lain");
  const auto admin = test.add_account("5108010101900004", "Wayan Admin", "UPT TIK", Role::admin);
  EXPECT_EQ(testing::thrown_by([&] { registry.withdraw(code, other, "bukan milik saya", 100); }).kind(),
            ErrorKind::forbidden);
  EXPECT_EQ(testing::thrown_by([&] { registry.withdraw(code, signed_doc.holder, " \n ", 100); }).code(),
            "withdrawal_reason_required");
  EXPECT_EQ(testing::thrown_by([&] { registry.withdraw(code, signed_doc.holder, std::string(201, 'x'), 100); }).code(),
            "withdrawal_reason_too_long");
  EXPECT_EQ(testing::thrown_by([&] { registry.withdraw("ABCDEFGHJKMNPQRSTVWX", admin, "x", 100); }).kind(),
            ErrorKind::not_found);
  const auto withdrawn = registry.withdraw(code, signed_doc.holder, "Salah nomor", 1700000000);
  EXPECT_EQ(withdrawn.withdrawn_reason, "Salah nomor");
  EXPECT_EQ(testing::thrown_by([&] { registry.withdraw(code, admin, "lagi", 100); }).kind(), ErrorKind::conflict);
  const auto found = registry.find(code);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->document.withdrawn_at, 1700000000);
  EXPECT_EQ(found->document.withdrawn_by, "nik:5108010101900001");
}

}  // namespace
}  // namespace lontar
