#pragma once

#include "core/document_limits.h"
#include "core/key_custody.h"

namespace lontar::pdf {

// A recommendation letter must be a PDF a verifier can open: it starts with the PDF
// header, qpdf parses it within the document limits, it is not encrypted, it has at
// least one page and nothing in it acts (scripts, launch actions, embedded files).
class QpdfLetterInspector final : public LetterInspector {
 public:
  explicit QpdfLetterInspector(const DocumentLimits& limits = {}) : limits_(limits) {}
  void check(std::string_view data) const override;

 private:
  DocumentLimits limits_;
};

}  // namespace lontar::pdf
