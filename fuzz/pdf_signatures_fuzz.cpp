// Untrusted input: a PDF anyone uploads to the public verification pages or registers
// for a LOCK signature. Reading its signatures, checking them and judging what follows
// the last one may refuse the file (Error(invalid_input)) but never crash.
#include <cstdio>
#include <cstdlib>

#include "core/error.h"
#include "crypto/signature_check.h"
#include "fuzz_target.h"
#include "pdf/pdf_signatures.h"
#include "support/minimal_pdf.h"

namespace {
// A one-page PDF with a signature field, correct cross-reference offsets.
std::string pdf_with_signature_field(const std::string& byte_range, const std::string& contents) {
  const std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R] >>",
      "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /V 5 0 R /Rect [0 0 0 0] /P 3 0 R >>",
      "<< /Type /Sig /SubFilter /ETSI.CAdES.detached /ByteRange " + byte_range + " /Contents <" + contents +
          "> /ContactInfo (http://127.0.0.1/v/0123456789ABCDEFGHJK) >>",
  };
  return lontar::testing::pdf_with_xref(objects);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view pdf(reinterpret_cast<const char*>(data), size);
  try {
    lontar::pdf::PdfBudget budget;
    const auto scan = lontar::pdf::find_signatures(pdf, budget);
    for (const auto& s : scan.signatures) {
      if (!s.well_formed()) continue;
      lontar::crypto::check_detached_signature(s.contents, s.signed_parts(pdf), {}, {});
      lontar::pdf::only_validation_data_added(pdf, s.signed_size);
    }
    lontar::pdf::PdfBudget again;
    lontar::pdf::require_earlier_signatures_intact(pdf, lontar::crypto::signature_intact, again);
  } catch (const lontar::Error& e) {
    // Refusals and limits are answers; anything else is a bug.
    if (e.kind() != lontar::ErrorKind::invalid_input && e.kind() != lontar::ErrorKind::policy) std::abort();
  }
  return 0;
}

std::vector<std::string> lontar_fuzz_seeds() {
  return {pdf_with_signature_field("[0 10 20 30]", "3082000102"),
          pdf_with_signature_field("[0 100 200 50]", std::string(64, '0')),
          pdf_with_signature_field("[-1 2 3]", "00")};
}
