// The public verification page: PUBLIC_URL/v/ID, opened from the QR code on a signed
// document. Anyone may open it; it shows what the signer's certificate says (never the
// NIK), when it was signed, the certificate's status then and now, and the SHA-256 of
// the registered file.
#include "app/portal.h"
#include "app/portal_text.h"
#include "core/error.h"

namespace lontar {

namespace {
namespace mustache = kainjow::mustache;

std::string say(const mustache::data& text, const std::string& key) {
  const auto* value = text.get(key);
  return value && value->is_string() ? value->string_value() : key;
}
}  // namespace

http::HttpResponse Portal::show_verification(const http::HttpRequest& request) const {
  const auto v = visitor(request);
  const auto text = portal_text(v.lang);
  const std::string id = request.path.substr(3);
  std::optional<SignedDocument> document;
  std::optional<CertificateRecord> certificate;
  if (id.size() == 20 && id.find_first_not_of("0123456789ABCDEFGHJKMNPQRSTVWXYZ") == std::string::npos)
    instance_.store().read([&](StoreTransaction& tx) {
      document = tx.documents().find(id);
      if (document) certificate = tx.certificates().find_by_serial(document->signer_serial);
    });
  mustache::data data;
  if (!document || !certificate) {
    data.set("unknown", true);
    auto response = render(v, say(text, "verify_title"), "verify.mustache", data);
    response.status = 404;
    return response;
  }
  data.set("code", document->id);
  data.set("signer", document->signer_name);
  data.set("unit", document->signer_unit);
  data.set("signed_at", format_utc(document->signed_at, "%Y-%m-%d %H:%M:%S UTC"));
  data.set("sha256", document->sha256);
  data.set("serial", certificate->serial_hex);
  data.set("signatures", std::to_string(document->signature_count));
  data.set("valid_then", true);  // signing refuses certificates that are not valid
  const auto now = to_unix(instance_.clock().now());
  std::string status_now = "verify_status_valid";
  if (certificate->status != CertificateStatus::valid) {
    // Signing refuses revoked certificates, so a revocation in the same second came after.
    status_now = certificate->revoked_at >= document->signed_at ? "verify_status_revoked_after"
                                                               : "verify_status_revoked";
    data.set("revoked_at", format_utc(certificate->revoked_at, "%Y-%m-%d %H:%M UTC"));
  } else if (certificate->not_after <= now) {
    status_now = "verify_status_expired";
  }
  data.set("status_now_class", certificate->status == CertificateStatus::valid && certificate->not_after > now
                                   ? "valid"
                                   : "revoked");
  data.set("status_now", say(text, status_now));
  return render(v, say(text, "verify_title"), "verify.mustache", data);
}

}  // namespace lontar
