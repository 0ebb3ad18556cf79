#pragma once

#include <functional>
#include <map>
#include <mutex>

#include "instance/failure_throttle.h"
#include "instance/instance.h"
#include "core/requests.h"
#include "core/sessions.h"
#include "http/router.h"

namespace lontar {

// The JSON API under /api/v1: the same operations and rules as the portal pages, for
// scripts and the LOCK tool. A session comes from POST /api/v1/session (the cookie);
// every mutating call also carries the session's CSRF token in X-CSRF-Token. Or the
// session token from the login answer as `Authorization: Bearer` (no CSRF header
// needed: a browser never sends it by itself).
// Described by /api/v1/openapi.json. Errors: {"error": {"code", "message"}}.
class Api final {
 public:
  explicit Api(Instance& instance, SessionPolicy policy = {});
  void add_routes(http::Router& router);

 private:
  AuthenticatedSession require_session(const http::HttpRequest& request, bool mutating) const;
  // Runs a mutating call once per Idempotency-Key: a retry gets the first answer.
  http::HttpResponse idempotent(const http::HttpRequest& request, const AuthenticatedSession& session,
                                const std::function<http::HttpResponse()>& call) const;

  // Requests, decisions, helpdesk (requests.cpp).
  http::HttpResponse list_requests(const http::HttpRequest& request) const;
  http::HttpResponse create_request(const http::HttpRequest& request) const;
  http::HttpResponse show_request(const http::HttpRequest& request) const;
  http::HttpResponse request_letter(const http::HttpRequest& request) const;
  // A change to /api/v1/requests/{id} by the signed-in account, answered with the request.
  using RequestChange = std::function<CertificateRequest(const http::HttpRequest&, const Account&, std::int64_t)>;
  http::HttpResponse change_request(const http::HttpRequest& request, const RequestChange& change) const;
  void add_request_routes(http::Router& router, std::size_t letter_limit);
  http::HttpResponse queue(const http::HttpRequest& request) const;
  http::HttpResponse accounts(const http::HttpRequest& request) const;
  http::HttpResponse unlock_account(const http::HttpRequest& request) const;
  // Signed documents (documents.cpp): public, no session.
  http::HttpResponse document(const http::HttpRequest& request) const;
  http::HttpResponse verify(const http::HttpRequest& request) const;
  http::HttpResponse sign_document(const http::HttpRequest& request) const;
  // Locally signed documents (lontar-lock sign): a fresh code, then the registration,
  // authenticated by the document's own signature.
  http::HttpResponse new_document_code(const http::HttpRequest& request) const;
  http::HttpResponse register_document(const http::HttpRequest& request) const;
  // The LOCK tool's calls: the CSR token is the credential (lock.cpp).
  http::HttpResponse lock_redeem(const http::HttpRequest& request);
  http::HttpResponse lock_submit(const http::HttpRequest& request);
  http::HttpResponse lock_status(const http::HttpRequest& request);
  http::HttpResponse token_guarded(const http::HttpRequest& request, const std::function<http::HttpResponse()>& call);
  http::HttpResponse login(const http::HttpRequest& request) const;
  http::HttpResponse certificates(const http::HttpRequest& request) const;
  http::HttpResponse revoke(const http::HttpRequest& request) const;

  Instance& instance_;
  SessionService sessions_;
  FailureThrottle token_failures_;
};

}  // namespace lontar
