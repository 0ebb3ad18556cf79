#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/account.h"
#include "core/clock.h"
#include "core/password_lockout.h"
#include "core/random.h"
#include "core/store.h"

namespace lontar {

struct SessionPolicy {
  std::chrono::seconds idle_timeout{std::chrono::minutes{30}};
  std::chrono::seconds absolute_timeout{std::chrono::hours{12}};
  int failures_before_lock = 5;
  std::chrono::seconds lock_duration{std::chrono::minutes{15}};
};

struct LoginResult {
  std::string token;  // goes to the browser only; the store keeps its hash
  Session session;
  Account account;
};

struct AuthenticatedSession {
  Session session;
  Account account;
};

// Log in with NIK and password, server-side sessions, temporary locks.
// An unknown NIK, a wrong password and a locked account all fail with the same
// error after the same Argon2id work, so the answer reveals no account.
class SessionService final {
 public:
  SessionService(Store& store, const Clock& clock, RandomSource& random, SessionPolicy policy = {})
      : store_(store), clock_(clock), random_(random), policy_(policy) {}

  // Throws Error(unauthenticated, "bad_credentials").
  LoginResult login(std::string_view nik, std::string_view password) const;
  // The session and its account, or nothing when unknown, idle or too old.
  std::optional<AuthenticatedSession> authenticate(std::string_view token) const;
  void logout(std::string_view token) const;
  // Ends every other session and bearer token of the account (`keep` is the id hash of
  // the session making the change). Throws Error(unauthenticated, "wrong_password") or
  // Error(invalid_input, "weak_password").
  void change_password(std::int64_t account_id, std::string_view current, std::string_view replacement,
                       std::string_view keep = {}) const;

 private:
  Store& store_;
  const Clock& clock_;
  RandomSource& random_;
  LockoutPolicy lockout() const { return {policy_.failures_before_lock, policy_.lock_duration}; }
  SessionPolicy policy_;
};

}  // namespace lontar
