#include "pdf/pdf_facts.h"

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include "pdf/pdf_document.h"

namespace lontar::pdf {

PdfFacts read_pdf_facts(std::string_view pdf) {
  QPDF doc;
  load_pdf(doc, pdf, "sign an unprotected copy.");
  PdfFacts facts;
  facts.pages = static_cast<int>(QPDFPageDocumentHelper(doc).getAllPages().size());
  auto info = doc.getTrailer().getKey("/Info");
  if (info.isDictionary()) {
    auto title = info.getKey("/Title");
    // Text strings are PDFDocEncoding or UTF-16 with a byte order mark; qpdf decodes both.
    if (title.isString()) facts.title = title.getUTF8Value();
  }
  return facts;
}

}  // namespace lontar::pdf
