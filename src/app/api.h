#pragma once

#include "app/instance.h"
#include "core/sessions.h"
#include "http/router.h"

namespace lontar {

// The JSON API under /api/v1: the same operations and rules as the portal pages, for
// scripts and the LOCK tool. A session comes from POST /api/v1/session (the cookie);
// every mutating call also carries the session's CSRF token in X-CSRF-Token.
// Described by /api/v1/openapi.json. Errors: {"error": {"code", "message"}}.
class Api final {
 public:
  explicit Api(Instance& instance, SessionPolicy policy = {});
  void add_routes(http::Router& router);

 private:
  AuthenticatedSession require_session(const http::HttpRequest& request, bool mutating) const;
  http::HttpResponse login(const http::HttpRequest& request) const;
  http::HttpResponse certificates(const http::HttpRequest& request) const;
  http::HttpResponse revoke(const http::HttpRequest& request) const;

  Instance& instance_;
  SessionService sessions_;
};

}  // namespace lontar
