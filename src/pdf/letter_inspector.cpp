#include "pdf/letter_inspector.h"

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include "core/error.h"
#include "pdf/active_content.h"
#include "pdf/untrusted_pdf.h"

namespace lontar::pdf {

namespace {
Error not_a_pdf(const std::string& why) {
  return Error(ErrorKind::invalid_input, "letter_not_pdf", "The recommendation letter must be a PDF file: " + why);
}
}  // namespace

void QpdfLetterInspector::check(std::string_view data) const {
  // The header may follow a little junk (PDF 32000-1 readers tolerate it); 1 KiB is
  // what Acrobat accepts. A file that merely claims application/pdf is not enough.
  const auto header = data.substr(0, 1024).find("%PDF-");
  if (header == std::string_view::npos) throw not_a_pdf("it does not start like one.");
  PdfBudget budget(limits_);
  QPDF pdf;
  try {
    // qpdf reads the buffer in place; it never runs JavaScript or opens attachments.
    load_untrusted(pdf, data, "upload an unprotected copy.", budget);
  } catch (const Error& e) {
    if (e.code() != "pdf_unsuitable") throw;
    const std::string why = e.what();
    throw not_a_pdf(why.find("encrypted") != std::string::npos ? "it is password-protected; upload an unprotected copy."
                                                               : "it is damaged or not a PDF.");
  }
  try {
    if (QPDFPageDocumentHelper(pdf).getAllPages().empty()) throw not_a_pdf("it has no pages.");
  } catch (const Error&) {
    throw;
  } catch (const std::exception&) {
    throw not_a_pdf("it is damaged or not a PDF.");
  }
  if (const auto found = find_active_content(pdf, budget); !found.empty())
    throw Error(ErrorKind::invalid_input, "letter_scripted",
                "The recommendation letter contains " + found +
                    ", which Lontar does not accept; print it to a new PDF and upload that.");
}

}  // namespace lontar::pdf
