#include <gtest/gtest.h>

#include <sqlite3.h>

#include <string>
#include <thread>
#include <vector>

#include "storage/soci_store.h"
#include "support/temp_dir.h"

namespace lontar::storage {
namespace {

constexpr std::int64_t kMiB = 1024 * 1024;

// About 24 MiB of rows, written in a few transactions.
void fill(SociStore& store) {
  const std::string long_email = std::string(2000, 'e') + "@x.id";  // not indexed: plain pages
  for (int batch = 0; batch < 12; ++batch)
    store.write([&](StoreTransaction& tx) {
      for (int i = 0; i < 1000; ++i) {
        Account a;
        a.nik = std::to_string(5108010000000000LL + batch * 1000 + i);
        a.name = "user " + std::to_string(i);
        a.email = long_email;
        tx.accounts().insert(a);
      }
    });
}

// Every reader connection of the pool reads the whole table at once.
void read_everything_on_every_reader(SociStore& store) {
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t)
    readers.emplace_back([&] {
      store.read([&](StoreTransaction& tx) { EXPECT_EQ(tx.accounts().list().size(), 12000u); });
    });
  for (auto& r : readers) r.join();
}

// The same reads with and without the process's limit: without it the caches hold the
// table once per connection; with it SQLite stays near the limit however much is read.
TEST(SqliteMemoryLimit, CachesGiveBackPagesInsteadOfGrowingWithTheFile) {
  testing::TempDir dir;
  std::int64_t unlimited = 0;
  {
    SociStore store(DatabaseUrl::parse("sqlite:unlimited.db", dir.path()));
    fill(store);
    read_everything_on_every_reader(store);
    unlimited = sqlite3_memory_used();
  }
  EXPECT_GT(unlimited, 40 * kMiB) << "the reads should have filled several caches";

  SociStore store(DatabaseUrl::parse("sqlite:limited.db", dir.path()),
                  StoreOptions{.readers = 4, .max_group = 512, .sqlite_memory_mib = 4, .on_commit = {}});
  EXPECT_EQ(sqlite3_soft_heap_limit64(-1), 4 * kMiB);
  fill(store);
  read_everything_on_every_reader(store);
  EXPECT_LT(sqlite3_memory_used(), 8 * kMiB) << "unlimited: " << unlimited / kMiB << " MiB";
}

}  // namespace
}  // namespace lontar::storage
