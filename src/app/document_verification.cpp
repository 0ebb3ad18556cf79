#include "app/document_verification.h"

#include <algorithm>

#include "app/document_signing.h"
#include "core/encoding.h"
#include "crypto/signature_check.h"
#include "pdf/pdf_signatures.h"

namespace lontar {

const char* to_string(Verdict verdict) noexcept {
  switch (verdict) {
    case Verdict::identical: return "identical";
    case Verdict::valid: return "valid";
    case Verdict::changed: return "changed";
    case Verdict::untrusted: return "untrusted";
    case Verdict::unsigned_document: return "unsigned";
  }
  return "unsigned";
}

VerificationReport verify_document(Instance& instance, std::string_view pdf, const std::string& code) {
  VerificationReport report;
  report.sha256 = sha256_hex(pdf);
  const auto scan = pdf::find_signatures(pdf);
  const auto& signatures = scan.signatures;
  report.long_term_validation_data = scan.long_term_validation_data;
  const auto root = read_file(instance.dir().certificate("root"));
  const auto issuing = read_file(instance.dir().certificate("issuing"));
  const auto now = to_unix(instance.clock().now());
  instance.store().read([&](StoreTransaction& tx) {
    report.registered = code.empty() ? tx.documents().find_by_sha256(report.sha256) : tx.documents().find(code);
  });
  bool all_intact = !signatures.empty(), all_trusted = true;
  std::int64_t signed_end = 0;
  for (const auto& embedded : signatures) {
    SignatureFinding finding;
    finding.contact_info = embedded.contact_info;
    if (embedded.well_formed) {
      finding.signed_size = embedded.signed_size;
      const auto check = crypto::check_detached_signature(embedded.contents, embedded.signed_bytes, root, issuing);
      finding.intact = check.intact;
      finding.trusted = check.trusted;
      finding.problem = check.problem;
      finding.signer = subject_attribute(check.signer_subject, "CN");
      finding.unit = subject_attribute(check.signer_subject, "OU");
      finding.serial = check.signer_serial;
      if (check.timestamp) finding.timestamp = to_unix(*check.timestamp);
    } else {
      finding.problem = "the signature's byte range does not fit this file";
    }
    std::optional<CertificateRecord> record;
    if (!finding.serial.empty())
      instance.store().read([&](StoreTransaction& tx) { record = tx.certificates().find_by_serial(finding.serial); });
    finding.ours = record.has_value();
    finding.status_now = "unknown";
    if (record) {
      finding.status_now = record->status != CertificateStatus::valid ? to_string(record->status)
                           : record->not_after <= now                 ? "expired"
                                                                      : "valid";
      finding.revoked_after_signing = record->status != CertificateStatus::valid && finding.timestamp &&
                                      record->revoked_at >= finding.timestamp;
    }
    all_intact = all_intact && finding.intact;
    all_trusted = all_trusted && finding.trusted;
    if (embedded.well_formed) signed_end = std::max(signed_end, embedded.signed_size);
    report.signatures.push_back(std::move(finding));
  }
  // Something appended after the latest signature leaves no signature covering the
  // file — unless all it adds is long-term validation data (PAdES B-LT).
  const bool last_covers = signed_end == static_cast<std::int64_t>(pdf.size()) ||
                           (signed_end > 0 && pdf::only_validation_data_added(pdf, signed_end));
  if (signatures.empty())
    report.verdict = Verdict::unsigned_document;
  else if (!all_intact || !last_covers)
    report.verdict = Verdict::changed;
  else if (!all_trusted)
    report.verdict = Verdict::untrusted;
  else if (report.registered && report.registered->sha256 == report.sha256)
    report.verdict = Verdict::identical;
  else
    report.verdict = Verdict::valid;
  return report;
}

}  // namespace lontar
