// What may follow a signed revision: only long-term validation data (a /DSS) keeps
// the signed document as it was; any other change, or stray bytes, does not.
#include <gtest/gtest.h>

#include "pdf/dss_writer.h"
#include "pdf/pdf_signatures.h"
#include "support/pdf_fixture.h"

namespace lontar::pdf {
namespace {

// One hand-written incremental update redefining or adding object `number`.
std::string with_update(const std::string& pdf, int number, const std::string& body, int size) {
  const auto prev = pdf.substr(pdf.rfind("startxref") + 10);
  std::string out = pdf;
  const auto at = out.size();
  out += std::to_string(number) + " 0 obj\n" + body + "\nendobj\n";
  const auto xref = out.size();
  char line[21];
  std::snprintf(line, sizeof line, "%010zu 00000 n \n", at);
  out += "xref\n" + std::to_string(number) + " 1\n" + line + "trailer\n<< /Size " + std::to_string(size) +
         " /Root 1 0 R /Prev " + std::to_string(std::stoll(prev)) + " >>\nstartxref\n" + std::to_string(xref) +
         "\n%%EOF\n";
  return out;
}

class RevisionsTest : public ::testing::Test {
 protected:
  std::string signed_revision = lontar::testing::letter_pdf("Surat Keputusan", 2);
  std::int64_t signed_size() const { return static_cast<std::int64_t>(signed_revision.size()); }
};

TEST_F(RevisionsTest, ValidationDataKeepsTheSignedRevision) {
  ValidationData data{{"certificate-bytes"}, {"ocsp-bytes"}, {"crl-bytes"}};
  const auto with_dss = add_validation_data(signed_revision, data);
  EXPECT_EQ(with_dss.substr(0, signed_revision.size()), signed_revision);
  EXPECT_NE(with_dss.find("/DSS"), std::string::npos);
  EXPECT_TRUE(only_validation_data_added(with_dss, signed_size()));
  // A second store merges with the first and stays acceptable.
  const auto twice = add_validation_data(with_dss, ValidationData{{"certificate-bytes", "other"}, {}, {}});
  EXPECT_TRUE(only_validation_data_added(twice, signed_size()));
  EXPECT_EQ(twice.substr(with_dss.size()).find("certificate-bytes"), std::string::npos) << "stored twice";
}

TEST_F(RevisionsTest, ChangedPageContentIsNotValidationData) {
  const std::string content = "BT /F1 18 Tf 72 770 Td (Forged) Tj ET";
  const auto forged = with_update(signed_revision, 5,
                                  "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content +
                                      "\nendstream",
                                  8);
  EXPECT_FALSE(only_validation_data_added(forged, signed_size()));
}

TEST_F(RevisionsTest, CatalogChangesBesidesTheStoreAreRefused) {
  const auto scripted = with_update(signed_revision, 1,
                                    "<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (x) >> >>", 8);
  EXPECT_FALSE(only_validation_data_added(scripted, signed_size()));
  const auto store_only = with_update(signed_revision, 1, "<< /Type /Catalog /Pages 2 0 R /DSS << >> >>", 8);
  EXPECT_TRUE(only_validation_data_added(store_only, signed_size()));
}

TEST_F(RevisionsTest, StrayBytesAndImpossibleRangesAreRefused) {
  EXPECT_FALSE(only_validation_data_added(signed_revision + "appended after signing", signed_size()));
  EXPECT_FALSE(only_validation_data_added(signed_revision, signed_size() + 1));
  EXPECT_FALSE(only_validation_data_added(signed_revision, 0));
}

// A changed dictionary (not a stream) is a change too: a page that gains an
// annotation after signing, or whose resources swap a font.
TEST_F(RevisionsTest, ChangedDictionariesAreNotValidationData) {
  const auto page = with_update(signed_revision, 3,
                                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [<< /Type /Annot "
                                "/Subtype /FreeText /Rect [0 0 100 100] /Contents (Batal) >>] >>",
                                8);
  EXPECT_FALSE(only_validation_data_added(page, signed_size()));
}

}  // namespace
}  // namespace lontar::pdf
