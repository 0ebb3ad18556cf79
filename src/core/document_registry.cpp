#include "core/document_registry.h"

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace lontar {

namespace {
constexpr std::size_t kMaxReasonBytes = 200;

bool is_staff(Role role) { return role != Role::applicant; }

bool holds_signing_certificate(const RegisteredDocument& document, const Account& viewer) {
  return document.signer_certificate && document.signer_certificate->account_id == viewer.id;
}
}  // namespace

DocumentView view_of(const RegisteredDocument& registered, const std::optional<Account>& viewer) {
  DocumentView view;
  const auto& document = registered.document;
  view.is_signer = viewer && holds_signing_certificate(registered, *viewer);
  view.withdrawn = document.withdrawn();
  view.may_withdraw = !view.withdrawn && viewer && (view.is_signer || viewer->role == Role::admin);
  if (view.withdrawn) return view;
  const bool everything =
      document.visibility == DocumentVisibility::full || view.is_signer || (viewer && is_staff(viewer->role));
  view.pages_shown = everything ? document.pages : std::min(document.pages, 1);
  view.download = everything;
  return view;
}

std::optional<RegisteredDocument> DocumentRegistry::find(std::string_view code) const {
  if (!is_document_code(code)) return std::nullopt;
  std::optional<RegisteredDocument> found;
  store_.read([&](StoreTransaction& tx) {
    auto document = tx.documents().find(code);
    if (!document) return;
    found = RegisteredDocument{*document, tx.certificates().find_by_serial(document->signer_serial)};
  });
  return found;
}

SignedDocument DocumentRegistry::withdraw(std::string_view code, const Account& by, const std::string& reason,
                                          std::int64_t now) {
  const auto cleaned = clean_document_title(reason);
  if (cleaned.empty())
    throw Error(ErrorKind::invalid_input, "withdrawal_reason_required", "Say why the document is withdrawn; the page shows it.");
  if (reason.size() > kMaxReasonBytes)
    throw Error(ErrorKind::invalid_input, "withdrawal_reason_too_long", "The reason is longer than 200 characters.");
  SignedDocument withdrawn;
  store_.write([&](StoreTransaction& tx) {
    auto document = is_document_code(code) ? tx.documents().find(code) : std::nullopt;
    if (!document) throw Error(ErrorKind::not_found, "unknown_document", "No document is registered under that code.");
    const RegisteredDocument registered{*document, tx.certificates().find_by_serial(document->signer_serial)};
    if (!holds_signing_certificate(registered, by) && by.role != Role::admin)
      throw Error(ErrorKind::forbidden, "not_signer", "Only the signer or an administrator may withdraw a document.");
    const std::string actor = audit_actor(by);
    if (!tx.documents().withdraw(code, now, cleaned, actor))
      throw Error(ErrorKind::conflict, "already_withdrawn", "The document was withdrawn already.");
    tx.audit().append({actor, "document.withdrawn", "document:" + document->id,
                       nlohmann::json{{"reason", cleaned}, {"sha256", document->sha256}}.dump(
                           -1, ' ', false, nlohmann::json::error_handler_t::replace)},
                      now);
    withdrawn = *document;
    withdrawn.withdrawn_at = now;
    withdrawn.withdrawn_reason = cleaned;
    withdrawn.withdrawn_by = actor;
  });
  return withdrawn;
}

}  // namespace lontar
