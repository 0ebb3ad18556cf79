#include "core/sessions.h"

#include "core/encoding.h"
#include "core/error.h"
#include "core/password.h"

namespace lontar {

namespace {
Error bad_credentials() {
  return Error(ErrorKind::unauthenticated, "bad_credentials",
               "The NIK or password is wrong, or the account is locked for a while after repeated failures.");
}

// Verified against when the NIK is unknown, so that answer costs the same Argon2id work.
const std::string& decoy_hash() {
  static const std::string hash = hash_password("decoy password that never matches 7f3a");
  return hash;
}
}  // namespace

LoginResult SessionService::login(std::string_view nik, std::string_view password) const {
  const auto now = to_unix(clock_.now());
  std::optional<Account> account;
  store_.read([&](StoreTransaction& tx) { account = tx.accounts().find_by_nik(nik); });
  if (!account || is_registration_authority(*account)) {
    (void)verify_password(decoy_hash(), password);
    throw bad_credentials();
  }
  const bool password_ok = verify_password(account->password_hash, password);
  const bool locked = is_locked(*account, now);
  if (!password_ok || locked) {
    if (!locked)
      store_.write([&](StoreTransaction& tx) { count_wrong_password(tx, account->id, lockout(), now); });
    throw bad_credentials();
  }
  LoginResult result;
  result.token = random_hex(random_, 32);
  result.session.id_hash = sha256_hex(result.token);
  result.session.account_id = account->id;
  result.session.csrf = random_hex(random_, 32);
  result.session.created_at = now;
  result.session.last_seen = now;
  store_.write([&](StoreTransaction& tx) {
    auto current = tx.accounts().find_by_id(account->id);
    if (current && current->failed_logins != 0) {
      current->failed_logins = 0;
      tx.accounts().update(*current);
    }
    tx.sessions().insert(result.session);
    tx.audit().append({audit_actor(*account), "session.login", "account:" + account->nik, "{}"}, now);
  });
  result.account = *account;
  return result;
}

std::optional<AuthenticatedSession> SessionService::authenticate(std::string_view token) const {
  if (token.size() != 64) return std::nullopt;
  const auto id_hash = sha256_hex(token);
  const auto now = to_unix(clock_.now());
  std::optional<AuthenticatedSession> found;
  store_.read([&](StoreTransaction& tx) {
    const auto session = tx.sessions().find(id_hash);
    if (!session) return;
    if (now - session->last_seen > policy_.idle_timeout.count() ||
        now - session->created_at > policy_.absolute_timeout.count())
      return;
    auto account = tx.accounts().find_by_id(session->account_id);
    if (!account || account->locked) return;
    found = AuthenticatedSession{*session, *account};
  });
  // Refreshing the idle clock at most once a minute keeps reads from becoming writes.
  if (found && now - found->session.last_seen >= 60)
    store_.write([&](StoreTransaction& tx) { tx.sessions().touch(id_hash, now); });
  return found;
}

void SessionService::change_password(std::int64_t account_id, std::string_view current,
                                     std::string_view replacement, std::string_view keep) const {
  if (auto problem = check_password_strength(replacement); !problem.empty())
    throw Error(ErrorKind::invalid_input, "weak_password", problem);
  if (current == replacement)
    throw Error(ErrorKind::invalid_input, "same_password", "The new password must differ from the current one.");
  const auto now = to_unix(clock_.now());
  confirm_password(store_, account_id, current, lockout(), now, "The current password is wrong.");
  const auto hash = hash_password(replacement);
  store_.write([&](StoreTransaction& tx) {
    auto account = tx.accounts().find_by_id(account_id);
    if (!account) throw Error(ErrorKind::unauthenticated, "wrong_password", "The current password is wrong.");
    account->password_hash = hash;
    account->must_change_password = false;
    tx.accounts().update(*account);
    tx.sessions().remove_for_account(account->id, keep);
    tx.audit().append({audit_actor(*account), "account.password_changed", "account:" + account->nik, "{}"}, now);
  });
}

void SessionService::logout(std::string_view token) const {
  const auto id_hash = sha256_hex(token);
  store_.write([&](StoreTransaction& tx) { tx.sessions().remove(id_hash); });
}

}  // namespace lontar
