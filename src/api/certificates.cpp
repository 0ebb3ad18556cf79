// A holder's certificates and their revocation, with the password re-entered.
#include "api/json.h"
#include "api/resources.h"
#include "api/support.h"
#include "core/revocation.h"
#include "http/forms.h"
#include "instance/data_dir.h"
#include "web/certificate_download.h"

namespace lontar {

namespace {
using namespace api_support;

json certificate_json(const CertificateRecord& r) {
  json out{{"serial", r.serial_hex},         {"product", r.product_id}, {"type", to_string(r.type)},
           {"status", to_string(r.status)},  {"subject", r.subject},    {"not_before", r.not_before},
           {"not_after", r.not_after},       {"key", r.key_description}};
  if (r.revoked_at) {
    out["revoked_at"] = r.revoked_at;
    out["revocation_reason"] = r.revocation_reason;
  }
  return out;
}


}  // namespace

void CertificateApi::add_routes(http::Router& router) {
  router.add("GET", "/api/v1/certificates", [this](const http::HttpRequest& request) { return list(request); });
  router.add("GET", "/api/v1/certificates/{serial}",
             [this](const http::HttpRequest& request) { return download(request); });
  router.add("POST", "/api/v1/certificates/{serial}/revoke", [this](const http::HttpRequest& request) {
    const auto session = access_.require_session(request, true);
    return access_.idempotent(request, session, [&] { return revoke(request); });
  });
  router.add("POST", "/api/v1/certificates/{serial}/renew", [this](const http::HttpRequest& request) {
    const auto session = access_.require_session(request, true);
    return access_.idempotent(request, session, [&] {
      const auto record = instance_.certificates().own(session.account, request.param("serial"));
      const auto renewal = instance_.requests().renew_esign(instance_.esign_keys(), session.account, record,
                                                            text_field(parse_body(request), "passphrase"));
      return json_response(201, request_json(renewal, instance_.config().catalog));
    });
  });
}

http::HttpResponse CertificateApi::list(const http::HttpRequest& request) const {
  const auto session = access_.require_session(request, false);
  json list = json::array();
  for (const auto& r : instance_.certificates().list(session.account)) list.push_back(certificate_json(r));
  return json_response(200, json{{"certificates", list}});
}

http::HttpResponse CertificateApi::revoke(const http::HttpRequest& request) const {
  const auto session = access_.require_session(request, true);
  const auto& serial = request.param("serial");
  const auto body = parse_body(request);
  // An unknown reason is refused like caCompromise (HolderCertificates says which are allowed).
  const auto reason = parse_revocation_reason(text_field(body, "reason")).value_or(RevocationReason::ca_compromise);
  const auto record = instance_.certificates().revoke(session.account, serial, reason, text_field(body, "password"));
  return json_response(200, certificate_json(record));
}

// The certificate itself: ?format=pem (default), der or chain; the holder's own only,
// as in the portal (a foreign serial is answered like one that does not exist).
http::HttpResponse CertificateApi::download(const http::HttpRequest& request) const {
  const auto session = access_.require_session(request, false);
  const auto query = http::parse_form(request.query);
  const auto format = query.count("format") ? query.at("format") : std::string("pem");
  const auto record = instance_.certificates().own(session.account, request.param("serial"));
  return certificate_download(record, format, read_file(instance_.dir().chain()));
}

}  // namespace lontar
