#include "portal/portal.h"

#include <ctime>

#include "portal/support.h"
#include "portal/text.h"
#include "web/session_cookie.h"
#include "core/encoding.h"
#include "core/error.h"
#include "core/password.h"
#include "core/revocation.h"
#include "core/random.h"
#include "http/forms.h"
#include "web/web_assets.h"

namespace lontar {

namespace {
namespace mustache = kainjow::mustache;
using portal_support::checked_form;
using portal_support::PostedForm;
using portal_support::redirect;

constexpr const char* kLoginCookie = "lontar_login";  // double-submit token of the login form
constexpr std::size_t kVerifyUploadLimit = 20 * 1024 * 1024;
}  // namespace

Portal::Portal(Instance& instance, SessionPolicy policy)
    : instance_(instance),
      sessions_(instance.store(), instance.clock(), instance.random(), policy),
      failures_(30, 15 * 60) {}  // 30 failed logins per address in 15 minutes

Portal::Visitor Portal::visitor(const http::HttpRequest& request) const {
  Visitor v;
  const auto cookies = http::parse_cookies(request.header("cookie"));
  const auto query = http::parse_form(request.query);
  if (const auto lang = query.find("lang"); lang != query.end() && (lang->second == "en" || lang->second == "id")) {
    v.lang = lang->second;
    v.set_lang_cookie = true;
  } else if (const auto cookie = cookies.find("lang"); cookie != cookies.end() && cookie->second == "en") {
    v.lang = "en";
  }
  v.session = session_of(sessions_, request);
  return v;
}

http::HttpResponse Portal::render(const Visitor& visitor, const std::string& title, const std::string& body_template,
                                  const mustache::data& data) const {
  mustache::mustache body(std::string(web::asset("templates/" + body_template)));
  mustache::mustache layout(std::string(web::asset("templates/layout.mustache")));
  mustache::data page = data;
  page.set("t", portal_text(visitor.lang));
  page.set("lang", visitor.lang);
  page.set("is_id", visitor.lang == "id");
  page.set("is_en", visitor.lang == "en");
  page.set("title", title);
  if (visitor.session) {
    const auto role = visitor.session->account.role;
    page.set("user", visitor.session->account.name);
    page.set("csrf", visitor.session->session.csrf);
    page.set("is_reviewer", role == Role::verifier || role == Role::admin || role == Role::auditor);
    page.set("is_helpdesk", role == Role::helpdesk || role == Role::admin);
    page.set("is_admin", role == Role::admin);
  }
  page.set("tracker", mustache::partial([] { return std::string(web::asset("templates/tracker.mustache")); }));
  page.set("body", body.render(page));
  http::HttpResponse response;
  response.content_type = "text/html; charset=utf-8";
  response.body = layout.render(page);
  response.headers.emplace_back("Cache-Control", "no-store");
  if (visitor.set_lang_cookie)
    response.headers.emplace_back("Set-Cookie", "lang=" + visitor.lang + "; Path=/; Max-Age=31536000; SameSite=Lax");
  return response;
}

http::HttpResponse Portal::show_login(const http::HttpRequest& request, const std::string& error_key,
                                      const std::string& nik) const {
  const auto v = visitor(request);
  const auto text = portal_text(v.lang);
  mustache::data data;
  const std::string token = random_hex(instance_.random(), 32);
  data.set("csrf", token);
  data.set("nik", nik);
  if (!error_key.empty()) data.set("error", text.get(error_key)->string_value());
  auto response = render(v, text.get("login_title")->string_value(), "login.mustache", data);
  // The layout prints the session's token for the logout form; the login form's own
  // token is the double-submit cookie below.
  response.headers.emplace_back("Set-Cookie", std::string(kLoginCookie) + "=" + token +
                                                  "; Path=/login; HttpOnly; SameSite=Strict" +
                                                  (request.secure ? "; Secure" : ""));
  if (!error_key.empty()) response.status = error_key == "too_many" ? 429 : 401;
  return response;
}

http::HttpResponse Portal::login(const http::HttpRequest& request) {
  const PostedForm field{http::parse_form(request.body)};
  const auto cookies = http::parse_cookies(request.header("cookie"));
  const auto cookie = cookies.find(kLoginCookie);
  if (cookie == cookies.end() || !constant_time_equal(cookie->second, field["csrf"])) {
    auto response = show_login(request, "expired_form", field["nik"]);
    response.status = 403;
    return response;
  }
  if (failures_.blocked(request.remote_address, to_unix(instance_.clock().now()))) return show_login(request, "too_many", field["nik"]);
  try {
    const auto result = sessions_.login(field["nik"], field["password"]);
    auto response = redirect(result.account.must_change_password ? "/kata-sandi" : "/sertifikat");
    // A new random id at every login (no fixation); the store keeps only its hash.
    response.headers.emplace_back("Set-Cookie", session_cookie(result.token, request.secure));
    response.headers.emplace_back("Set-Cookie", std::string(kLoginCookie) + "=; Path=/login; Max-Age=0");
    return response;
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::unauthenticated) throw;
    failures_.failed(request.remote_address, to_unix(instance_.clock().now()));
    return show_login(request, "bad_credentials", field["nik"]);
  }
}

