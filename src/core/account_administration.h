#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/account.h"
#include "core/certificate_record.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/request.h"
#include "core/store.h"

namespace lontar {

// Who changes an account: a signed-in person, whose role decides what they may do, or
// the operator at the machine (`lontar user ...`), who may do what an administrator may.
struct Actor {
  std::string audit_name;  // "nik:…" or "cli:…"
  Role role = Role::applicant;
  std::string nik;         // empty for the operator

  static Actor person(const Account& account);
  static Actor operator_named(std::string audit_name);
};

// What the helpdesk sees of one person.
struct AccountFile {
  Account account;
  std::vector<CertificateRequest> requests;
  std::vector<CertificateRecord> certificates;
};

// A page of the helpdesk's search; `more` says the text matches more people than are
// shown, and the helpdesk should type more of the name or the NIK.
struct AccountSearch {
  static constexpr std::int64_t kShown = 50;
  std::vector<Account> accounts;
  bool more = false;
};

struct PasswordReset {
  Account account;
  std::string temporary_password;  // shown once to the one who reset it
};

// Accounts and roles, the same rules whichever front end asks (portal, API, CLI): only
// administrators create accounts and change roles, the last administrator keeps the
// role, the helpdesk looks people up and lifts locks. Every change is audited.
class AccountAdministration final {
 public:
  AccountAdministration(Store& store, const Clock& clock, RandomSource& random)
      : store_(store), clock_(clock), random_(random) {}

  // `account.password_hash` is set by the caller. Throws conflict for a NIK in use.
  Account create(const Actor& actor, Account account) const;
  std::vector<Account> list(const Actor& actor) const;
  // Accounts whose NIK, or a word of whose name, starts with `text` (at least 3 characters).
  AccountSearch search(const Actor& actor, std::string_view text) const;
  AccountFile file(const Actor& actor, std::string_view nik) const;
  // Throws policy "last_admin" when it would leave the institution without an administrator.
  void set_role(const Actor& actor, std::string_view nik, Role role) const;
  void unlock(const Actor& actor, std::string_view nik) const;
  // A temporary password the person must change at the next login; every lock is lifted
  // and every session of the account ends. The helpdesk may reset applicants only; a
  // staff account (verifier, helpdesk, auditor, admin) needs an administrator.
  PasswordReset reset_password(const Actor& actor, std::string_view nik) const;

 private:
  Store& store_;
  const Clock& clock_;
  RandomSource& random_;
};

}  // namespace lontar
