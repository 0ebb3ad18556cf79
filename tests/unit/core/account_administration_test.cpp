#include "core/account_administration.h"

#include <gtest/gtest.h>

#include "core/password.h"
#include "support/expect_error.h"
#include "support/test_instance.h"

namespace lontar {
namespace {

using testing::expect_error;

class AccountAdministrationTest : public ::testing::Test {
 protected:
  Account find(const std::string& nik) {
    std::optional<Account> account;
    test_.instance().store().read([&](StoreTransaction& tx) { account = tx.accounts().find_by_nik(nik); });
    EXPECT_TRUE(account) << nik;
    return account.value_or(Account{});
  }
  std::vector<AuditEvent> audit() {
    std::vector<AuditEvent> events;
    test_.instance().store().read(
        [&](StoreTransaction& tx) { tx.audit().for_each([&](const AuditEvent& e) { events.push_back(e); }); });
    return events;
  }

  testing::TestInstance test_;
  Account admin_ = test_.add_account("5108010101900001", "Admin Satu", "UPT TIK", Role::admin);
  Account helpdesk_ = test_.add_account("5108010101900002", "Helpdesk", "UPT TIK", Role::helpdesk);
  Account applicant_ = test_.add_account("5108010101900003", "Pemohon", "FT", Role::applicant);
  AccountAdministration accounts_ = test_.instance().accounts();
  const Actor as_admin_ = Actor::person(admin_);
  const Actor as_helpdesk_ = Actor::person(helpdesk_);
  const Actor as_applicant_ = Actor::person(applicant_);
};

TEST_F(AccountAdministrationTest, TheLastAdministratorKeepsTheRoleWhoeverAsks) {
  expect_error([&] { accounts_.set_role(as_admin_, admin_.nik, Role::verifier); }, ErrorKind::policy, "last_admin");
  const auto console = Actor::operator_named("cli:root");
  expect_error([&] { accounts_.set_role(console, admin_.nik, Role::applicant); }, ErrorKind::policy, "last_admin");
  EXPECT_EQ(find(admin_.nik).role, Role::admin);

  // With a second administrator, the first may step down, and the rule then guards the second.
  accounts_.set_role(console, applicant_.nik, Role::admin);
  accounts_.set_role(as_admin_, admin_.nik, Role::verifier);
  EXPECT_EQ(find(admin_.nik).role, Role::verifier);
  expect_error([&] { accounts_.set_role(Actor::person(find(applicant_.nik)), applicant_.nik, Role::auditor); },
               ErrorKind::policy, "last_admin");
}

TEST_F(AccountAdministrationTest, ALockedAdministratorDoesNotCountAsTheOtherOne) {
  auto other = test_.add_account("5108010101900009", "Admin Dua", "UPT TIK", Role::admin);
  test_.instance().store().write([&](StoreTransaction& tx) {
    other.locked = true;
    tx.accounts().update(other);
  });
  expect_error([&] { accounts_.set_role(as_admin_, admin_.nik, Role::verifier); }, ErrorKind::policy, "last_admin");
}

TEST_F(AccountAdministrationTest, OnlyAdministratorsChangeRolesAndListAccounts) {
  expect_error([&] { accounts_.set_role(as_helpdesk_, applicant_.nik, Role::admin); }, ErrorKind::forbidden,
               "forbidden");
  expect_error([&] { accounts_.set_role(as_applicant_, applicant_.nik, Role::admin); }, ErrorKind::forbidden,
               "forbidden");
  expect_error([&] { accounts_.list(as_helpdesk_); }, ErrorKind::forbidden, "forbidden");
  EXPECT_EQ(find(applicant_.nik).role, Role::applicant);
  accounts_.set_role(as_admin_, applicant_.nik, Role::verifier);
  const auto events = audit();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().action, "account.role_changed");
  EXPECT_EQ(events.back().actor, "nik:" + admin_.nik);
  EXPECT_EQ(events.back().object, "account:" + applicant_.nik);
  EXPECT_EQ(accounts_.list(as_admin_).size(), 3u);
}

TEST_F(AccountAdministrationTest, TheHelpdeskFindsPeopleAndLiftsLocks) {
  test_.instance().store().write([&](StoreTransaction& tx) {
    auto locked = applicant_;
    locked.failed_logins = 3;
    locked.locked_until = to_unix(test_.instance().clock().now()) + 600;
    tx.accounts().update(locked);
  });
  EXPECT_TRUE(is_locked(find(applicant_.nik), to_unix(test_.instance().clock().now())));
  expect_error([&] { accounts_.search(as_applicant_, "Pemohon"); }, ErrorKind::forbidden, "forbidden");
  expect_error([&] { accounts_.unlock(as_applicant_, applicant_.nik); }, ErrorKind::forbidden, "forbidden");
  EXPECT_TRUE(accounts_.search(as_helpdesk_, "Pe").accounts.empty());  // three characters at least
  ASSERT_EQ(accounts_.search(as_helpdesk_, "Pemohon").accounts.size(), 1u);
  EXPECT_FALSE(accounts_.search(as_helpdesk_, "Pemohon").more);
  EXPECT_EQ(accounts_.file(as_helpdesk_, applicant_.nik).account.id, applicant_.id);
  expect_error([&] { accounts_.file(as_helpdesk_, "5108010101909999"); }, ErrorKind::not_found, "unknown_account");

  accounts_.unlock(as_helpdesk_, applicant_.nik);
  const auto unlocked = find(applicant_.nik);
  EXPECT_FALSE(is_locked(unlocked, to_unix(test_.instance().clock().now())));
  EXPECT_EQ(unlocked.failed_logins, 0);
  EXPECT_EQ(audit().back().action, "account.unlocked");
}

TEST_F(AccountAdministrationTest, APasswordResetGivesATemporaryPasswordThatMustBeChanged) {
  test_.instance().store().write([&](StoreTransaction& tx) {
    auto account = applicant_;
    account.password_hash = hash_password("Sandi-Lama-2026");
    tx.accounts().update(account);
  });
  const auto sessions = test_.instance().sessions(SessionPolicy{});
  const auto before = sessions.login(applicant_.nik, "Sandi-Lama-2026");
  ASSERT_TRUE(sessions.authenticate(before.token));
  const auto reset = accounts_.reset_password(as_helpdesk_, applicant_.nik);
  EXPECT_GE(reset.temporary_password.size(), 16u);
  const auto account = find(applicant_.nik);
  EXPECT_TRUE(verify_password(account.password_hash, reset.temporary_password));
  EXPECT_TRUE(account.must_change_password);
  EXPECT_FALSE(sessions.authenticate(before.token));  // whoever held the old password is out
  EXPECT_EQ(audit().back().action, "account.password_reset");
  EXPECT_EQ(audit().back().details.find(reset.temporary_password), std::string::npos);
  // The helpdesk learns the password it sets, so it cannot take over a staff account this
  // way (a verifier's would let it approve requests); an administrator can.
  const auto verifier = test_.add_account("5108010101900008", "Verifikator", "UPT TIK", Role::verifier);
  expect_error([&] { accounts_.reset_password(as_helpdesk_, verifier.nik); }, ErrorKind::forbidden, "forbidden");
  expect_error([&] { accounts_.reset_password(as_helpdesk_, admin_.nik); }, ErrorKind::forbidden, "forbidden");
  expect_error([&] { accounts_.reset_password(as_applicant_, applicant_.nik); }, ErrorKind::forbidden, "forbidden");
  EXPECT_NO_THROW(accounts_.reset_password(as_admin_, verifier.nik));
}

TEST_F(AccountAdministrationTest, CreatingChecksTheFieldsAndRefusesATakenNik) {
  Account fresh;
  fresh.nik = "5108010101900004";
  fresh.name = "Made Wirawan";
  fresh.email = "made@example.ac.id";
  fresh.password_hash = hash_password("Sandi-Awal-2026");
  expect_error([&] { accounts_.create(as_helpdesk_, fresh); }, ErrorKind::forbidden, "forbidden");
  EXPECT_GT(accounts_.create(as_admin_, fresh).id, 0);
  expect_error([&] { accounts_.create(as_admin_, fresh); }, ErrorKind::conflict, "duplicate_nik");
  auto bad = fresh;
  bad.nik = "12";
  expect_error([&] { accounts_.create(as_admin_, bad); }, ErrorKind::invalid_input, "bad_account");
}

TEST_F(AccountAdministrationTest, AHelpdeskSearchMatchingMoreThanAPageSaysThereIsMore) {
  for (int i = 0; i < AccountSearch::kShown + 5; ++i)
    test_.add_account("51080101019" + std::to_string(10000 + i), "Putu Ayu " + std::to_string(i), "FT",
                      Role::applicant);
  const auto page = accounts_.search(as_helpdesk_, "putu ayu");
  EXPECT_TRUE(page.more);
  ASSERT_EQ(std::ssize(page.accounts), AccountSearch::kShown);
  for (const auto& a : page.accounts) EXPECT_EQ(a.name.rfind("Putu Ayu ", 0), 0u) << a.name;
  const auto exact = accounts_.search(as_helpdesk_, "putu ayu 7");
  EXPECT_FALSE(exact.more);
  EXPECT_EQ(exact.accounts.size(), 1u);
}

}  // namespace
}  // namespace lontar
