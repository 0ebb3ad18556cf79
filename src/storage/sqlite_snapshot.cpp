#include "storage/sqlite_snapshot.h"

#include <sqlite3.h>

#include <memory>

#include "core/error.h"

namespace lontar::storage {

namespace {
struct CloseDatabase {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Database = std::unique_ptr<sqlite3, CloseDatabase>;

Database open_database(const std::filesystem::path& file, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  Database db(raw);
  if (rc != SQLITE_OK)
    throw Error(ErrorKind::unavailable, "snapshot_open",
                "Cannot open " + file.string() + ": " + (db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc)));
  sqlite3_busy_timeout(db.get(), 30000);
  return db;
}

struct FinishBackup {
  void operator()(sqlite3_backup* backup) const { sqlite3_backup_finish(backup); }
};
}  // namespace

void snapshot_sqlite(const std::filesystem::path& source, const std::filesystem::path& target) {
  if (std::filesystem::exists(target))
    throw Error(ErrorKind::internal, "snapshot_exists", target.string() + " exists already.");
  auto from = open_database(source, SQLITE_OPEN_READONLY);
  auto to = open_database(target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  std::unique_ptr<sqlite3_backup, FinishBackup> backup(sqlite3_backup_init(to.get(), "main", from.get(), "main"));
  if (!backup)
    throw Error(ErrorKind::unavailable, "snapshot_start", std::string("The snapshot could not start: ") +
                                                               sqlite3_errmsg(to.get()));
  // All pages in one step: one read transaction on the source, so one consistent state.
  int rc = SQLITE_BUSY;
  for (int attempt = 0; attempt < 600 && (rc == SQLITE_BUSY || rc == SQLITE_LOCKED); ++attempt) {
    rc = sqlite3_backup_step(backup.get(), -1);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(100);
  }
  if (rc != SQLITE_DONE)
    throw Error(ErrorKind::unavailable, "snapshot_failed", std::string("The snapshot failed: ") + sqlite3_errstr(rc));
  backup.reset();
  // The copy is a stand-alone file: no write-ahead log beside it.
  char* error = nullptr;
  sqlite3_exec(to.get(), "PRAGMA journal_mode=DELETE", nullptr, nullptr, &error);
  sqlite3_free(error);
}

}  // namespace lontar::storage
