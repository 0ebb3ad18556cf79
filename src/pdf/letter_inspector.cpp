#include "pdf/letter_inspector.h"

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include "core/error.h"

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
  try {
    QPDF pdf;
    pdf.setSuppressWarnings(true);
    pdf.setAttemptRecovery(false);
    // qpdf reads the buffer in place; it never runs JavaScript or opens attachments.
    pdf.processMemoryFile("letter.pdf", data.data(), data.size());
    if (pdf.isEncrypted()) throw not_a_pdf("it is password-protected; upload an unprotected copy.");
    if (QPDFPageDocumentHelper(pdf).getAllPages().empty()) throw not_a_pdf("it has no pages.");
  } catch (const Error&) {
    throw;
  } catch (const std::exception&) {
    throw not_a_pdf("it is damaged or not a PDF.");
  }
}

}  // namespace lontar::pdf