http::HttpResponse Portal::logout(const http::HttpRequest& request) const {
  const auto v = visitor(request);
  if (!v.session) return redirect("/login");
  checked_form(request, v.session->session);
  sessions_.logout(*session_token(request));
  auto response = redirect("/login");
  response.headers.emplace_back("Set-Cookie", expired_session_cookie());
  return response;
}

http::HttpResponse Portal::certificates(const http::HttpRequest& request) const {
  const auto v = visitor(request);
  if (!v.session) return redirect("/login");
  if (v.session->account.must_change_password) return redirect("/kata-sandi");
  const auto text = portal_text(v.lang);
  std::vector<CertificateRecord> records;
  instance_.store().read(
      [&](StoreTransaction& tx) { records = tx.certificates().list_for_account(v.session->account.id); });
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
    rows.push_back(row);
  }
  mustache::data data;
  const auto query = http::parse_form(request.query);
  if (query.contains("revoked")) data.set("notice", text.get("revoked_notice")->string_value());
  if (const auto error = query.find("error"); error != query.end() &&
                                              (error->second == "wrong_password" || error->second == "reason_refused"))
    data.set("error", text.get(error->second)->string_value());
  std::vector<CertificateRequest> requests;
  instance_.store().read(
      [&](StoreTransaction& tx) { requests = tx.requests().list_for_account(v.session->account.id); });
  mustache::list request_rows;
  for (const auto& r : requests)
    if (r.decision_reason != "issued by an operator") request_rows.push_back(describe_request(r, text));
  data.set("requests", request_rows);
  data.set("has_requests", !request_rows.empty());
  data.set("name", v.session->account.name);
  data.set("has_certificates", !records.empty());
  data.set("certificates", rows);
  return render(v, text.get("my_certificates")->string_value(), "certificates.mustache", data);
}

http::HttpResponse Portal::download(const http::HttpRequest& request) const {
  const auto v = visitor(request);
  if (!v.session) throw Error(ErrorKind::unauthenticated, "login_required", "Log in first.");
  if (v.session->account.must_change_password)
    throw Error(ErrorKind::forbidden, "password_change_required", "Change your temporary password first.");
  const auto query = http::parse_form(request.query);
  const auto serial = query.count("serial") ? query.at("serial") : std::string();
  const auto format = query.count("format") ? query.at("format") : std::string("pem");
  std::optional<CertificateRecord> record;
  instance_.store().read([&](StoreTransaction& tx) { record = tx.certificates().find_by_serial(serial); });
  // Someone else's certificate is answered exactly like a serial that does not exist.
  if (!record || record->account_id != v.session->account.id)
    throw Error(ErrorKind::not_found, "unknown_certificate", "You have no certificate with that serial number.");
  http::HttpResponse response;
  if (format == "der") {
    response.content_type = "application/pkix-cert";
    response.body = crypto::Certificate::from_pem(record->pem).der();
    response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + serial + ".cer\"");
  } else if (format == "chain") {
    response.content_type = "application/x-pem-file";
    response.body = record->pem + read_file(instance_.dir().chain());
    response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + serial + "-chain.pem\"");
  } else if (format == "pem") {
    response.content_type = "application/x-pem-file";
    response.body = record->pem;
    response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + serial + ".pem\"");
  } else {
    throw Error(ErrorKind::invalid_input, "bad_format", "The format must be pem, der or chain.");
  }
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

