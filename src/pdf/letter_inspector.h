#pragma once

#include "core/key_custody.h"

namespace lontar::pdf {

// A recommendation letter must be a PDF a verifier can open: it starts with the PDF
// header, qpdf parses it, it is not encrypted and it has at least one page.
class QpdfLetterInspector final : public LetterInspector {
 public:
  void check(std::string_view data) const override;
};

}  // namespace lontar::pdf
