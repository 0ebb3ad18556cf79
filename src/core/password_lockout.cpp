#include "core/password_lockout.h"

#include "core/error.h"
#include "core/password.h"

namespace lontar {

void count_wrong_password(StoreTransaction& tx, std::int64_t account_id, const LockoutPolicy& policy,
                          std::int64_t now) {
  auto current = tx.accounts().find_by_id(account_id);
  if (!current) return;
  ++current->failed_logins;
  if (current->failed_logins >= policy.failures_before_lock) {
    current->locked_until = now + policy.lock_duration.count();
    current->failed_logins = 0;
    tx.audit().append({"system", "account.temporarily_locked", "account:" + current->nik, "{}"}, now);
  }
  tx.accounts().update(*current);
}

void confirm_password(Store& store, std::int64_t account_id, std::string_view password, const LockoutPolicy& policy,
                      std::int64_t now, const std::string& wrong_message) {
  std::optional<Account> account;
  store.read([&](StoreTransaction& tx) { account = tx.accounts().find_by_id(account_id); });
  if (!account) throw Error(ErrorKind::unauthenticated, "wrong_password", wrong_message);
  if (is_locked(*account, now))
    throw Error(ErrorKind::forbidden, "account_locked",
                "Too many wrong passwords: the account is locked for a while. Try again later or ask the helpdesk.");
  if (verify_password(account->password_hash, password)) {
    if (account->failed_logins != 0)
      store.write([&](StoreTransaction& tx) {
        if (auto current = tx.accounts().find_by_id(account_id)) {
          current->failed_logins = 0;
          tx.accounts().update(*current);
        }
      });
    return;
  }
  store.write([&](StoreTransaction& tx) { count_wrong_password(tx, account_id, policy, now); });
  throw Error(ErrorKind::unauthenticated, "wrong_password", wrong_message);
}

}  // namespace lontar
