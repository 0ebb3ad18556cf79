#include "app/api.h"

#include <nlohmann/json.hpp>

#include "app/session_cookie.h"
#include "core/encoding.h"
#include "core/error.h"
#include "core/password.h"
#include "core/revocation.h"
#include "http/forms.h"

namespace lontar {

namespace {
using nlohmann::json;

json parse_body(const http::HttpRequest& request) {
  if (request.header("content-type").rfind("application/json", 0) != 0)
    throw Error(ErrorKind::invalid_input, "json_required", "Send the body as application/json.");
  auto body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    throw Error(ErrorKind::invalid_input, "bad_json", "The body is not a JSON object.");
  return body;
}

std::string text_field(const json& body, const char* name) {
  const auto found = body.find(name);
  if (found == body.end() || !found->is_string())
    throw Error(ErrorKind::invalid_input, "missing_field", std::string("The field '") + name + "' (a string) is missing.");
  return found->get<std::string>();
}

http::HttpResponse json_response(int status, const json& body) {
  auto response = http::HttpResponse::json(status, body.dump(-1, ' ', false, json::error_handler_t::replace));
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

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

const char* kOpenApi = R"openapi({
  "openapi": "3.0.3",
  "info": {"title": "Lontar API", "version": "1"},
  "components": {
    "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "lontar_session"}},
    "schemas": {
      "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
        "code": {"type": "string"}, "message": {"type": "string"}}}}},
      "Certificate": {"type": "object", "properties": {
        "serial": {"type": "string"}, "product": {"type": "string"}, "type": {"type": "string"},
        "status": {"type": "string", "enum": ["valid", "revoked", "superseded"]}, "subject": {"type": "string"},
        "not_before": {"type": "integer"}, "not_after": {"type": "integer"}, "key": {"type": "string"},
        "revoked_at": {"type": "integer"}, "revocation_reason": {"type": "string"}}}
    }
  },
  "paths": {
    "/api/v1/session": {"post": {"summary": "Log in with NIK and password; sets the session cookie",
      "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
        "required": ["nik", "password"], "properties": {"nik": {"type": "string"}, "password": {"type": "string"}}}}}},
      "responses": {"200": {"description": "Logged in; the body holds the CSRF token for X-CSRF-Token"},
                    "401": {"description": "Wrong NIK or password, or locked",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}},
    "/api/v1/certificates": {"get": {"summary": "The caller's certificates", "security": [{"session": []}],
      "responses": {"200": {"description": "List", "content": {"application/json": {"schema": {"type": "object",
        "properties": {"certificates": {"type": "array", "items": {"$ref": "#/components/schemas/Certificate"}}}}}}},
                    "401": {"description": "Not logged in"}}}},
    "/api/v1/certificates/{serial}/revoke": {"post": {"summary": "Revoke one's own certificate (final)",
      "security": [{"session": []}],
      "parameters": [{"name": "serial", "in": "path", "required": true, "schema": {"type": "string"}},
                     {"name": "X-CSRF-Token", "in": "header", "required": true, "schema": {"type": "string"}}],
      "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
        "required": ["reason", "password"], "properties": {
          "reason": {"type": "string", "enum": ["keyCompromise", "affiliationChanged", "cessationOfOperation",
                                                "superseded", "privilegeWithdrawn", "unspecified"]},
          "password": {"type": "string"}}}}}},
      "responses": {"200": {"description": "Revoked", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Certificate"}}}},
                    "401": {"description": "Not logged in or wrong password"}, "403": {"description": "Missing CSRF token"},
                    "404": {"description": "No such certificate of the caller"}, "409": {"description": "Already revoked"}}}}
  }
})openapi";
}  // namespace

Api::Api(Instance& instance, SessionPolicy policy)
    : instance_(instance), sessions_(instance.store(), instance.clock(), instance.random(), policy) {}

AuthenticatedSession Api::require_session(const http::HttpRequest& request, bool mutating) const {
  auto session = session_of(sessions_, request);
  if (!session) throw Error(ErrorKind::unauthenticated, "login_required", "Log in first (POST /api/v1/session).");
  if (mutating) {
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

void Api::add_routes(http::Router& router) {
  router.add("GET", "/api/v1/openapi.json", [](const http::HttpRequest&) {
    return json_response(200, json::parse(kOpenApi));
  });
  router.add("POST", "/api/v1/session", [this](const http::HttpRequest& request) { return login(request); });
  router.add("GET", "/api/v1/certificates", [this](const http::HttpRequest& request) { return certificates(request); });
  router.add_prefix("POST", "/api/v1/certificates/", [this](const http::HttpRequest& request) { return revoke(request); });
}

}  // namespace lontar