// The holder revokes their own certificate, re-entering the password (SPEC §1: misuse
// leads to revocation; a lost key must be revoked by its holder at once).
http::HttpResponse Portal::revoke(const http::HttpRequest& request) const {
  const auto v = visitor(request);
  if (!v.session) return redirect("/login");
  const auto field = checked_form(request, v.session->session);
  if (v.session->account.must_change_password) return redirect("/kata-sandi");
  const auto reason = parse_revocation_reason(field["reason"]);
  if (!reason || *reason == RevocationReason::ca_compromise) return redirect("/sertifikat?error=reason_refused");
  if (!verify_password(v.session->account.password_hash, field["password"]))
    return redirect("/sertifikat?error=wrong_password");
  RevokeCommand command;
  command.serial_hex = field["serial"];
  command.reason = *reason;
  command.actor = "nik:" + v.session->account.nik;
  command.requester_account_id = v.session->account.id;
  RevocationService(instance_.store(), instance_.clock()).revoke(command);
  return redirect("/sertifikat?revoked=1");
}

http::HttpResponse Portal::show_password(const http::HttpRequest& request, const std::string& error_key) const {
  const auto v = visitor(request);
  if (!v.session) return redirect("/login");
  const auto text = portal_text(v.lang);
  mustache::data data;
  data.set("forced", v.session->account.must_change_password);
  if (!error_key.empty()) data.set("error", text.get(error_key)->string_value());
  auto response = render(v, text.get("change_password")->string_value(), "password.mustache", data);
  if (!error_key.empty()) response.status = 400;
  return response;
}

http::HttpResponse Portal::change_password(const http::HttpRequest& request) const {
  const auto v = visitor(request);
  if (!v.session) return redirect("/login");
  const auto field = checked_form(request, v.session->session);
  if (field["new"] != field["repeat"]) return show_password(request, "passwords_differ");
  try {
    sessions_.change_password(v.session->account.id, field["current"], field["new"]);
  } catch (const Error& e) {
    if (e.code() == "wrong_password") return show_password(request, "current_wrong");
    if (e.kind() == ErrorKind::invalid_input) return show_password(request, "weak_password");
    throw;
  }
  return redirect("/sertifikat");
}

