#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/account.h"
#include "core/store.h"

namespace lontar {

struct LockoutPolicy {
  int failures_before_lock = 5;
  std::chrono::seconds lock_duration{std::chrono::minutes{15}};
};

// Counts a wrong password against the account, whether typed at login or re-entered
// to confirm an action, and locks the account for a while after too many (audited).
void count_wrong_password(StoreTransaction& tx, std::int64_t account_id, const LockoutPolicy& policy,
                          std::int64_t now);

// Checks a password re-entered to confirm an action (revocation, a password change).
// A wrong one counts towards the lockout like a failed login, so a stolen session cannot
// guess the password through these forms; while the account is locked even the right
// one is refused. Throws Error(unauthenticated, "wrong_password", `wrong_message`) or
// Error(forbidden, "account_locked").
void confirm_password(Store& store, std::int64_t account_id, std::string_view password, const LockoutPolicy& policy,
                      std::int64_t now, const std::string& wrong_message);

}  // namespace lontar
