#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "crypto/signature_check.h"
#include "pdf/pdf_limits.h"
#include "pdf/pdf_signatures.h"

namespace lontar {

// Every signature of a PDF judged once, the same way for every path that trusts a
// signature: the public pages, the JSON API, registration, offline verification and
// signing over earlier signatures. The file's structure first (byte ranges, the
// revision each signature signs, every later update, active content), then each
// value with its signer bound to exactly one certificate, and trust on that one.
struct SignatureVerification {
  pdf::PdfSignatures scan;
  std::vector<crypto::SignatureCheck> checks;  // one for each of scan.signatures
  std::string refusal;  // why the document is refused outright (empty: it is not)
  std::string change;   // why no signature covers the document as it is (empty: they do)
  bool all_intact() const;
  bool all_trusted() const;
};

// Where the certificates that complete a chain to the anchor come from.
struct Intermediates {
  std::string pem;                  // known ones (the issuing CA)
  bool from_document = false;       // and the document's own validation data (offline)
};

// `anchor_pem`: the trusted root.
SignatureVerification verify_signatures(std::string_view pdf, std::string_view anchor_pem,
                                        const Intermediates& intermediates, pdf::PdfBudget& budget);

}  // namespace lontar
