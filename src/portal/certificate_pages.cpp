// My Certificates (Sertifikat Saya): the holder's certificates and requests, downloads,
// revocation with the password entered again.
#include "portal/pages.h"
#include "portal/support.h"
#include "portal/text.h"
#include "core/error.h"
#include "web/certificate_download.h"
#include "http/forms.h"

namespace lontar {

namespace {
namespace mustache = kainjow::mustache;
using namespace portal_support;
}  // namespace

http::HttpResponse CertificatePages::certificates(const http::HttpRequest& request) const {
  const auto v = site_.visitor(request);
  if (!v.session) return Site::redirect_for(v, "/login");
  if (v.session->account.must_change_password) return Site::redirect_for(v, "/kata-sandi");
  const auto& text = portal_text(v.lang);
  const auto records = instance_.certificates().list(v.session->account);
  const auto requests = instance_.requests().list_own(v.session->account);
  const auto now = to_unix(instance_.clock().now());
  mustache::list rows;
  for (const auto& r : records) {
    std::string status = to_string(r.status);
    if (r.status == CertificateStatus::valid && r.not_after <= now) status = "expired";
    else if (r.status == CertificateStatus::valid && r.not_after - now < 30 * 86400) status = "expiring";
    mustache::data row;
    const auto* product = instance_.config().catalog.find(r.product_id);
    row.set("product", product ? product->name_for(v.lang) : r.product_id);
    row.set("serial", r.serial_hex);
    row.set("status_class", status);
    row.set("status_label", text.get("status_" + status)->string_value());
    row.set("not_after", format_utc(r.not_after, "%Y-%m-%d"));
    if (r.status == CertificateStatus::valid && r.not_after > now)
      row.set("days_left", std::to_string((r.not_after - now) / 86400));
    row.set("revocable", r.status == CertificateStatus::valid);
    row.set("csrf", v.session->session.csrf);
    if (r.status == CertificateStatus::valid && r.not_after > now) describe_renewal(row, r, requests, now);
    rows.push_back(std::move(row));
  }
  mustache::data data;
  const auto query = http::parse_form(request.query);
  if (query.contains("revoked")) data.set("notice", text.get("revoked_notice")->string_value());
  if (const auto error = query.find("error"); error != query.end() && is_shown_error(error->second))
    data.set("error", text.get(error->second)->string_value());
  mustache::list request_rows;
  for (const auto& r : requests)
    if (r.decision_reason != "issued by an operator") request_rows.push_back(site_.describe_request(r, text));
  data.set("requests", request_rows);
  data.set("has_requests", !request_rows.empty());
  data.set("name", v.session->account.name);
  data.set("has_certificates", !records.empty());
  data.set("certificates", rows);
  return site_.render(v, text.get("my_certificates")->string_value(), "certificates.mustache", data);
}

// The Renew action of a valid certificate (SPEC §1: renewal, pembaharuan): inside the
// product's window, one click for eSign (the passphrase entered again) and the
// `lontar-lock renew` command for LOCK; before it, the date it opens.
void CertificatePages::describe_renewal(kainjow::mustache::data& row, const CertificateRecord& r,
                                        const std::vector<CertificateRequest>& requests, std::int64_t now) const {
  const auto opens = instance_.requests().renewal_opens_at(r);
  if (now < opens) {
    row.set("renew_opens", format_utc(opens, "%Y-%m-%d"));
    return;
  }
  Method method = Method::lock;
  for (const auto& request : requests)
    if (request.id == r.request_id) method = request.method;
  row.set(method == Method::esign ? "renew_esign" : "renew_lock", true);
}

bool CertificatePages::is_shown_error(const std::string& code) {
  return code == "wrong_password" || code == "reason_refused" || code == "wrong_passphrase" ||
         code == "esign_key_locked" || code == "outside_renewal_window" || code == "open_request_exists" ||
         code == "certificate_not_valid";
}

// One click for an eSign holder: the passphrase must open the current key (counted
// against the key like a signature's), and seals the new one.
http::HttpResponse CertificatePages::renew(const http::HttpRequest& request) const {
  const auto v = site_.visitor(request);
  if (!v.session) return Site::redirect_for(v, "/login");
  const auto field = checked_form(request, v.session->session);
  if (v.session->account.must_change_password) return Site::redirect_for(v, "/kata-sandi");
  const auto& account = v.session->account;
  try {
    const auto record = instance_.certificates().own(account, field["serial"]);
    const auto renewal = instance_.requests().renew_esign(instance_.esign_keys(), account, record, field["passphrase"]);
    return redirect("/permohonan?id=" + std::to_string(renewal.id));
  } catch (const Error& e) {
    if (is_shown_error(e.code())) return redirect("/sertifikat?error=" + e.code());
    throw;
  }
}

http::HttpResponse CertificatePages::download(const http::HttpRequest& request) const {
  const auto v = site_.visitor(request);
  if (!v.session) throw Error(ErrorKind::unauthenticated, "login_required", "Log in first.");
  if (v.session->account.must_change_password)
    throw Error(ErrorKind::forbidden, "password_change_required", "Change your temporary password first.");
  const auto query = http::parse_form(request.query);
  const auto serial = query.count("serial") ? query.at("serial") : std::string();
  const auto format = query.count("format") ? query.at("format") : std::string("pem");
  const auto record = instance_.certificates().own(v.session->account, serial);
  return certificate_download(record, format, read_file(instance_.dir().chain()));
}

// The holder revokes their own certificate, re-entering the password (SPEC §1: misuse
// leads to revocation; a lost key must be revoked by its holder at once).
http::HttpResponse CertificatePages::revoke(const http::HttpRequest& request) const {
  const auto v = site_.visitor(request);
  if (!v.session) return Site::redirect_for(v, "/login");
  const auto field = checked_form(request, v.session->session);
  if (v.session->account.must_change_password) return Site::redirect_for(v, "/kata-sandi");
  const auto reason = parse_revocation_reason(field["reason"]);
  if (!reason) return redirect("/sertifikat?error=reason_refused");
  try {
    instance_.certificates().revoke(v.session->account, field["serial"], *reason, field["password"]);
  } catch (const Error& e) {
    if (e.code() == "bad_reason") return redirect("/sertifikat?error=reason_refused");
    if (e.code() == "wrong_password") return redirect("/sertifikat?error=wrong_password");
    throw;
  }
  return redirect("/sertifikat?revoked=1");
}

void CertificatePages::add_routes(http::Router& router) {
  router.add("GET", "/sertifikat", [this](const http::HttpRequest& request) { return certificates(request); });
  router.add("GET", "/sertifikat/unduh", [this](const http::HttpRequest& request) { return download(request); });
  router.add("POST", "/sertifikat/cabut", [this](const http::HttpRequest& request) { return revoke(request); });
  router.add("POST", "/sertifikat/perbarui", [this](const http::HttpRequest& request) { return renew(request); });
}

}  // namespace lontar
