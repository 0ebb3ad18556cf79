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
      sessions_(instance.store(), instance.clock(), instance.random(), policy),
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
  std::vector<CertificateRecord> records;
  instance_.store().read([&](StoreTransaction& tx) { records = tx.certificates().list_for_account(session.account.id); });
  json list = json::array();
  for (const auto& r : records) list.push_back(certificate_json(r));
  return json_response(200, json{{"certificates", list}});
}

http::HttpResponse Api::revoke(const http::HttpRequest& request) const {
  const auto session = require_session(request, true);
  // /api/v1/certificates/{serial}/revoke
  const std::string prefix = "/api/v1/certificates/";
  const std::string suffix = "/revoke";
  if (!request.path.ends_with(suffix) || request.path.size() <= prefix.size() + suffix.size())
    throw Error(ErrorKind::not_found, "not_found", "There is nothing at this address.");
  const auto serial = request.path.substr(prefix.size(), request.path.size() - prefix.size() - suffix.size());
  const auto body = parse_body(request);
  const auto reason = parse_revocation_reason(text_field(body, "reason"));
  if (!reason || *reason == RevocationReason::ca_compromise)
    throw Error(ErrorKind::invalid_input, "bad_reason",
                "Give a reason: keyCompromise, affiliationChanged, cessationOfOperation, superseded, "
                "privilegeWithdrawn or unspecified.");
  if (!verify_password(session.account.password_hash, text_field(body, "password")))
    throw Error(ErrorKind::unauthenticated, "wrong_password", "The password is wrong; the certificate was not revoked.");
  RevokeCommand command;
  command.serial_hex = serial;
  command.reason = *reason;
  command.actor = "nik:" + session.account.nik;
  command.requester_account_id = session.account.id;
  const auto record = RevocationService(instance_.store(), instance_.clock()).revoke(command);
  return json_response(200, certificate_json(record));
}

http::HttpResponse Api::idempotent(const http::HttpRequest& request, const AuthenticatedSession& session,
                                  const std::function<http::HttpResponse()>& call) const {
  const auto key = request.header("idempotency-key");
  if (key.empty()) return call();
  if (key.size() > 128)
    throw Error(ErrorKind::invalid_input, "bad_idempotency_key", "An Idempotency-Key has at most 128 characters.");
  const auto fingerprint = sha256_hex(request.method + " " + request.path + "\n" + request.body);
  std::optional<IdempotentResponse> earlier;
  instance_.store().read([&](StoreTransaction& tx) { earlier = tx.idempotency().find(session.account.id, key); });
  const auto replay = [&](const IdempotentResponse& stored) {
    if (stored.fingerprint != fingerprint)
      throw Error(ErrorKind::policy, "idempotency_key_reused",
                  "This Idempotency-Key was used for a different request; use a new key.");
    auto response = json_response(stored.status, json::parse(stored.body, nullptr, false));
    response.headers.emplace_back("Idempotent-Replayed", "true");
    return response;
  };
  if (earlier) return replay(*earlier);
  http::HttpResponse response;
  try {
    response = call();
  } catch (const Error& e) {
    // Refusals are answered again on retry, not re-executed; outages are not stored.
    if (!e.is_user_error()) throw;
    response = json_response(http::status_for(e.kind()), json{{"error", {{"code", e.code()}, {"message", e.what()}}}});
  }
  if (response.content_type != "application/json" || response.status >= 500) return response;
  IdempotentResponse stored{session.account.id, key, fingerprint, response.status, response.body,
                            to_unix(instance_.clock().now())};
  try {
    instance_.store().write([&](StoreTransaction& tx) { tx.idempotency().insert(stored); });
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::conflict) throw;
    // A concurrent call with the same key won the race: answer as it did.
    instance_.store().read([&](StoreTransaction& tx) { earlier = tx.idempotency().find(session.account.id, key); });
    if (earlier) return replay(*earlier);
  }
  return response;
}

void Api::add_routes(http::Router& router) {
  router.add("GET", "/api/v1/openapi.json", [](const http::HttpRequest&) {
    return json_response(200, json::parse(web::asset("static/openapi.json")));
  });
  router.add("POST", "/api/v1/session", [this](const http::HttpRequest& request) { return login(request); });
  router.add("GET", "/api/v1/certificates", [this](const http::HttpRequest& request) { return certificates(request); });
  router.add_prefix("POST", "/api/v1/certificates/", [this](const http::HttpRequest& request) {
    const auto session = require_session(request, true);
    return idempotent(request, session, [&] { return revoke(request); });
  });
  const auto letter_limit = instance_.config().requests.letter_max_bytes * 4 / 3 + 256 * 1024;  // base64 in JSON
  router.add("GET", "/api/v1/requests", [this](const http::HttpRequest& request) { return list_requests(request); });
  router.add("POST", "/api/v1/requests", [this](const http::HttpRequest& request) { return create_request(request); });
  router.allow_body("/api/v1/requests", letter_limit);
  router.add_prefix("GET", "/api/v1/requests/", [this](const http::HttpRequest& request) { return request_action(request); });
  router.add_prefix("POST", "/api/v1/requests/", [this](const http::HttpRequest& request) { return request_action(request); });
  router.allow_body("/api/v1/requests/", letter_limit);
  router.add("GET", "/api/v1/queue", [this](const http::HttpRequest& request) { return queue(request); });
  router.add("GET", "/api/v1/accounts", [this](const http::HttpRequest& request) { return accounts(request); });
  router.add_prefix("POST", "/api/v1/accounts/", [this](const http::HttpRequest& request) { return account_action(request); });
  router.add_prefix("GET", "/api/v1/documents/", [this](const http::HttpRequest& request) { return document(request); });
  router.add("POST", "/api/v1/documents/sign", [this](const http::HttpRequest& request) { return sign_document(request); });
  router.allow_body("/api/v1/documents/sign", 28 * 1024 * 1024);
  router.add("POST", "/api/v1/documents/codes",
             [this](const http::HttpRequest& request) { return new_document_code(request); });
  router.add_prefix("PUT", "/api/v1/documents/",
                    [this](const http::HttpRequest& request) { return register_document(request); });
  router.allow_body("/api/v1/documents/", 20 * 1024 * 1024);
  router.add("POST", "/api/v1/verify", [this](const http::HttpRequest& request) { return verify(request); });
  router.allow_body("/api/v1/verify", 20 * 1024 * 1024);
  router.add("POST", "/api/v1/lock/redeem", [this](const http::HttpRequest& request) { return lock_redeem(request); });
  router.add("POST", "/api/v1/lock/submit", [this](const http::HttpRequest& request) { return lock_submit(request); });
  router.allow_body("/api/v1/lock/submit", letter_limit);
  // Every route that parses an uploaded PDF runs on a work pool: public checks and
  // registrations on the anonymous lane, signed-in work on its own.
  router.run_apart("POST", "/api/v1/verify", http::Router::Lane::anonymous);
  router.run_apart("PUT", "/api/v1/documents/", http::Router::Lane::anonymous);
  // The LOCK submission is authenticated by its CSR token, not a session: anonymous lane.
  router.run_apart("POST", "/api/v1/lock/submit", http::Router::Lane::anonymous);
  for (const auto* path : {"/api/v1/requests", "/api/v1/requests/", "/api/v1/documents/sign"})
    router.run_apart("POST", path, http::Router::Lane::signed_in);
  router.add("GET", "/api/v1/lock/status", [this](const http::HttpRequest& request) { return lock_status(request); });
}

}  // namespace lontar
