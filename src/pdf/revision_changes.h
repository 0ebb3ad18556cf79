#pragma once

#include <qpdf/QPDF.hh>

#include <string>

#include "pdf/untrusted_pdf.h"

namespace lontar::pdf {

// What an incremental update after a signed revision may do and still leave the
// signed document as it was.
enum class AllowedUpdate {
  // Only long-term validation data: the catalog changes in its /DSS, nothing else of
  // the signed revision changes (PAdES B-LT; what may follow the last signature).
  validation_data,
  // Also the next signer's field: a signature field with its widget appended to the
  // form's /Fields and to its page's /Annots (what may lie between two signatures),
  // unless the earlier signature's DocMDP permissions forbid any change.
  signature_fields,
};

// Empty when every difference between `before` (a signed revision) and `after` (a
// later revision of the same file) is one `allowed` permits; otherwise a sentence
// naming the first other change: page content, annotations, form values, fonts,
// XObjects — any object of the signed revision changed, freed or replaced.
std::string unexplained_change(QPDF& before, QPDF& after, AllowedUpdate allowed, PdfBudget& budget);

}  // namespace lontar::pdf
