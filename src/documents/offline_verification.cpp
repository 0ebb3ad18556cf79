#include "documents/offline_verification.h"

#include <algorithm>

#include "documents/signature_verifier.h"

namespace lontar {

bool OfflineReport::valid() const {
  return covers_file && !signatures.empty() &&
         std::all_of(signatures.begin(), signatures.end(), [](const auto& s) { return s.valid(); });
}

OfflineReport verify_offline(std::string_view pdf, std::string_view trust_anchor_pem) {
  OfflineReport report;
  pdf::PdfBudget budget;
  // Only the document's own certificates complete the chains.
  const auto verification = verify_signatures(pdf, trust_anchor_pem, Intermediates{{}, true}, budget);
  report.long_term_validation_data = verification.scan.long_term_validation_data;
  report.problem = !verification.refusal.empty() ? verification.refusal : verification.change;
  report.refused = !verification.refusal.empty();
  crypto::EmbeddedEvidence evidence(trust_anchor_pem, verification.scan.validation_data);
  for (std::size_t i = 0; i < verification.checks.size(); ++i)
    report.signatures.push_back(
        crypto::check_offline(verification.checks[i], verification.scan.signatures[i].contents, evidence));
  report.covers_file = verification.refusal.empty() && verification.change.empty();
  return report;
}

}  // namespace lontar
