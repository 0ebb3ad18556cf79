// The sealed archive a backup is written in, read back and attacked byte by byte.
#include <gtest/gtest.h>

#include <sodium.h>
#include <sys/resource.h>

#include <csignal>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "operations/backup_archive.h"
#include "operations/entry_compression.h"
#include "operations/manifest.h"
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

// A file whose bytes compress the way a database's do: repeated structure with
// random parts (keys and signatures) between.
std::string database_like(std::size_t size) {
  std::string out;
  unsigned char noise[32];
  for (std::uint64_t row = 0; out.size() < size; ++row) {
    out += "certificate row " + std::to_string(row) + " CN=Pegawai Universitas Pendidikan Ganesha;";
    randombytes_buf(noise, sizeof noise);
    out.append(reinterpret_cast<const char*>(noise), sizeof noise);
  }
  out.resize(size);
  return out;
}

struct Scratch {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("lontar-archive-test-" + std::to_string(::getpid()) + "-" +
                                ::testing::UnitTest::GetInstance()->current_test_info()->name());
  Scratch() { std::filesystem::create_directories(path); }
  ~Scratch() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  std::filesystem::path put(const std::string& name, const std::string& content) const {
    std::ofstream(path / name, std::ios::binary) << content;
    return path / name;
  }
  std::string get(const std::string& name) const {
    std::ifstream in(path / name, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
};

std::string seal_file(const std::filesystem::path& file, Packing packing) {
  std::ostringstream out;
  SealedWriter sealed(out, kPass, kCheap);
  ArchiveWriter archive(sealed);
  archive.add("MANIFEST.json", "{}", false);
  archive.add_file("database.sqlite", file, true, packing);
  archive.finish();
  return out.str();
}

TEST(BackupArchive, APackedEntryRestoresByteForByteAndIsSmaller) {
  Scratch scratch;
  // Larger than a compressed block and than zstd's output buffer, and not a multiple of either.
  const auto content = database_like(5 * 1024 * 1024 + 4321);
  const auto file = scratch.put("source.db", content);
  const auto packed = seal_file(file, Packing::zstd);
  const auto stored = seal_file(file, Packing::stored);
  EXPECT_LT(packed.size() * 2, stored.size()) << "packed " << packed.size() << ", stored " << stored.size();

  std::istringstream in(packed);
  SealedReader sealed(in, kPass);
  ArchiveReader archive(sealed);
  const auto manifest = archive.next();
  ASSERT_TRUE(manifest);
  EXPECT_FALSE(manifest->packed);
  EXPECT_EQ(archive.read_content(*manifest), "{}");
  const auto entry = archive.next();
  ASSERT_TRUE(entry);
  EXPECT_TRUE(entry->packed);
  EXPECT_TRUE(entry->private_file);
  EXPECT_EQ(entry->size, content.size());
  archive.extract(*entry, scratch.path / "restored.db");
  EXPECT_FALSE(archive.next());
  EXPECT_TRUE(scratch.get("restored.db") == content);
  EXPECT_EQ(std::filesystem::status(scratch.path / "restored.db").permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

// A disk that fills mid-restore (a file size limit stands in for it): the restore names
// the file it could not write, at the first refused write.
TEST(BackupArchive, ARestoreThatCannotWriteSaysSo) {
  Scratch scratch;
  const auto content = database_like(4 * 1024 * 1024);
  const auto packed = seal_file(scratch.put("source.db", content), Packing::zstd);
  std::istringstream in(packed);
  SealedReader sealed(in, kPass);
  ArchiveReader archive(sealed);
  archive.read_content(*archive.next());
  const auto entry = archive.next();
  ASSERT_TRUE(entry);

  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);  // a refused write, not a killed process
  rlimit old_limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  rlimit small = old_limit;
  small.rlim_cur = 256 * 1024;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  const auto message = expect_error([&] { archive.extract(*entry, scratch.path / "restored.db"); },
                                    ErrorKind::unavailable, "restore_write");
  ::setrlimit(RLIMIT_FSIZE, &old_limit);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_NE(message.find("restored.db"), std::string::npos) << message;
  EXPECT_LE(std::filesystem::file_size(scratch.path / "restored.db"), 256u * 1024);
}

TEST(BackupArchive, EmptyAndTinyFilesPackToo) {
  Scratch scratch;
  for (const std::string& content : {std::string(), std::string("x"), std::string(70000, 'z')}) {
    const auto packed = seal_file(scratch.put("source.db", content), Packing::zstd);
    const auto entries = open(packed);
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_TRUE(entries[1].second == content) << content.size() << " bytes";
  }
}

// What only someone holding the passphrase could write: a packed entry whose blocks
// disagree with its header. The reader must refuse each, not write a wrong database.
std::string u32(std::uint32_t v) {
  std::string out;
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  return out;
}
std::string u64(std::uint64_t v) {
  std::string out;
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  return out;
}
std::string zstd_frame(const std::string& content) {
  std::string frame;
  Compressor compressor([&](std::string_view block) { frame += block; });
  compressor.write(content);
  compressor.finish();
  return frame;
}
std::string forged(std::uint64_t declared, const std::vector<std::string>& blocks, bool terminated = true) {
  std::ostringstream out;
  SealedWriter sealed(out, kPass, kCheap);
  std::string body;
  body.push_back(0x12);  // private, packed
  body += u64(2) + "db" + u64(declared);
  for (const auto& block : blocks) body += u32(static_cast<std::uint32_t>(block.size())) + block;
  if (terminated) body += u32(0);
  body.push_back(0);  // the archive's end
  sealed.write(body);
  sealed.finish();
  return out.str();
}

TEST(BackupArchive, APackedEntryThatDisagreesWithItsHeaderIsRefused) {
  Scratch scratch;
  const std::string content = database_like(300000);
  const auto frame = zstd_frame(content);
  const auto extract = [&](const std::string& archive_bytes) {
    std::error_code ignored;
    std::filesystem::remove(scratch.path / "out.db", ignored);
    std::istringstream in(archive_bytes);
    SealedReader sealed(in, kPass);
    ArchiveReader archive(sealed);
    while (auto entry = archive.next()) archive.extract(*entry, scratch.path / "out.db");
  };
  // The forger's well-formed entry restores: the refusals below are for their flaws alone.
  extract(forged(content.size(), {frame}));
  EXPECT_TRUE(scratch.get("out.db") == content);

  const auto refused = [&](const std::string& archive_bytes, const std::string& why) {
    const auto message = expect_error([&] { extract(archive_bytes); }, ErrorKind::invalid_input, "backup_damaged");
    EXPECT_NE(message.find(why), std::string::npos) << message;
  };
  refused(forged(content.size() - 1, {frame}), "longer than its header");
  refused(forged(content.size() + 1, {frame}), "shorter than its header");
  refused(forged(content.size(), {frame.substr(0, frame.size() / 2)}), "ends early");
  refused(forged(content.size(), {frame, frame}), "after its end");
  refused(forged(content.size(), {frame + "trailing"}), "after its end");
  refused(forged(content.size(), {std::string(kMaxPackedBlock + 1, 'a')}), "larger than any writer makes");
  auto flipped = frame;
  flipped[frame.size() / 2] = static_cast<char>(flipped[frame.size() / 2] ^ 0x40);
  refused(forged(content.size(), {flipped}), "");
  refused(forged(content.size(), {"not zstd at all"}), "does not decompress");
  // Without its zero length the blocks run into the archive's end marker.
  refused(forged(content.size(), {frame}, false), "");
}

TEST(BackupArchive, ManifestFormatsOneAndTwoAreReadAndALaterOneIsNamed) {
  Manifest written;
  written.database = "sqlite";
  written.database_file = "lontar.db";
  EXPECT_EQ(written.format, 2);
  auto json = written.to_json();
  EXPECT_EQ(Manifest::from_json(json).format, 2);
  const std::string key = "\"format\": ";
  const auto at = json.find(key + "2");
  ASSERT_NE(at, std::string::npos) << json;
  json[at + key.size()] = '1';
  EXPECT_EQ(Manifest::from_json(json).format, 1);
  json[at + key.size()] = '3';
  const auto message = expect_error([&] { Manifest::from_json(json); }, ErrorKind::invalid_input, "backup_version");
  EXPECT_NE(message.find("format 3"), std::string::npos) << message;
}

}  // namespace
}  // namespace lontar::operations
