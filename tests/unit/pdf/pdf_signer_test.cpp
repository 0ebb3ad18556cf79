// The signature update's own bytes: names beyond ASCII, where the stamp goes, and an
// invisible signature. (Validity is proven by pdfsig and qpdf in the black-box tests.)
#include "pdf/pdf_signer.h"

#include <gtest/gtest.h>

#include <sstream>
#include <vector>

#include "support/pdf_fixture.h"

namespace lontar::pdf {
namespace {

std::string signed_with(Stamp stamp) {
  stamp.verification_url = "http://127.0.0.1:8080/v/0123456789ABCDEFGHJK";
  stamp.verification_code = "01234-56789-ABCDE-FGHJK";
  SignatureFields fields;
  fields.signer_name = stamp.signer_name;
  fields.reason = "Menyetujui";
  fields.pdf_date = "D:20261126000000Z";
  fields.contents_bytes = 64;
  return sign_pdf(lontar::testing::letter_pdf(), stamp, fields, [](std::string_view) { return std::string("cms"); });
}

// The /Rect of the new widget: x1 y1 x2 y2.
std::vector<double> widget_rect(const std::string& pdf) {
  const auto at = pdf.find("/Rect [", pdf.find("/Subtype /Widget"));
  std::istringstream in(pdf.substr(at + 7));
  std::vector<double> rect(4);
  for (auto& v : rect) in >> v;
  return rect;
}

TEST(PdfSignerTest, LatinLettersInNamesAreKeptAndTheRestIsReplaced) {
  Stamp stamp;
  stamp.signer_name = "Désirée (Ñuñez) 王";
  stamp.signer_unit = "Fakultas Ekonomi";
  const auto pdf = signed_with(stamp);
  EXPECT_NE(pdf.find("(D\\351sir\\351e \\(\\321u\\361ez\\) ?)"), std::string::npos) << "stamp text and /Name";
  EXPECT_NE(pdf.find("/Name (D\\351sir\\351e"), std::string::npos);
}

TEST(PdfSignerTest, TheStampGoesToTheChosenCorner) {
  Stamp stamp;
  stamp.signer_name = "Ni Luh Putu Ayu";
  stamp.position = StampPosition::bottom_left;
  const auto bottom_left = widget_rect(signed_with(stamp));
  EXPECT_DOUBLE_EQ(bottom_left[0], 36);
  EXPECT_DOUBLE_EQ(bottom_left[1], 36);
  stamp.position = StampPosition::top_right;
  const auto top_right = widget_rect(signed_with(stamp));  // the fixture's pages are A4, 595 × 842
  EXPECT_DOUBLE_EQ(top_right[2], 595 - 36);
  EXPECT_DOUBLE_EQ(top_right[3], 842 - 36);
}

TEST(PdfSignerTest, AnInvisibleSignatureHasNoBoxAndNoAppearance) {
  Stamp stamp;
  stamp.signer_name = "Ni Luh Putu Ayu";
  stamp.visible = false;
  const auto pdf = signed_with(stamp);
  EXPECT_NE(pdf.find("/Rect [0 0 0 0]"), std::string::npos);
  EXPECT_EQ(pdf.find("/AP <<"), std::string::npos);
  EXPECT_EQ(pdf.find("Ditandatangani secara elektronik"), std::string::npos);
}

}  // namespace
}  // namespace lontar::pdf
