// The sealed archive a backup is written in, read back and attacked byte by byte.
#include <gtest/gtest.h>

#include <sstream>

#include "operations/backup_archive.h"
#include "support/expect_error.h"

namespace lontar::operations {
namespace {

using lontar::testing::expect_error;
constexpr std::string_view kPass = "correct horse battery staple";
// The smallest cost a reader accepts: these tests open hundreds of archives.
constexpr KeyCost kCheap{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};

std::string seal(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::ostringstream out;
  SealedWriter sealed(out, kPass, kCheap);
  ArchiveWriter archive(sealed);
  for (const auto& [name, content] : entries) archive.add(name, content, false);
  archive.finish();
  return out.str();
}

std::vector<std::pair<std::string, std::string>> open(const std::string& bytes, std::string_view pass = kPass) {
  std::istringstream in(bytes);
  SealedReader sealed(in, pass);
  ArchiveReader archive(sealed);
  std::vector<std::pair<std::string, std::string>> out;
  while (auto entry = archive.next()) out.emplace_back(entry->name, archive.read_content(*entry));
  return out;
}

TEST(BackupArchive, RoundTripsAcrossChunkBoundaries) {
  // 64 KiB chunks: an entry ending exactly on a boundary leaves an empty final chunk.
  const std::string exact(64 * 1024 - 1 - 8 - 1 - 8, 'x');
  const std::string big(200 * 1024 + 17, 'y');
  const std::vector<std::pair<std::string, std::string>> entries = {
      {"a", exact}, {"ca/issuing.crt", big}, {"documents/ab/empty", ""}};
  EXPECT_EQ(open(seal(entries)), entries);
  EXPECT_EQ(open(seal({})).size(), 0u);
}

TEST(BackupArchive, EveryChangedByteIsRefused) {
  const auto sealed = seal({{"lontar.toml", std::string(3000, 'c')}});
  // Every byte of a small backup, header included: none may read as valid.
  for (std::size_t i = 0; i < sealed.size(); i += 7) {
    auto changed = sealed;
    changed[i] = static_cast<char>(changed[i] ^ 0x20);
    EXPECT_THROW(open(changed), Error) << "byte " << i;
  }
}

TEST(BackupArchive, TruncatedExtendedAndWrongPassphraseAreRefused) {
  const auto sealed = seal({{"x", "payload"}});
  expect_error([&] { open(sealed, "another passphrase"); }, ErrorKind::invalid_input, "backup_wrong_passphrase");
  expect_error([&] { open(sealed.substr(0, sealed.size() - 1)); }, ErrorKind::invalid_input, "backup_damaged");
  expect_error([&] { open(sealed + "z"); }, ErrorKind::invalid_input, "backup_damaged");
  expect_error([&] { open(sealed + sealed); }, ErrorKind::invalid_input, "backup_damaged");
  expect_error([&] { open("PK\x03\x04 a zip file"); }, ErrorKind::invalid_input, "not_a_backup");
}

TEST(BackupArchive, NamesCannotLeaveTheFolder) {
  for (const std::string bad : {"../x", "a/../../x", "/etc/passwd", "a//b", "./x", "a/", "", "a\\b", "a b", "x/.."})
    expect_error([&] { require_safe_entry_name(bad); }, ErrorKind::invalid_input, "backup_damaged");
  for (const std::string good : {"lontar.toml", "ca/issuing.key", "documents/ab/abcd.p1.png", "database.sqlite"})
    EXPECT_NO_THROW(require_safe_entry_name(good)) << good;
  // A writer refuses to write such a name, so only a forged archive could hold one.
  std::ostringstream out;
  SealedWriter sealed(out, kPass, kCheap);
  ArchiveWriter archive(sealed);
  expect_error([&] { archive.add("../escape", "x", false); }, ErrorKind::invalid_input, "backup_damaged");
}

}  // namespace
}  // namespace lontar::operations
