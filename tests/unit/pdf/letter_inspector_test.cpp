#include "pdf/letter_inspector.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "support/pdf_fixture.h"
#include "support/temp_dir.h"
#include "app/data_dir.h"
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

}  // namespace
}  // namespace lontar
