#include "documents/signing.h"

#include <chrono>

#include <nlohmann/json.hpp>

#include "status/status_sources.h"
#include "core/encoding.h"
#include "core/error.h"
#include "crypto/certificate.h"
#include "crypto/holder_files.h"
#include "crypto/pades_cms.h"
#include "crypto/validation_data.h"
#include "crypto/signature_check.h"
#include "documents/paper_footer.h"
#include "pdf/pdf_facts.h"
#include "pdf/dss_writer.h"
#include "pdf/pdf_signatures.h"
#include "pdf/pdf_signer.h"

namespace lontar {

std::string document_url(const Instance& instance, const std::string& code) {
  std::string url = instance.config().public_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + "/v/" + code;
}


DocumentVisibility default_visibility(const Instance& instance) {
  return parse_document_visibility(instance.config().documents.default_visibility).value_or(DocumentVisibility::full);
}

void require_document_size(const Instance& instance, std::string_view pdf) {
  const auto limit = instance.config().documents.max_pdf_bytes;
  if (pdf.size() > limit)
    throw Error(ErrorKind::invalid_input, "pdf_too_large",
                "The PDF is larger than " + std::to_string(limit / 1048576) + " MiB, the limit this server accepts.");
}

ValidationData validation_data_for(Instance& instance, StatusSources& sources, std::string_view cms_der) {
  return crypto::gather_validation_data(
      cms_der, read_file(instance.dir().chain()), [&](std::string_view request) { return sources.ocsp(request); },
      {sources.root_crl()});
}

ValidationData validation_data_for(Instance& instance, std::string_view cms_der) {
  return validation_data_for(instance, *make_status_sources(instance), cms_der);
}

EsignKey open_esign_key(Instance& instance, const Account& holder, std::string_view passphrase, CertificateType type) {
  auto opened = instance.esign_keys().open(holder, type, passphrase);
  auto key = crypto::PrivateKey::from_der(opened.key_der);
  crypto::cleanse(opened.key_der);
  return {std::move(key), opened.certificate_pem};
}

SignedDocumentResult sign_with_esign(Instance& instance, const Account& holder, std::string_view passphrase,
                                     SignDocumentCommand command, CertificateType type) {
  const auto opened = open_esign_key(instance, holder, passphrase, type);
  command.certificate_pem = opened.certificate_pem;
  command.actor = audit_actor(holder);
  return sign_document(instance, opened.key, command);
}

namespace {
// The visible stamp and the footer for a document about to be signed.
pdf::Stamp stamp_for(const Instance& instance, const SignedDocument& document, const SignDocumentCommand& command) {
  pdf::Stamp stamp;
  stamp.verification_url = document_url(instance, document.id);
  stamp.verification_code = display_code(document.id);
  stamp.signer_name = document.signer_name;
  stamp.signer_unit = document.signer_unit;
  stamp.signing_time = format_utc(document.signed_at, "%Y-%m-%d %H:%M UTC");
  stamp.page = command.page;
  stamp.visible = command.visible_stamp;
  stamp.position = command.position;
  stamp.footer = paper_footer(instance, document.id);
  return stamp;
}
}  // namespace

SignedDocumentResult sign_document(Instance& instance, const crypto::PrivateKey& key,
                                   const SignDocumentCommand& command) {
  require_document_size(instance, command.pdf);
  const auto certificate = crypto::Certificate::from_pem(command.certificate_pem);
  if (!crypto::certifies(command.certificate_pem, key))
    throw Error(ErrorKind::invalid_input, "key_mismatch", "The key does not belong to the certificate.");
  std::optional<CertificateRecord> record;
  instance.store().read([&](StoreTransaction& tx) { record = tx.certificates().find_by_serial(certificate.serial_hex()); });
  const auto now = instance.clock().now();
  if (!record || crypto::Certificate::from_pem(record->pem).der() != certificate.der())
    throw Error(ErrorKind::policy, "unknown_certificate", "The certificate was not issued by this CA.");
  if (record->status != CertificateStatus::valid)
    throw Error(ErrorKind::policy, "certificate_not_valid",
                "The certificate is " + std::string(to_string(record->status)) +
                    "; no new document can be signed with it.");
  if (to_unix(now) >= record->not_after)
    throw Error(ErrorKind::policy, "certificate_expired", "The certificate has expired; renew it to sign.");

  pdf::PdfBudget budget(instance.config().verification.document);
  pdf::require_earlier_signatures_intact(command.pdf, crypto::signature_intact, budget);

  SignedDocument document;
  document.id = new_document_code(instance.random());
  document.signer_serial = record->serial_hex;
  document.signer_name = subject_attribute(record->subject, "CN");
  document.signer_unit = subject_attribute(record->subject, "OU");
  document.signed_at = to_unix(now);
  const auto facts = pdf::read_pdf_facts(command.pdf);
  document.title = choose_document_title(command.title, facts.title, command.file_name);
  document.pages = facts.pages;
  document.visibility = command.visibility.value_or(default_visibility(instance));
  const auto url = document_url(instance, document.id);

  const auto stamp = stamp_for(instance, document, command);
  pdf::SignatureFields fields;
  fields.reason = command.reason.empty() ? "Ditandatangani secara elektronik" : command.reason;
  fields.signer_name = document.signer_name;
  fields.pdf_date = format_utc(document.signed_at, "D:%Y%m%d%H%M%SZ");
  fields.contact_info = url;

  // The signature carries the issuing CA (the chain's first); the root, the relying
  // party's trust anchor, comes from its own store.
  const auto issuing = crypto::Certificate::all_from_pem(read_file(instance.dir().chain())).front().pem();
  const auto sources = make_status_sources(instance);
  std::string cms;
  auto signed_pdf = pdf::sign_pdf(command.pdf, stamp, fields, [&](std::string_view bytes) {
    cms = crypto::make_pades_cms(key, certificate, issuing, bytes,
                                 [&](std::string_view request) { return sources->timestamp(request); });
    return cms;
  });
  // B-LT: the chain and fresh status answers go into the document security store.
  signed_pdf = pdf::add_validation_data(signed_pdf, validation_data_for(instance, *sources, cms));
  document.sha256 = sha256_hex(signed_pdf);
  document.signature_count = static_cast<int>(pdf::find_signatures(signed_pdf).signatures.size());
  // Kept before it is registered: a document whose file could not be kept is not registered.
  instance.document_files().put(document.sha256, signed_pdf);
  instance.store().write([&](StoreTransaction& tx) {
    tx.documents().insert(document);
    tx.audit().append({command.actor, "document.signed", "document:" + document.id,
                       nlohmann::json{{"certificate", document.signer_serial},
                                      {"sha256", document.sha256},
                                      {"signatures", document.signature_count},
                                      {"title", document.title},
                                      {"pages", document.pages},
                                      {"visibility", to_string(document.visibility)}}
                           .dump()},
                      document.signed_at);
  });
  return {std::move(signed_pdf), document, url};
}

}  // namespace lontar
