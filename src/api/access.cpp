// Who is calling: the session of a cookie or bearer token, and the Idempotency-Key
// ledger that lets a client retry a mutating call safely.
#include <nlohmann/json.hpp>

#include "api/resources.h"
#include "api/support.h"
#include "core/encoding.h"
#include "core/error.h"
#include "web/session_cookie.h"

namespace lontar {

using namespace api_support;

ApiAccess::ApiAccess(Instance& instance, SessionPolicy policy)
    : instance_(instance), sessions_(instance.sessions(policy)) {}

AuthenticatedSession ApiAccess::require_session(const http::HttpRequest& request, bool mutating) const {
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

std::optional<Account> ApiAccess::viewer(const http::HttpRequest& request) const {
  const auto authorization = request.header("authorization");
  const bool bearer = authorization.rfind("Bearer ", 0) == 0;
  auto session = bearer ? sessions_.authenticate(authorization.substr(7)) : session_of(sessions_, request);
  if (!session || session->account.must_change_password) return std::nullopt;
  return std::move(session->account);
}

namespace {
// Which request a key was used for, without its secrets: a bare SHA-256 over a body
// with a password in it would let anyone who reads the database guess that password
// offline, far faster than through its Argon2id hash.
std::string fingerprint_of(const http::HttpRequest& request) {
  auto body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return sha256_hex(request.method + " " + request.path + "\n" + request.body);
  for (const char* secret : {"password", "passphrase", "new_password"}) body.erase(secret);
  return sha256_hex(request.method + " " + request.path + "\n" + body.dump());
}
}  // namespace

http::HttpResponse ApiAccess::idempotent(const http::HttpRequest& request, const AuthenticatedSession& session,
                                         const std::function<http::HttpResponse()>& call,
                                         const AnswerSecrets& secrets) const {
  const auto key = request.header("idempotency-key");
  if (key.empty()) return call();
  if (key.size() > 128)
    throw Error(ErrorKind::invalid_input, "bad_idempotency_key", "An Idempotency-Key has at most 128 characters.");
  const auto fingerprint = fingerprint_of(request);
  const auto ledger = instance_.idempotency();
  const auto replay = [&](const IdempotentResponse& stored) {
    if (stored.fingerprint != fingerprint)
      throw Error(ErrorKind::policy, "idempotency_key_reused",
                  "This Idempotency-Key was used for a different request; use a new key.");
    auto body = json::parse(stored.body, nullptr, false);
    if (secrets.restore) secrets.restore(body);
    auto response = json_response(stored.status, body);
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
  auto kept = json::parse(response.body, nullptr, false);
  if (secrets.strip) secrets.strip(kept);
  const IdempotentResponse stored{session.account.id, key, fingerprint, response.status, kept.dump(),
                                  to_unix(instance_.clock().now())};
  // A concurrent call with the same key may have won the race: answer as it did.
  if (const auto earlier = ledger.remember(stored)) return replay(*earlier);
  return response;
}

}  // namespace lontar
