#include "instance/data_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <thread>

#include "support/temp_dir.h"

namespace lontar {
namespace {

TEST(WriteFile, ReplacesRegularFilesAtomicallyWithTheRequestedMode) {
  testing::TempDir dir;
  const auto file = dir.path() / "key.pem";
  write_file(file, "old", false);
  write_file(file, "new secret", true);
  EXPECT_EQ(read_file(file), "new secret");
  EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "key.pem.tmp"));
}

// `--out /dev/null` or a pipe must be written into, never replaced by a regular file.
TEST(WriteFile, WritesIntoAPipeInsteadOfReplacingIt) {
  testing::TempDir dir;
  const auto fifo = dir.path() / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] {
    std::ifstream in(fifo);
    received.assign(std::istreambuf_iterator<char>(in), {});
  });
  write_file(fifo, "certificate bytes", false);
  reader.join();
  EXPECT_EQ(received, "certificate bytes");
  EXPECT_TRUE(std::filesystem::is_fifo(fifo));
}

}  // namespace
}  // namespace lontar
