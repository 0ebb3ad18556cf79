#include "documents/registration.h"

#include <nlohmann/json.hpp>

#include "documents/signing.h"
#include "documents/verification.h"
#include "core/encoding.h"
#include "core/error.h"
#include "pdf/pdf_facts.h"

namespace lontar {

namespace {
constexpr std::int64_t kTimestampMaxAgeSeconds = 10 * 60;
constexpr std::int64_t kClockSkewSeconds = 2 * 60;

Error refused(const std::string& code, const std::string& message) {
  return Error(ErrorKind::invalid_input, code, message);
}

SignedDocument record_of(const std::string& code, std::string_view pdf, const std::string& sha256,
                         const SignatureFinding& finding, int signatures, const RegistrationDetails& details,
                         DocumentVisibility fallback) {
  SignedDocument document;
  document.id = code;
  document.sha256 = sha256;
  document.signer_serial = finding.serial;
  document.signer_name = finding.signer;
  document.signer_unit = finding.unit;
  document.signed_at = finding.timestamp;
  document.signature_count = signatures;
  const auto facts = pdf::read_pdf_facts(pdf);
  document.title = choose_document_title(details.title, facts.title, "");
  document.pages = facts.pages;
  document.visibility = details.visibility.value_or(fallback);
  return document;
}
}  // namespace

DocumentRegistration register_signed_document(Instance& instance, const std::string& code, std::string_view pdf,
                                              const RegistrationDetails& details) {
  require_document_code(code);
  require_document_size(instance, pdf);
  const auto report = verify_document(instance, pdf, code);
  if (report.registered) {
    if (report.registered->sha256 == report.sha256) return {*report.registered, false};
    throw Error(ErrorKind::conflict, "document_code_taken",
                "Another document is registered under this code; sign again with a new code.");
  }
  const auto now = to_unix(instance.clock().now());
  // Anyone may try to register. A refusal that looks like an attempt to pass off a
  // signature (refused, unknown, untrusted or revoked signer) is kept in the audit
  // trail with what was sent (its SHA-256) and why; plain mistakes (unsigned, changed,
  // another code, stale) are answered only, so junk uploads cannot fill the trail.
  const auto refuse = [&](ErrorKind kind, const std::string& reason, const std::string& message) {
    instance.store().write([&](StoreTransaction& tx) {
      tx.audit().append({"anonymous", "document.registration_refused", "document:" + code,
                         nlohmann::json{{"sha256", report.sha256}, {"reason", reason},
                                        {"verdict", to_string(report.verdict)}}
                             .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)},
                        now);
    });
    return Error(kind, reason, message);
  };
  if (report.verdict == Verdict::refused)
    throw refuse(ErrorKind::policy, "signature_refused", "The PDF is refused: " + report.problem + ".");
  // The newest signature is the one whose byte range reaches furthest.
  const auto& found = report.signatures;
  std::size_t newest = found.size();
  for (std::size_t i = 0; i < found.size(); ++i)
    if (found[i].signed_size > 0 && (newest == found.size() || found[i].signed_size > found[newest].signed_size))
      newest = i;
  if (newest == found.size() || report.verdict == Verdict::unsigned_document)
    throw refused("not_signed", "The PDF carries no signature to register.");
  if (report.verdict == Verdict::changed)
    throw refused("document_changed", "A signature in the PDF does not cover the file as it is; sign it again.");
  if (found[newest].contact_info != document_url(instance, code))
    throw refused("code_not_signed", "The signature was not made for this document code.");
  const auto& finding = report.signatures[newest];
  // Freshness first: a stale (or future) timestamp is the clearest reason to sign again.
  if (finding.timestamp == 0 || finding.timestamp < now - kTimestampMaxAgeSeconds ||
      finding.timestamp > now + kClockSkewSeconds)
    throw Error(ErrorKind::policy, "timestamp_stale",
                "The signature's timestamp is missing, not from this CA's timestamp authority, or not from the last "
                "ten minutes; sign the document again.");
  if (!finding.ours)
    throw refuse(ErrorKind::policy, "unknown_certificate", "The signature was not made with a certificate of this CA.");
  if (finding.status_now != "valid")
    throw refuse(ErrorKind::policy, "certificate_not_valid",
                 "The certificate is " + finding.status_now + "; no new document can be registered with it.");
  if (!finding.trusted)
    throw refuse(ErrorKind::policy, "untrusted_signature", "The signature is not trusted: " + finding.problem + ".");
  if (report.verdict != Verdict::valid)
    throw refuse(ErrorKind::policy, "untrusted_signature", "An earlier signature in the PDF is not trusted by this CA.");

  const auto document = record_of(code, pdf, report.sha256, finding, static_cast<int>(found.size()), details,
                                  default_visibility(instance));
  // Kept before it is registered: a document whose file could not be kept is not registered.
  instance.document_files().put(document.sha256, pdf);
  instance.store().write([&](StoreTransaction& tx) {
    if (tx.documents().find(code))
      throw Error(ErrorKind::conflict, "document_code_taken",
                  "Another document is registered under this code; sign again with a new code.");
    tx.documents().insert(document);
    tx.audit().append({"certificate:" + document.signer_serial, "document.registered", "document:" + document.id,
                       nlohmann::json{{"sha256", document.sha256},
                                      {"signatures", document.signature_count},
                                      {"title", document.title},
                                      {"pages", document.pages},
                                      {"visibility", to_string(document.visibility)}}
                           .dump()},
                      now);
  });
  return {document, true};
}

}  // namespace lontar
