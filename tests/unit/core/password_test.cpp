#include "core/password.h"

#include <gtest/gtest.h>

namespace lontar {
namespace {

TEST(Password, HashIsArgon2idAndVerifies) {
  const auto hash = hash_password("correct horse 42");
  EXPECT_TRUE(hash.starts_with("$argon2id$")) << hash;
  EXPECT_TRUE(verify_password(hash, "correct horse 42"));
  EXPECT_FALSE(verify_password(hash, "correct horse 43"));
  EXPECT_FALSE(verify_password("", "anything"));
  EXPECT_FALSE(verify_password("$argon2id$garbage", "anything"));
}

TEST(Password, SameInputHashesDifferently) {
  EXPECT_NE(hash_password("correct horse 42"), hash_password("correct horse 42"));
}

TEST(Password, StrengthRules) {
  EXPECT_EQ(check_password_strength("lontar-demo-2026"), "");
  EXPECT_EQ(check_password_strength("short1"), "The password must have at least 10 characters.");
  EXPECT_EQ(check_password_strength("onlyletterslong"), "The password must mix letters with digits or symbols.");
  EXPECT_EQ(check_password_strength("1234567890123"), "The password must mix letters with digits or symbols.");
}

}  // namespace
}  // namespace lontar
