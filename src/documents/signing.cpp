#include "documents/signing.h"

#include <chrono>

#include <nlohmann/json.hpp>

#include "status/status_services.h"
#include "core/encoding.h"
#include "core/error.h"
#include "crypto/certificate.h"
#include "crypto/holder_files.h"
#include "crypto/pades_cms.h"
#include "crypto/timestamp_authority.h"
#include "crypto/validation_data.h"
#include "crypto/signature_check.h"
#include "pdf/dss_writer.h"
#include "pdf/pdf_signatures.h"
#include "pdf/pdf_signer.h"

namespace lontar {

namespace {
constexpr std::size_t kMaxPdfBytes = 64 * 1024 * 1024;

}  // namespace

std::string document_url(const Instance& instance, const std::string& code) {
  std::string url = instance.config().public_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + "/v/" + code;
}


ValidationData validation_data_for(Instance& instance, std::string_view cms_der) {
  const auto responder = make_ocsp_responder(instance, std::chrono::hours{1});
  return crypto::gather_validation_data(
      cms_der, read_file(instance.dir().chain()), [&](std::string_view request) { return responder->respond(request).der; },
      {read_file(instance.dir().root_crl())});
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

SignedDocumentResult sign_document(Instance& instance, const crypto::PrivateKey& key,
                                   const SignDocumentCommand& command) {
  if (command.pdf.size() > kMaxPdfBytes)
    throw Error(ErrorKind::invalid_input, "pdf_too_large", "The PDF is larger than 64 MiB.");
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
  const auto url = document_url(instance, document.id);

  pdf::Stamp stamp;
  stamp.verification_url = url;
  stamp.verification_code = display_code(document.id);
  stamp.signer_name = document.signer_name;
  stamp.signer_unit = document.signer_unit;
  stamp.signing_time = format_utc(document.signed_at, "%Y-%m-%d %H:%M UTC");
  stamp.page = command.page;
  stamp.visible = command.visible_stamp;
  stamp.position = command.position;
  pdf::SignatureFields fields;
  fields.reason = command.reason.empty() ? "Ditandatangani secara elektronik" : command.reason;
  fields.signer_name = document.signer_name;
  fields.pdf_date = format_utc(document.signed_at, "D:%Y%m%d%H%M%SZ");
  fields.contact_info = url;

  const auto chain = read_file(instance.dir().chain());
  // The signature carries the issuing CA; the root, the relying party's trust anchor,
  // comes from its own store.
  const auto issuing = read_file(instance.dir().certificate("issuing"));
  const crypto::TimestampAuthority tsa(instance.tsa_signer(), chain, instance.config().timestamp_policy,
                                       instance.random(), instance.clock());
  std::string cms;
  auto signed_pdf = pdf::sign_pdf(command.pdf, stamp, fields, [&](std::string_view bytes) {
    cms = crypto::make_pades_cms(key, certificate, issuing, bytes,
                                 [&](std::string_view request) { return tsa.respond(request); });
    return cms;
  });
  // B-LT: the chain and fresh status answers go into the document security store.
  signed_pdf = pdf::add_validation_data(signed_pdf, validation_data_for(instance, cms));
  document.sha256 = sha256_hex(signed_pdf);
  document.signature_count = static_cast<int>(pdf::find_signatures(signed_pdf).signatures.size());
  // Kept before it is registered: a document whose file could not be kept is not registered.
  instance.document_files().put(document.sha256, signed_pdf);
  instance.store().write([&](StoreTransaction& tx) {
    tx.documents().insert(document);
    tx.audit().append({command.actor, "document.signed", "document:" + document.id,
                       nlohmann::json{{"certificate", document.signer_serial},
                                      {"sha256", document.sha256},
                                      {"signatures", document.signature_count}}
                           .dump()},
                      document.signed_at);
  });
  return {std::move(signed_pdf), document, url};
}

}  // namespace lontar
