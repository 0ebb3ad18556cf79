#include "documents/verification.h"

#include "metrics/metrics.h"

#include <algorithm>

#include "documents/signing.h"
#include "core/encoding.h"
#include "documents/signature_verifier.h"
#include "crypto/certificate.h"

namespace lontar {

const char* to_string(Verdict verdict) noexcept {
  switch (verdict) {
    case Verdict::identical: return "identical";
    case Verdict::valid: return "valid";
    case Verdict::changed: return "changed";
    case Verdict::untrusted: return "untrusted";
    case Verdict::unsigned_document: return "unsigned";
    case Verdict::refused: return "refused";
  }
  return "unsigned";
}

VerificationReport verify_document(Instance& instance, std::string_view pdf, const std::string& code) {
  VerificationReport report;
  report.sha256 = sha256_hex(pdf);
  const auto chain = instance.holder_chain();
  pdf::PdfBudget budget(instance.config().verification.document);
  const auto verification = verify_signatures(pdf, chain.root_pem, Intermediates{chain.intermediates_pem, false}, budget);
  report.long_term_validation_data = verification.scan.long_term_validation_data;
  const auto now = to_unix(instance.clock().now());
  instance.store().read([&](StoreTransaction& tx) {
    report.registered = code.empty() ? tx.documents().find_by_sha256(report.sha256) : tx.documents().find(code);
  });
  for (std::size_t i = 0; i < verification.checks.size(); ++i) {
    const auto& embedded = verification.scan.signatures[i];
    const auto& check = verification.checks[i];
    SignatureFinding finding;
    finding.contact_info = embedded.contact_info;
    if (embedded.well_formed()) finding.signed_size = embedded.signed_size;
    finding.intact = check.intact;
    finding.trusted = check.trusted;
    finding.problem = check.problem;
    finding.signer = subject_attribute(check.signer_subject, "CN");
    finding.unit = subject_attribute(check.signer_subject, "OU");
    finding.serial = check.signer_serial;
    if (check.timestamp) finding.timestamp = to_unix(*check.timestamp);
    // The certificate registered here under that serial must be the very one that
    // signed: a serial alone is what a forger copies.
    std::optional<CertificateRecord> record;
    if (!check.signer_der.empty())
      instance.store().read([&](StoreTransaction& tx) { record = tx.certificates().find_by_serial(finding.serial); });
    if (record && crypto::Certificate::from_pem(record->pem).der() != check.signer_der) record.reset();
    finding.ours = record.has_value();
    finding.status_now = "unknown";
    if (record) {
      finding.status_now = record->status != CertificateStatus::valid ? to_string(record->status)
                           : record->not_after <= now                 ? "expired"
                                                                      : "valid";
      finding.revoked_after_signing = record->status != CertificateStatus::valid && finding.timestamp &&
                                      record->revoked_at >= finding.timestamp;
      // A certificate revoked (or superseded) before the signature was made — or with
      // no timestamp to say when it was made — vouches for nothing: a stolen key keeps
      // signing after its revocation.
      if (record->status != CertificateStatus::valid && !finding.revoked_after_signing) {
        finding.trusted = false;
        if (finding.problem.empty())
          finding.problem = finding.timestamp ? "the certificate was revoked before this signature was made"
                                              : "the certificate is revoked and the signature has no timestamp "
                                                "to show it was made before";
      }
    }
    report.signatures.push_back(std::move(finding));
  }
  if (!verification.refusal.empty()) {
    report.verdict = Verdict::refused;
    report.problem = verification.refusal;
  } else if (verification.checks.empty()) {
    report.verdict = Verdict::unsigned_document;
  } else if (!verification.change.empty()) {
    report.verdict = Verdict::changed;
    report.problem = verification.change;
  } else if (!std::all_of(report.signatures.begin(), report.signatures.end(),
                          [](const auto& s) { return s.trusted; })) {
    report.verdict = Verdict::untrusted;
  } else if (report.registered && report.registered->sha256 == report.sha256) {
    report.verdict = Verdict::identical;
  } else {
    report.verdict = Verdict::valid;
  }
  metrics::Metrics::process().count_verification(to_string(report.verdict));
  return report;
}

}  // namespace lontar
