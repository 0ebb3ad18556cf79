#include "documents/signature_verifier.h"

#include <algorithm>

#include "crypto/offline_check.h"

namespace lontar {

namespace {
// The formats whose signed bytes are the byte range itself (ISO 32000-1 §12.8.3).
bool accepted_format(const std::string& sub_filter) {
  return sub_filter == "/ETSI.CAdES.detached" || sub_filter == "/adbe.pkcs7.detached";
}
}  // namespace

bool SignatureVerification::all_intact() const {
  return !checks.empty() && std::all_of(checks.begin(), checks.end(), [](const auto& c) { return c.intact; });
}

bool SignatureVerification::all_trusted() const {
  return std::all_of(checks.begin(), checks.end(), [](const auto& c) { return c.trusted; });
}

SignatureVerification verify_signatures(std::string_view pdf, std::string_view anchor_pem,
                                        const Intermediates& intermediates, pdf::PdfBudget& budget) {
  SignatureVerification out;
  out.scan = pdf::find_signatures(pdf, budget);
  auto intermediates_pem = intermediates.pem;
  if (intermediates.from_document) intermediates_pem += crypto::embedded_certificates_pem(out.scan.validation_data);
  if (!out.scan.active_content.empty())
    out.refusal = "the PDF contains " + out.scan.active_content + ", which a signed document may not";
  int number = 0;
  for (const auto& embedded : out.scan.signatures) {
    ++number;
    budget.check_time();
    crypto::SignatureCheck check;
    if (!embedded.well_formed()) {
      check.refused = true;
      check.problem = embedded.refusal;
    } else if (!accepted_format(embedded.sub_filter)) {
      check.refused = true;
      check.problem = "the signature's format (" + (embedded.sub_filter.empty() ? "none" : embedded.sub_filter) +
                      ") is not accepted";
    } else {
      check = crypto::check_detached_signature(embedded.contents, embedded.signed_parts(pdf), anchor_pem, intermediates_pem);
    }
    if (check.refused && out.refusal.empty()) out.refusal = "signature " + std::to_string(number) + ": " + check.problem;
    out.checks.push_back(std::move(check));
  }
  out.change = out.scan.change_after_signing;
  if (out.change.empty())
    for (std::size_t i = 0; i < out.checks.size() && out.change.empty(); ++i)
      if (!out.checks[i].intact) out.change = "signature " + std::to_string(i + 1) + ": " + out.checks[i].problem;
  return out;
}

}  // namespace lontar