void Portal::add_routes(http::Router& router) {
  router.add("GET", "/kata-sandi", [this](const http::HttpRequest& request) { return show_password(request); });
  router.add("POST", "/kata-sandi", [this](const http::HttpRequest& request) { return change_password(request); });
  router.add("POST", "/sertifikat/cabut", [this](const http::HttpRequest& request) { return revoke(request); });
  router.add("GET", "/", [this](const http::HttpRequest& request) {
    return redirect(visitor(request).session ? "/sertifikat" : "/login");
  });
  router.add("GET", "/login", [this](const http::HttpRequest& request) {
    if (visitor(request).session) return redirect("/sertifikat");
    return show_login(request);
  });
  router.add("POST", "/login", [this](const http::HttpRequest& request) { return login(request); });
  router.add("POST", "/logout", [this](const http::HttpRequest& request) { return logout(request); });
  router.add("GET", "/sertifikat", [this](const http::HttpRequest& request) { return certificates(request); });
  router.add("GET", "/sertifikat/unduh", [this](const http::HttpRequest& request) { return download(request); });
  const auto letter_limit = instance_.config().requests.letter_max_bytes + 256 * 1024;
  router.add("GET", "/permohonan/baru", [this](const http::HttpRequest& request) { return show_new_request(request); });
  router.add("POST", "/permohonan/baru", [this](const http::HttpRequest& request) { return create_request(request); });
  router.allow_body("/permohonan/baru", letter_limit);
  router.add("GET", "/permohonan", [this](const http::HttpRequest& request) { return show_request(request); });
  router.add("POST", "/permohonan/csr", [this](const http::HttpRequest& request) { return upload_csr(request); });
  router.allow_body("/permohonan/csr", letter_limit);
  router.add("POST", "/permohonan/batal", [this](const http::HttpRequest& request) { return cancel_request(request); });
  router.add("GET", "/verifikasi", [this](const http::HttpRequest& request) { return show_queue(request); });
  router.add("GET", "/verifikasi/permohonan", [this](const http::HttpRequest& request) { return show_review(request); });
  router.add("GET", "/verifikasi/surat", [this](const http::HttpRequest& request) { return show_letter(request); });
  router.add("POST", "/verifikasi/setujui", [this](const http::HttpRequest& request) { return decide(request, true); });
  router.add("POST", "/verifikasi/tolak", [this](const http::HttpRequest& request) { return decide(request, false); });
  router.add("GET", "/helpdesk", [this](const http::HttpRequest& request) { return helpdesk_search(request); });
  router.add("GET", "/helpdesk/akun", [this](const http::HttpRequest& request) { return helpdesk_account(request); });
  router.add("POST", "/helpdesk/buka-kunci", [this](const http::HttpRequest& request) { return unlock_account(request); });
  router.add("GET", "/admin", [this](const http::HttpRequest& request) { return show_admin(request); });
  router.add("POST", "/admin/peran", [this](const http::HttpRequest& request) { return set_role(request); });
  router.add_prefix("GET", "/v/", [this](const http::HttpRequest& request) { return show_verification(request); });
  router.add_prefix("POST", "/v/", [this](const http::HttpRequest& request) { return verify_upload(request); });
  router.allow_body("/v/", kVerifyUploadLimit);
  router.add("GET", "/dokumen", [this](const http::HttpRequest& request) { return show_sign(request); });
  router.add("POST", "/dokumen/tanda-tangan", [this](const http::HttpRequest& request) { return sign(request); });
  router.allow_body("/dokumen/tanda-tangan", kVerifyUploadLimit);
  router.add("GET", "/verifikasi-dokumen", [this](const http::HttpRequest& request) { return show_verify_upload(request); });
  router.add("POST", "/verifikasi-dokumen", [this](const http::HttpRequest& request) { return verify_upload(request); });
  router.allow_body("/verifikasi-dokumen", kVerifyUploadLimit);
  // Every route that parses an uploaded PDF runs on a work pool: public checks on the
  // anonymous lane, a holder's letters and signatures on the signed-in one.
  for (const auto* path : {"/v/", "/verifikasi-dokumen"}) router.run_apart("POST", path, http::Router::Lane::anonymous);
  for (const auto* path : {"/permohonan/baru", "/permohonan/csr", "/dokumen/tanda-tangan"})
    router.run_apart("POST", path, http::Router::Lane::signed_in);
  router.add("GET", "/bantuan", [this](const http::HttpRequest& request) { return show_help(request); });
  router.add("GET", "/static/favicon.svg", [](const http::HttpRequest&) {
    http::HttpResponse response;
    response.content_type = "image/svg+xml";
    response.body = std::string(web::asset("static/favicon.svg"));
    response.headers.emplace_back("Cache-Control", "public, max-age=86400");
    return response;
  });
  router.add("GET", "/favicon.ico", [](const http::HttpRequest&) {
    http::HttpResponse response;
    response.status = 301;
    response.headers.emplace_back("Location", "/static/favicon.svg");
    return response;
  });
  router.add("GET", "/static/lontar.css", [](const http::HttpRequest&) {
    http::HttpResponse response;
    response.content_type = "text/css; charset=utf-8";
    response.body = std::string(web::asset("static/lontar.css"));
    response.headers.emplace_back("Cache-Control", "public, max-age=3600");
    return response;
  });
}

}  // namespace lontar
