#include "pdf/letter_inspector.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "support/pdf_fixture.h"
#include "support/temp_dir.h"
#include "instance/data_dir.h"
#include "support/test_instance.h"

namespace lontar {
namespace {

std::string refusal(const std::string& data) {
  try {
    pdf::QpdfLetterInspector().check(data);
    return "accepted";
  } catch (const Error& e) {
    return e.code();
  }
}

TEST(LetterInspector, AcceptsAWellFormedPdfThatQpdfAlsoAccepts) {
  const auto pdf = testing::letter_pdf("Surat", 3);
  EXPECT_EQ(refusal(pdf), "accepted");
  testing::TempDir dir;
  const auto file = dir.path() / "letter.pdf";
  write_file(file, pdf, false);
  const auto check = testing::run_command("qpdf --check " + testing::shell_quote(file.string()));
  EXPECT_EQ(check.status, 0) << check.output;
}

TEST(LetterInspector, RefusesWhatIsNotAReadablePdf) {
  EXPECT_EQ(refusal(""), "letter_not_pdf");
  EXPECT_EQ(refusal("<html><script>alert(1)</script></html>"), "letter_not_pdf");
  EXPECT_EQ(refusal("%PDF-1.7\n1 0 obj << >> endobj\n"), "letter_not_pdf");
  auto truncated = testing::letter_pdf();
  truncated.resize(truncated.size() / 2);
  EXPECT_EQ(refusal(truncated), "letter_not_pdf");
  std::string random(4096, '\0');
  for (std::size_t i = 0; i < random.size(); ++i) random[i] = static_cast<char>((i * 131 + 7) & 0xff);
  EXPECT_EQ(refusal("%PDF-1.4\n" + random), "letter_not_pdf");
}

TEST(LetterInspector, RefusesAnEncryptedPdf) {
  testing::TempDir dir;
  const auto plain = dir.path() / "plain.pdf";
  const auto locked = dir.path() / "locked.pdf";
  write_file(plain, testing::letter_pdf(), false);
  const auto made = testing::run_command("qpdf --encrypt user owner 256 -- " + testing::shell_quote(plain.string()) +
                                         " " + testing::shell_quote(locked.string()));
  ASSERT_EQ(made.status, 0) << made.output;
  EXPECT_EQ(refusal(read_file(locked)), "letter_not_pdf");
}

// Letters are PDFs a verifier opens: active content is refused wherever it hides, and
// a letter that would make the server inflate gigabytes is refused by its limit.
TEST(LetterInspector, RefusesActiveContentAnywhere) {
  const auto letter = testing::letter_pdf();
  // Same length replacements keep the cross-reference offsets right.
  auto scripted = letter;
  const auto catalog = scripted.find("/Type /Catalog");
  ASSERT_NE(catalog, std::string::npos);
  scripted.replace(catalog, 14, "/AA<</O<</S/JavaScript/JS(x)>>>>/Type/Catalog");
  // The longer catalog moves later objects; let qpdf repair the table.
  testing::TempDir dir;
  write_file(dir.path() / "s.pdf", scripted, false);
  ASSERT_EQ(testing::run_command("qpdf " + testing::shell_quote((dir.path() / "s.pdf").string()) + " " +
                                 testing::shell_quote((dir.path() / "fixed.pdf").string()) + " 2>/dev/null || true")
                .status,
            0);
  EXPECT_EQ(refusal(read_file(dir.path() / "fixed.pdf")), "letter_scripted");
}

TEST(LetterInspector, RefusesAnObjectStreamBombByItsLimit) {
  // Object 2 lives in object stream 1, which inflates (twice deflated) far past the
  // per-stream limit; the inspector must stop at the limit, not inflate it.
  testing::TempDir dir;
  const auto pdf = dir.path() / "p.pdf";
  write_file(pdf, testing::letter_pdf(), false);
  const auto packed = dir.path() / "packed.pdf";
  ASSERT_EQ(testing::run_command("qpdf --object-streams=generate " + testing::shell_quote(pdf.string()) + " " +
                                 testing::shell_quote(packed.string()))
                .status,
            0);
  DocumentLimits tight;
  tight.max_stream_bytes = 64;  // smaller than the object stream itself
  try {
    pdf::QpdfLetterInspector(tight).check(read_file(packed));
    ADD_FAILURE() << "accepted past its limit";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "pdf_limit_stream_bytes");
    EXPECT_EQ(e.kind(), ErrorKind::policy);
  }
  EXPECT_NO_THROW(pdf::QpdfLetterInspector().check(read_file(packed)));
}

}  // namespace
}  // namespace lontar
