#include "api/api.h"

#include <nlohmann/json.hpp>

#include "api/support.h"
#include "web/session_cookie.h"
#include "core/encoding.h"
#include "core/error.h"
#include "core/password.h"
#include "core/revocation.h"
#include "http/forms.h"
#include "web/web_assets.h"

namespace lontar {

namespace {
using nlohmann::json;
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

Api::Api(Instance& instance, SessionPolicy policy)
    : instance_(instance),
      sessions_(instance.sessions(policy)),
      token_failures_(20, 15 * 60) {}  // 20 wrong CSR tokens per address in 15 minutes

AuthenticatedSession Api::require_session(const http::HttpRequest& request, bool mutating) const {
  const auto authorization = request.header("authorization");
  const bool bearer = authorization.rfind("Bearer ", 0) == 0;
  auto session = bearer ? sessions_.authenticate(authorization.substr(7)) : session_of(sessions_, request);
  if (!session) throw Error(ErrorKind::unauthenticated, "login_required", "Log in first (POST /api/v1/session).");
  if (mutating && !bearer) {
    if (!constant_time_equal(request.header("x-csrf-token"), session->session.csrf))
      throw Error(ErrorKind::forbidden, "csrf", "Send the session's CSRF token in the X-CSRF-Token header.");
  }
  if (session->account.must_change_password)
    throw Error(ErrorKind::forbidden, "password_change_required", "Change your temporary password in the portal first.");
  return *session;
}

http::HttpResponse Api::login(const http::HttpRequest& request) const {
  const auto body = parse_body(request);
  const auto result = sessions_.login(text_field(body, "nik"), text_field(body, "password"));
  auto response = json_response(200, json{{"nik", result.account.nik},
                                          {"name", result.account.name},
                                          {"role", to_string(result.account.role)},
                                          {"token", result.token},
                                          {"csrf_token", result.session.csrf},
                                          {"must_change_password", result.account.must_change_password}});
  response.headers.emplace_back("Set-Cookie", session_cookie(result.token, request.secure));
  return response;
}

http::HttpResponse Api::certificates(const http::HttpRequest& request) const {
  const auto session = require_session(request, false);
  json list = json::array();
  for (const auto& r : instance_.certificates().list(session.account)) list.push_back(certificate_json(r));
  return json_response(200, json{{"certificates", list}});
}

http::HttpResponse Api::revoke(const http::HttpRequest& request) const {
  const auto session = require_session(request, true);
  const auto& serial = request.param("serial");
  const auto body = parse_body(request);
  // An unknown reason is refused like caCompromise (HolderCertificates says which are allowed).
  const auto reason = parse_revocation_reason(text_field(body, "reason")).value_or(RevocationReason::ca_compromise);
  const auto record = instance_.certificates().revoke(session.account, serial, reason, text_field(body, "password"));
  return json_response(200, certificate_json(record));
}

http::HttpResponse Api::idempotent(const http::HttpRequest& request, const AuthenticatedSession& session,
                                  const std::function<http::HttpResponse()>& call) const {
  const auto key = request.header("idempotency-key");
  if (key.empty()) return call();
  if (key.size() > 128)
    throw Error(ErrorKind::invalid_input, "bad_idempotency_key", "An Idempotency-Key has at most 128 characters.");
  const auto fingerprint = sha256_hex(request.method + " " + request.path + "\n" + request.body);
  const auto ledger = instance_.idempotency();
  const auto replay = [&](const IdempotentResponse& stored) {
    if (stored.fingerprint != fingerprint)
      throw Error(ErrorKind::policy, "idempotency_key_reused",
                  "This Idempotency-Key was used for a different request; use a new key.");
    auto response = json_response(stored.status, json::parse(stored.body, nullptr, false));
    response.headers.emplace_back("Idempotent-Replayed", "true");
    return response;
  };
  if (const auto earlier = ledger.find(session.account.id, key)) return replay(*earlier);
  http::HttpResponse response;
  try {
    response = call();
  } catch (const Error& e) {
    // Refusals are answered again on retry, not re-executed; outages are not stored.
    if (!e.is_user_error()) throw;
    response = json_response(http::status_for(e.kind()), json{{"error", {{"code", e.code()}, {"message", e.what()}}}});
  }
  if (response.content_type != "application/json" || response.status >= 500) return response;
  const IdempotentResponse stored{session.account.id, key, fingerprint, response.status, response.body,
                                  to_unix(instance_.clock().now())};
  // A concurrent call with the same key may have won the race: answer as it did.
  if (const auto earlier = ledger.remember(stored)) return replay(*earlier);
  return response;
}

void Api::add_routes(http::Router& router) {
  router.add("GET", "/api/v1/openapi.json", [](const http::HttpRequest&) {
    return json_response(200, json::parse(web::asset("static/openapi.json")));
  });
  router.add("POST", "/api/v1/session", [this](const http::HttpRequest& request) { return login(request); });
  router.add("GET", "/api/v1/certificates", [this](const http::HttpRequest& request) { return certificates(request); });
  router.add("POST", "/api/v1/certificates/{serial}/revoke", [this](const http::HttpRequest& request) {
    const auto session = require_session(request, true);
    return idempotent(request, session, [&] { return revoke(request); });
  });
  const auto letter_limit = instance_.config().requests.letter_max_bytes * 4 / 3 + 256 * 1024;  // base64 in JSON
  add_request_routes(router, letter_limit);
  router.add("GET", "/api/v1/documents/{code}", [this](const http::HttpRequest& request) { return document(request); });
  router.add("POST", "/api/v1/documents/sign", [this](const http::HttpRequest& request) { return sign_document(request); });
  router.allow_body("/api/v1/documents/sign", 28 * 1024 * 1024);
  router.add("POST", "/api/v1/documents/codes",
             [this](const http::HttpRequest& request) { return new_document_code(request); });
  router.add("PUT", "/api/v1/documents/{code}",
             [this](const http::HttpRequest& request) { return register_document(request); });
  router.allow_body("/api/v1/documents/{code}", 20 * 1024 * 1024);
  router.add("POST", "/api/v1/verify", [this](const http::HttpRequest& request) { return verify(request); });
  router.allow_body("/api/v1/verify", 20 * 1024 * 1024);
  router.add("POST", "/api/v1/lock/redeem", [this](const http::HttpRequest& request) { return lock_redeem(request); });
  router.add("POST", "/api/v1/lock/submit", [this](const http::HttpRequest& request) { return lock_submit(request); });
  router.allow_body("/api/v1/lock/submit", letter_limit);
  // Every route that parses an uploaded PDF runs on a work pool: public checks and
  // registrations on the anonymous lane, signed-in work on its own.
  router.run_apart("POST", "/api/v1/verify", http::Router::Lane::anonymous);
  router.run_apart("PUT", "/api/v1/documents/{code}", http::Router::Lane::anonymous);
  // The LOCK submission is authenticated by its CSR token, not a session: anonymous lane.
  router.run_apart("POST", "/api/v1/lock/submit", http::Router::Lane::anonymous);
  router.run_apart("POST", "/api/v1/documents/sign", http::Router::Lane::signed_in);
  router.add("GET", "/api/v1/lock/status", [this](const http::HttpRequest& request) { return lock_status(request); });
}

}  // namespace lontar
