// Logging in and out, and changing the password.
#include "portal/pages.h"
#include "portal/support.h"
#include "portal/text.h"
#include "core/error.h"
#include "core/encoding.h"
#include "http/forms.h"
#include "web/session_cookie.h"

namespace lontar {

namespace {
namespace mustache = kainjow::mustache;
using namespace portal_support;

constexpr const char* kLoginCookie = "lontar_login";  // double-submit token of the login form
}  // namespace

AccountPages::AccountPages(const Site& site) : PageArea(site) {}

http::HttpResponse AccountPages::show_login(const http::HttpRequest& request, const std::string& error_key,
                                      const std::string& nik) const {
  const auto v = site_.visitor(request);
  const auto& text = portal_text(v.lang);
  mustache::data data;
  const std::string token = random_hex(instance_.random(), 32);
  data.set("csrf", token);
  data.set("nik", nik);
  if (!error_key.empty()) data.set("error", text.get(error_key)->string_value());
  auto response = site_.render(v, text.get("login_title")->string_value(), "login.mustache", data);
  // The layout prints the session's token for the logout form; the login form's own
  // token is the double-submit cookie below.
  response.headers.emplace_back("Set-Cookie", std::string(kLoginCookie) + "=" + token +
                                                  "; Path=/login; HttpOnly; SameSite=Strict" +
                                                  (request.secure ? "; Secure" : ""));
  if (!error_key.empty()) response.status = error_key == "too_many" ? 429 : 401;
  return response;
}

http::HttpResponse AccountPages::login(const http::HttpRequest& request) {
  const PostedForm field{http::parse_form(request.body)};
  const auto cookies = http::parse_cookies(request.header("cookie"));
  const auto cookie = cookies.find(kLoginCookie);
  if (cookie == cookies.end() || !constant_time_equal(cookie->second, field["csrf"])) {
    auto response = show_login(request, "expired_form", field["nik"]);
    response.status = 403;
    return response;
  }
  if (instance_.login_failures().blocked(request.remote_address, to_unix(instance_.clock().now()))) return show_login(request, "too_many", field["nik"]);
  try {
    const auto result = site_.sessions().login(field["nik"], field["password"]);
    auto response = redirect(result.account.must_change_password ? "/kata-sandi" : "/sertifikat");
    // A new random id at every login (no fixation); the store keeps only its hash.
    response.headers.emplace_back("Set-Cookie", session_cookie(result.token, request.secure));
    response.headers.emplace_back("Set-Cookie", std::string(kLoginCookie) + "=; Path=/login; Max-Age=0");
    return response;
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::unauthenticated) throw;
    instance_.login_failures().failed(request.remote_address, to_unix(instance_.clock().now()));
    return show_login(request, "bad_credentials", field["nik"]);
  }
}

http::HttpResponse AccountPages::logout(const http::HttpRequest& request) const {
  const auto v = site_.visitor(request);
  if (!v.session) return Site::redirect_for(v, "/login");
  checked_form(request, v.session->session);
  site_.sessions().logout(*session_token(request));
  auto response = redirect("/login");
  response.headers.emplace_back("Set-Cookie", expired_session_cookie());
  return response;
}

http::HttpResponse AccountPages::show_password(const http::HttpRequest& request, const std::string& error_key) const {
  const auto v = site_.visitor(request);
  if (!v.session) return Site::redirect_for(v, "/login");
  const auto& text = portal_text(v.lang);
  mustache::data data;
  data.set("forced", v.session->account.must_change_password);
  return site_.render_form(v, say(text, "change_password"), "password.mustache", data,
                     error_key.empty() ? std::string() : say(text, error_key));
}

http::HttpResponse AccountPages::change_password(const http::HttpRequest& request) const {
  const auto v = site_.visitor(request);
  if (!v.session) return Site::redirect_for(v, "/login");
  const auto field = checked_form(request, v.session->session);
  if (field["new"] != field["repeat"]) return show_password(request, "passwords_differ");
  try {
    site_.sessions().change_password(v.session->account.id, field["current"], field["new"],
                                     v.session->session.id_hash);
  } catch (const Error& e) {
    if (e.code() == "wrong_password") return show_password(request, "current_wrong");
    if (e.kind() == ErrorKind::invalid_input) return show_password(request, "weak_password");
    throw;
  }
  return redirect("/sertifikat");
}

void AccountPages::add_routes(http::Router& router) {
  router.add("GET", "/login", [this](const http::HttpRequest& request) {
    if (site_.visitor(request).session) return redirect("/sertifikat");
    return show_login(request);
  });
  router.add("POST", "/login", [this](const http::HttpRequest& request) { return login(request); });
  router.add("POST", "/logout", [this](const http::HttpRequest& request) { return logout(request); });
  router.add("GET", "/kata-sandi", [this](const http::HttpRequest& request) { return show_password(request); });
  router.add("POST", "/kata-sandi", [this](const http::HttpRequest& request) { return change_password(request); });
}

}  // namespace lontar
