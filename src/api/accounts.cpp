// Logging in, and the helpdesk's account search and unlock. AccountAdministration
// decides who may see and unlock whom.
#include "api/resources.h"
#include "api/support.h"
#include "http/forms.h"
#include "web/session_cookie.h"

namespace lontar {

using namespace api_support;

void AccountApi::add_routes(http::Router& router) {
  router.add("POST", "/api/v1/session", [this](const http::HttpRequest& request) { return login(request); });
  router.add("GET", "/api/v1/accounts", [this](const http::HttpRequest& request) { return search(request); });
  router.add("POST", "/api/v1/accounts/{nik}/unlock",
             [this](const http::HttpRequest& request) { return unlock(request); });
  router.add("POST", "/api/v1/accounts/{nik}/release-esign-key",
             [this](const http::HttpRequest& request) { return release_esign_key(request); });
}

http::HttpResponse AccountApi::login(const http::HttpRequest& request) const {
  const auto body = parse_body(request);
  auto& failures = instance_.login_failures();
  const auto now = to_unix(instance_.clock().now());
  if (failures.blocked(request.remote_address, now))
    throw Error(ErrorKind::forbidden, "too_many_attempts",
                "Too many failed logins from this address; wait 15 minutes and try again.");
  const auto result = [&] {
    try {
      return access_.sessions().login(text_field(body, "nik"), text_field(body, "password"));
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::unauthenticated) failures.failed(request.remote_address, now);
      throw;
    }
  }();
  auto response = json_response(200, json{{"nik", result.account.nik},
                                          {"name", result.account.name},
                                          {"role", to_string(result.account.role)},
                                          {"token", result.token},
                                          {"csrf_token", result.session.csrf},
                                          {"must_change_password", result.account.must_change_password}});
  response.headers.emplace_back("Set-Cookie", session_cookie(result.token, request.secure));
  return response;
}


http::HttpResponse AccountApi::search(const http::HttpRequest& request) const {
  const auto session = access_.require_session(request, false);
  const auto query = http::parse_form(request.query);
  const auto q = query.count("q") ? query.at("q") : std::string();
  const auto found = instance_.accounts().search(Actor::person(session.account), q);
  if (q.size() < 3) throw Error(ErrorKind::invalid_input, "query_too_short", "Search with at least 3 characters.");
  const auto now = to_unix(instance_.clock().now());
  json list = json::array();
  for (const auto& a : found.accounts)
    list.push_back({{"nik", a.nik},
                    {"name", a.name},
                    {"email", a.email},
                    {"unit", a.unit},
                    {"role", to_string(a.role)},
                    {"locked", is_locked(a, now)}});
  return json_response(200, json{{"accounts", list}, {"more", found.more}});
}

http::HttpResponse AccountApi::unlock(const http::HttpRequest& request) const {
  const auto session = access_.require_session(request, true);
  const auto& nik = request.param("nik");
  return access_.idempotent(request, session, [&] {
    instance_.accounts().unlock(Actor::person(session.account), nik);
    return json_response(200, json{{"nik", nik}, {"locked", false}});
  });
}

// The helpdesk releases eSign keys locked after wrong passphrases.
http::HttpResponse AccountApi::release_esign_key(const http::HttpRequest& request) const {
  const auto session = access_.require_session(request, true);
  const auto& nik = request.param("nik");
  return access_.idempotent(request, session, [&] {
    const auto released = instance_.esign_keys().release(Actor::person(session.account), nik);
    return json_response(200, json{{"nik", nik}, {"released", released}});
  });
}

}  // namespace lontar
