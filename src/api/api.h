#pragma once

#include <memory>

#include "api/resources.h"

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
  ApiAccess access_;
  AccountApi accounts_;
  CertificateApi certificates_;
  RequestApi requests_;
  DocumentApi documents_;
  LockApi lock_;
};

}  // namespace lontar
