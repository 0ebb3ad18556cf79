#pragma once

#include <string>
#include <string_view>

namespace lontar::pdf {

// What a verification page says about a registered document besides its signatures.
struct PdfFacts {
  int pages = 0;
  std::string title;  // the document information's /Title as UTF-8; empty when it has none
};

// Reads the facts of a PDF that signing or registration has already accepted.
// Throws Error(invalid_input) for a file qpdf cannot open.
PdfFacts read_pdf_facts(std::string_view pdf);

}  // namespace lontar::pdf
