#include "core/sessions.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/password.h"
#include "support/expect_error.h"
#include "support/fake_clock.h"
#include "support/test_instance.h"

namespace lontar {
namespace {

class SessionServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test_.instance().store().write([&](StoreTransaction& tx) {
      auto account = tx.accounts().find_by_nik("5108010101900001");
      account->password_hash = hash_password("Benar-sekali-2026");
      tx.accounts().update(*account);
    });
  }
  void expect_refused(std::string_view nik, std::string_view password) {
    testing::expect_error([&] { service_.login(nik, password); }, ErrorKind::unauthenticated, "bad_credentials");
  }

  testing::TestInstance test_;
  Account account_ = test_.add_account("5108010101900001");
  testing::FakeClock clock_{std::chrono::system_clock::now()};
  SessionService service_{test_.instance().store(), clock_, test_.instance().random()};
};

TEST_F(SessionServiceTest, LoginGivesAFreshTokenKeptOnlyAsAHash) {
  const auto first = service_.login("5108010101900001", "Benar-sekali-2026");
  const auto second = service_.login("5108010101900001", "Benar-sekali-2026");
  EXPECT_EQ(first.token.size(), 64u);
  EXPECT_NE(first.token, second.token);
  EXPECT_NE(first.session.id_hash, first.token);
  EXPECT_NE(first.session.csrf, second.session.csrf);
  const auto found = service_.authenticate(first.token);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->account.nik, "5108010101900001");
  EXPECT_FALSE(service_.authenticate(first.session.id_hash));  // the stored hash opens nothing
  EXPECT_FALSE(service_.authenticate("short"));
}

TEST_F(SessionServiceTest, UnknownNikAndWrongPasswordFailAlike) {
  expect_refused("9999999999999999", "Benar-sekali-2026");
  expect_refused("5108010101900001", "salah");
  expect_refused("", "");
}

TEST_F(SessionServiceTest, IdleAndAbsoluteTimeoutsEndSessions) {
  const auto login = service_.login("5108010101900001", "Benar-sekali-2026");
  clock_.advance(std::chrono::minutes{20});
  EXPECT_TRUE(service_.authenticate(login.token));  // refreshes the idle clock
  clock_.advance(std::chrono::minutes{20});
  EXPECT_TRUE(service_.authenticate(login.token));
  clock_.advance(std::chrono::minutes{31});
  EXPECT_FALSE(service_.authenticate(login.token)) << "idle timeout";

  const auto other = service_.login("5108010101900001", "Benar-sekali-2026");
  for (int i = 0; i < 26; ++i) {
    clock_.advance(std::chrono::minutes{29});
    if (i < 24) {
      EXPECT_TRUE(service_.authenticate(other.token)) << i;
    }
  }
  EXPECT_FALSE(service_.authenticate(other.token)) << "absolute timeout";
}

TEST_F(SessionServiceTest, RepeatedFailuresLockForAWhile) {
  for (int i = 0; i < 5; ++i) expect_refused("5108010101900001", "salah");
  expect_refused("5108010101900001", "Benar-sekali-2026");  // locked: the right password fails too
  clock_.advance(std::chrono::minutes{16});
  EXPECT_NO_THROW(service_.login("5108010101900001", "Benar-sekali-2026"));
  test_.instance().store().read([&](StoreTransaction& tx) {
    EXPECT_TRUE(tx.audit().has_event_for("account.temporarily_locked", "account:5108010101900001"));
  });
}

TEST_F(SessionServiceTest, PasswordChangeNeedsTheCurrentOneAndAStrongNewOne) {
  const auto expect_code = [&](std::string_view current, std::string_view next, const std::string& code) {
    try {
      service_.change_password(account_.id, current, next);
      ADD_FAILURE() << "changed with " << code;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), code);
    }
  };
  expect_code("salah-salah-1", "Baru-sekali-2026", "wrong_password");
  expect_code("Benar-sekali-2026", "pendek", "weak_password");
  expect_code("Benar-sekali-2026", "Benar-sekali-2026", "same_password");
  service_.change_password(account_.id, "Benar-sekali-2026", "Baru-sekali-2026");
  expect_refused("5108010101900001", "Benar-sekali-2026");
  EXPECT_NO_THROW(service_.login("5108010101900001", "Baru-sekali-2026"));
  test_.instance().store().read([&](StoreTransaction& tx) {
    EXPECT_FALSE(tx.accounts().find_by_id(account_.id)->must_change_password);
    EXPECT_TRUE(tx.audit().has_event_for("account.password_changed", "account:5108010101900001"));
  });
}

TEST_F(SessionServiceTest, APasswordChangeEndsEveryOtherSessionOfTheAccount) {
  const auto here = service_.login("5108010101900001", "Benar-sekali-2026");
  const auto elsewhere = service_.login("5108010101900001", "Benar-sekali-2026");  // another browser, or a bearer token
  auto other = test_.add_account("5108010101900002");
  test_.instance().store().write([&](StoreTransaction& tx) {
    other.password_hash = hash_password("Lain-sekali-2026");
    tx.accounts().update(other);
  });
  const auto someone_else = service_.login("5108010101900002", "Lain-sekali-2026");
  service_.change_password(account_.id, "Benar-sekali-2026", "Baru-sekali-2026", here.session.id_hash);
  EXPECT_TRUE(service_.authenticate(here.token));
  EXPECT_FALSE(service_.authenticate(elsewhere.token));
  EXPECT_TRUE(service_.authenticate(someone_else.token));
}

TEST_F(SessionServiceTest, LogoutEndsTheSession) {
  const auto login = service_.login("5108010101900001", "Benar-sekali-2026");
  service_.logout(login.token);
  EXPECT_FALSE(service_.authenticate(login.token));
}

// A password re-entered to confirm an action counts like a login: a stolen session
// cannot guess the password through the change-password form.
TEST_F(SessionServiceTest, WrongReentriesCountTowardsTheLockout) {
  const auto login = service_.login("5108010101900001", "Benar-sekali-2026");
  for (int i = 0; i < 5; ++i)
    testing::expect_error([&] { service_.change_password(account_.id, "tebakan-salah-1", "Baru-sekali-2027", ""); },
                          ErrorKind::unauthenticated, "wrong_password");
  testing::expect_error([&] { service_.change_password(account_.id, "Benar-sekali-2026", "Baru-sekali-2027", ""); },
                        ErrorKind::forbidden, "account_locked");
  expect_refused("5108010101900001", "Benar-sekali-2026");
  clock_.advance(std::chrono::minutes{16});
  EXPECT_NO_THROW(service_.change_password(account_.id, "Benar-sekali-2026", "Baru-sekali-2027", login.session.id_hash));
}

}  // namespace
}  // namespace lontar
