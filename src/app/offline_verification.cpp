#include "app/offline_verification.h"

#include <algorithm>

#include "pdf/pdf_signatures.h"

namespace lontar {

bool OfflineReport::valid() const {
  return covers_file && !signatures.empty() &&
         std::all_of(signatures.begin(), signatures.end(), [](const auto& s) { return s.valid(); });
}

OfflineReport verify_offline(std::string_view pdf, std::string_view trust_anchor_pem) {
  OfflineReport report;
  const auto scan = pdf::find_signatures(pdf);
  report.long_term_validation_data = scan.long_term_validation_data;
  std::int64_t signed_end = 0;
  for (const auto& embedded : scan.signatures) {
    if (!embedded.well_formed) {
      report.signatures.emplace_back();  // judged invalid: its byte range does not fit the file
      continue;
    }
    signed_end = std::max(signed_end, embedded.signed_size);
    report.signatures.push_back(
        crypto::check_offline(embedded.contents, embedded.signed_bytes, trust_anchor_pem, scan.validation_data));
  }
  report.covers_file = signed_end == static_cast<std::int64_t>(pdf.size()) ||
                       (signed_end > 0 && pdf::only_validation_data_added(pdf, signed_end));
  return report;
}

}  // namespace lontar
