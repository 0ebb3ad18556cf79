#pragma once

// The API's resources, one class each; each registers its own routes, reads the JSON
// body, calls a service of the domain and answers in JSON.

#include <functional>

#include <nlohmann/json.hpp>

#include "core/requests.h"
#include "core/sessions.h"
#include "http/router.h"
#include "instance/failure_throttle.h"
#include "instance/instance.h"

namespace lontar {

// What a stored answer may not keep (a CSR token), and how its replay gets it back.
struct AnswerSecrets {
  std::function<void(nlohmann::json&)> strip;    // before the answer is stored
  std::function<void(nlohmann::json&)> restore;  // before a stored answer is replayed
};

// Who is calling, shared by every resource (access.cpp).
class ApiAccess {
 public:
  ApiAccess(Instance& instance, SessionPolicy policy);
  Instance& instance() const noexcept { return instance_; }
  const SessionService& sessions() const noexcept { return sessions_; }
  // The session of a cookie (with its CSRF token when `mutating`) or a bearer token.
  AuthenticatedSession require_session(const http::HttpRequest& request, bool mutating) const;
  // Who is asking, when they are logged in (reads that anyone may make, shown more to some).
  std::optional<Account> viewer(const http::HttpRequest& request) const;
  // Runs a mutating call once per Idempotency-Key: a retry gets the first answer.
  // The ledger keeps no secret: not the request's passwords (its fingerprint leaves them
  // out), not what `secrets` strips from the answer.
  http::HttpResponse idempotent(const http::HttpRequest& request, const AuthenticatedSession& session,
                                const std::function<http::HttpResponse()>& call,
                                const AnswerSecrets& secrets = {}) const;

 private:
  Instance& instance_;
  SessionService sessions_;
};

class ApiResource {
 public:
  explicit ApiResource(const ApiAccess& access) : access_(access), instance_(access.instance()) {}

 protected:
  const ApiAccess& access_;
  Instance& instance_;
};

// Logging in, and the helpdesk's account search and unlock (accounts.cpp).
class AccountApi final : ApiResource {
 public:
  using ApiResource::ApiResource;
  void add_routes(http::Router& router);

 private:
  http::HttpResponse login(const http::HttpRequest& request) const;
  http::HttpResponse search(const http::HttpRequest& request) const;
  http::HttpResponse unlock(const http::HttpRequest& request) const;
  http::HttpResponse release_esign_key(const http::HttpRequest& request) const;
};

// A holder's certificates and their revocation (certificates.cpp).
class CertificateApi final : ApiResource {
 public:
  using ApiResource::ApiResource;
  void add_routes(http::Router& router);

 private:
  http::HttpResponse list(const http::HttpRequest& request) const;
  http::HttpResponse download(const http::HttpRequest& request) const;
  http::HttpResponse revoke(const http::HttpRequest& request) const;
};

// Requests, decisions and the verifiers' queue (requests.cpp).
class RequestApi final : ApiResource {
 public:
  using ApiResource::ApiResource;
  void add_routes(http::Router& router);

 private:
  http::HttpResponse list(const http::HttpRequest& request) const;
  http::HttpResponse create(const http::HttpRequest& request) const;
  http::HttpResponse show(const http::HttpRequest& request) const;
  http::HttpResponse letter(const http::HttpRequest& request) const;
  http::HttpResponse queue(const http::HttpRequest& request) const;
  // A change to /api/v1/requests/{id} by the signed-in account, answered with the request.
  using Change = std::function<CertificateRequest(const http::HttpRequest&, const Account&, std::int64_t)>;
  http::HttpResponse change(const http::HttpRequest& request, const Change& change) const;
  void add_change_routes(http::Router& router);
  AnswerSecrets token_kept_out(const Account& applicant) const;
};

// Signed documents: the public check and download, eSign signing, and registration of
// documents signed locally with lontar-lock (documents.cpp).
class DocumentApi final : ApiResource {
 public:
  using ApiResource::ApiResource;
  void add_routes(http::Router& router);

 private:
  http::HttpResponse document(const http::HttpRequest& request) const;
  http::HttpResponse withdraw(const http::HttpRequest& request) const;
  http::HttpResponse verify(const http::HttpRequest& request) const;
  http::HttpResponse sign(const http::HttpRequest& request) const;
  // A fresh code, then the registration, authenticated by the document's own signature.
  http::HttpResponse new_code(const http::HttpRequest& request) const;
  http::HttpResponse register_signed(const http::HttpRequest& request) const;
};

// The LOCK tool's calls: the CSR token is the credential (lock.cpp).
class LockApi final : ApiResource {
 public:
  explicit LockApi(const ApiAccess& access);
  void add_routes(http::Router& router);

 private:
  http::HttpResponse redeem(const http::HttpRequest& request);
  http::HttpResponse submit(const http::HttpRequest& request);
  http::HttpResponse status(const http::HttpRequest& request);
  http::HttpResponse token_guarded(const http::HttpRequest& request, const std::function<http::HttpResponse()>& call);

  FailureThrottle token_failures_;
};

// The limit of a JSON body that carries a recommendation letter (base64).
std::size_t letter_body_limit(const Instance& instance);

}  // namespace lontar
