#include "core/account_administration.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/encoding.h"
#include "core/error.h"
#include "core/password.h"

namespace lontar {

namespace {
void require_admin(const Actor& actor) {
  if (actor.role != Role::admin)
    throw Error(ErrorKind::forbidden, "forbidden", "Only administrators can manage accounts and roles.");
}

void require_helpdesk(const Actor& actor) {
  if (!can_help(actor.role))
    throw Error(ErrorKind::forbidden, "forbidden", "Only the helpdesk and administrators can do this.");
}

Account require_account(StoreTransaction& tx, std::string_view nik) {
  auto account = tx.accounts().find_by_nik(nik);
  if (!account) throw Error(ErrorKind::not_found, "unknown_account", "No account has the NIK " + std::string(nik) + ".");
  return *account;
}

void audit(StoreTransaction& tx, const Actor& actor, const char* action, const Account& account, std::string details,
           std::int64_t now) {
  tx.audit().append({actor.audit_name, action, "account:" + account.nik, std::move(details)}, now);
}
}  // namespace

Actor Actor::person(const Account& account) { return Actor{audit_actor(account), account.role, account.nik}; }

Actor Actor::operator_named(std::string audit_name) { return Actor{std::move(audit_name), Role::admin, ""}; }

Account AccountAdministration::create(const Actor& actor, Account account) const {
  require_admin(actor);
  for (const auto& problem : {check_nik(account.nik), check_person_name(account.name), check_email(account.email)})
    if (!problem.empty()) throw Error(ErrorKind::invalid_input, "bad_account", problem);
  account.created_at = to_unix(clock_.now());
  store_.write([&](StoreTransaction& tx) {
    if (tx.accounts().find_by_nik(account.nik))
      throw Error(ErrorKind::conflict, "duplicate_nik", "An account with the NIK " + account.nik + " already exists.");
    account.id = tx.accounts().insert(account);
    audit(tx, actor, "account.created", account,
          nlohmann::json{{"role", to_string(account.role)}, {"name", account.name}}.dump(), account.created_at);
  });
  return account;
}

std::vector<Account> AccountAdministration::list(const Actor& actor) const {
  require_admin(actor);
  std::vector<Account> accounts;
  store_.read([&](StoreTransaction& tx) { accounts = tx.accounts().list(); });
  return accounts;
}

AccountSearch AccountAdministration::search(const Actor& actor, std::string_view text) const {
  require_helpdesk(actor);
  AccountSearch found;
  if (text.size() < 3) return found;
  // One more than is shown tells whether there are more, and the page stays ordered.
  store_.read([&](StoreTransaction& tx) { found.accounts = tx.accounts().search(text, AccountSearch::kShown + 1); });
  if (std::ssize(found.accounts) > AccountSearch::kShown) {
    found.more = true;
    found.accounts.pop_back();
  }
  return found;
}

AccountFile AccountAdministration::file(const Actor& actor, std::string_view nik) const {
  require_helpdesk(actor);
  AccountFile file;
  store_.read([&](StoreTransaction& tx) {
    file.account = require_account(tx, nik);
    file.requests = tx.requests().list_for_account(file.account.id);
    file.certificates = tx.certificates().list_for_account(file.account.id);
  });
  return file;
}

void AccountAdministration::set_role(const Actor& actor, std::string_view nik, Role role) const {
  require_admin(actor);
  const auto now = to_unix(clock_.now());
  store_.write([&](StoreTransaction& tx) {
    auto account = require_account(tx, nik);
    const auto before = account.role;
    if (before == Role::admin && role != Role::admin) {
      const auto accounts = tx.accounts().list();
      const auto admins = std::count_if(accounts.begin(), accounts.end(),
                                        [](const Account& a) { return a.role == Role::admin && !a.locked; });
      if (admins <= 1)
        throw Error(ErrorKind::policy, "last_admin",
                    "This is the last administrator: give another account the administrator role first.");
    }
    account.role = role;
    tx.accounts().update(account);
    audit(tx, actor, "account.role_changed", account,
          nlohmann::json{{"from", to_string(before)}, {"to", to_string(role)}}.dump(), now);
  });
}

void AccountAdministration::unlock(const Actor& actor, std::string_view nik) const {
  require_helpdesk(actor);
  const auto now = to_unix(clock_.now());
  store_.write([&](StoreTransaction& tx) {
    auto account = require_account(tx, nik);
    account.locked = false;
    account.locked_until = 0;
    account.failed_logins = 0;
    tx.accounts().update(account);
    audit(tx, actor, "account.unlocked", account, "{}", now);
  });
}

PasswordReset AccountAdministration::reset_password(const Actor& actor, std::string_view nik) const {
  require_helpdesk(actor);
  PasswordReset reset;
  reset.temporary_password = random_hex(random_, 8);
  const auto hash = hash_password(reset.temporary_password);
  const auto now = to_unix(clock_.now());
  store_.write([&](StoreTransaction& tx) {
    auto account = require_account(tx, nik);
    if (is_registration_authority(account))
      throw Error(ErrorKind::forbidden, "registration_authority",
                  "This account stands for a registration authority; nobody logs in with it.");
    // Whoever resets learns the new password: the helpdesk may do it for applicants only,
    // or it could take over a verifier's account and approve requests as them.
    if (account.role != Role::applicant && actor.role != Role::admin)
      throw Error(ErrorKind::forbidden, "forbidden", "Only an administrator can reset the password of a staff account.");
    account.password_hash = hash;
    account.must_change_password = true;
    account.locked = false;
    account.locked_until = 0;
    account.failed_logins = 0;
    tx.accounts().update(account);
    tx.sessions().remove_for_account(account.id, "");  // whoever held the old password is out
    audit(tx, actor, "account.password_reset", account, "{}", now);
    reset.account = account;
  });
  return reset;
}

}  // namespace lontar
