#include "lock/keystore.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>

#include "lock/messages.h"
#include "support/temp_dir.h"

namespace lontar::lock {
namespace {

namespace fs = std::filesystem;

unsigned mode_of(const fs::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 0777;
}

Enrolment enrolment(std::int64_t id) {
  Enrolment e;
  e.request_id = id;
  e.server = "https://ams.example.ac.id:443";
  e.token = "ABCD-EFGH-JKMN-PQRS-TVWX";
  e.product = "individual-1y";
  e.state = "submitted";
  e.key_algorithm = "ec-p256";
  return e;
}

TEST(Keystore, AnUncommittedEnrolmentLeavesNothingBehind) {
  testing::TempDir dir;
  const Keystore keystore(dir.path() / "store");
  fs::path staged;
  {
    const auto staging = keystore.stage();
    staged = staging->dir;
    write_private_file(staging->dir / "key.pem", "secret");
    EXPECT_TRUE(fs::exists(staged / "key.pem"));
  }
  EXPECT_FALSE(fs::exists(staged));
  EXPECT_TRUE(keystore.list().empty());
}

TEST(Keystore, ACommittedEnrolmentIsPrivateAndReadsBack) {
  testing::TempDir dir;
  const Keystore keystore(dir.path() / "store");
  auto staging = keystore.stage();
  write_private_file(staging->dir / "key.pem", "secret");
  const auto folder = keystore.commit(*staging, enrolment(42));
  EXPECT_EQ(folder, keystore.folder(42));
  EXPECT_EQ(mode_of(folder), 0700u);
  EXPECT_EQ(mode_of(folder / "key.pem"), 0600u);
  EXPECT_EQ(read_text_file(folder / "key.pem"), "secret");
  auto loaded = keystore.load(42);
  EXPECT_EQ(loaded.token, "ABCD-EFGH-JKMN-PQRS-TVWX");
  EXPECT_EQ(loaded.server, "https://ams.example.ac.id:443");
  loaded.state = "issued";
  keystore.save(loaded);
  EXPECT_EQ(keystore.load(42).state, "issued");
  ASSERT_EQ(keystore.list().size(), 1u);
  // A second enrolment for the same request does not overwrite the first key.
  auto again = keystore.stage();
  EXPECT_THROW(keystore.commit(*again, enrolment(42)), std::runtime_error);
  EXPECT_EQ(read_text_file(folder / "key.pem"), "secret");
  EXPECT_THROW(keystore.load(7), std::exception);
}

TEST(Messages, EveryKeyIsSaidInBothLanguagesAndTheFlagWins) {
  for (const char* key : {"token_unknown", "token_used", "untrusted", "unreachable", "passphrase_weak", "aborted"}) {
    const auto id = say(Lang::id, key);
    const auto en = say(Lang::en, key);
    EXPECT_NE(id, key);
    EXPECT_NE(en, key);
    EXPECT_NE(id, en) << key;
  }
  EXPECT_EQ(say(Lang::en, "no-such-key"), "no-such-key");  // a missing text shows its key, not nothing
  ::setenv("LANGUAGE", "en_GB", 1);
  EXPECT_EQ(choose_lang(""), Lang::en);
  EXPECT_EQ(choose_lang("id"), Lang::id);
  ::setenv("LANGUAGE", "id_ID", 1);
  EXPECT_EQ(choose_lang(""), Lang::id);
  EXPECT_EQ(choose_lang("en"), Lang::en);
  ::unsetenv("LANGUAGE");
}

}  // namespace
}  // namespace lontar::lock
