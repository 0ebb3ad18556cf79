#include "operations/backup.h"

#include <unistd.h>

#include <fstream>

#include "config/config.h"
#include "core/error.h"
#include "operations/backup_archive.h"
#include "storage/engine.h"
#include "storage/soci_store.h"
#include "storage/sqlite_snapshot.h"

namespace lontar::operations {

namespace fs = std::filesystem;

namespace {
// A scratch folder beside the backup for the snapshot, removed however the backup ends.
struct ScratchFolder {
  fs::path path;
  explicit ScratchFolder(const fs::path& near) {
    std::string pattern = (near.parent_path() / ".lontar-backup-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
      throw Error(ErrorKind::unavailable, "backup_scratch",
                  "Cannot create a scratch folder in " + near.parent_path().string() + ".");
    path = pattern;
  }
  ~ScratchFolder() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

bool is_database_file(const fs::path& file, const fs::path& database) {
  const auto name = file.string();
  const auto db = database.string();
  return name == db || name == db + "-wal" || name == db + "-shm" || name == db + "-journal";
}

// Every regular file of the data folder but the live database (its snapshot is taken
// instead) and, unless asked, the secrets; sorted, so two backups list alike.
std::vector<std::string> files_to_keep(const fs::path& data, const fs::path& database, bool include_secrets) {
  std::vector<std::string> out;
  const auto root = fs::canonical(data);
  const auto db = fs::weakly_canonical(database);
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    const auto relative = fs::relative(it->path(), root).generic_string();
    if (it->is_directory() && relative == "secrets" && !include_secrets) {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file() || it->is_symlink() || is_database_file(it->path(), db)) continue;
    out.push_back(relative);
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool private_file(const fs::path& file) {
  const auto perms = fs::status(file).permissions();
  return (perms & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none;
}
}  // namespace

BackupReport take_backup(const BackupOptions& options) {
  const auto config = load_config(options.data / "lontar.toml");
  const auto url = storage::DatabaseUrl::parse(config.database_url, options.data);
  if (url.engine != storage::Engine::sqlite)
    throw Error(ErrorKind::policy, "backup_postgresql",
                "This data folder keeps its database in PostgreSQL, which 'lontar backup' does not take yet: back "
                "it up with pg_dump and this folder with any file backup (see the README, \"Backup and restore\").");
  ScratchFolder scratch(options.out);
  const auto snapshot = scratch.path / "snapshot.db";
  storage::snapshot_sqlite(url.file, snapshot);

  BackupReport report;
  Manifest& m = report.manifest;
  m.lontar_version = LONTAR_VERSION;
  m.created_at = options.now;
  m.source = fs::absolute(options.data).lexically_normal().string();
  m.database = "sqlite";
  const auto relative_db = fs::weakly_canonical(url.file).lexically_relative(fs::canonical(options.data));
  m.database_moved = relative_db.empty() || relative_db.begin()->string() == "..";
  m.database_file = m.database_moved ? "lontar.db" : relative_db.generic_string();
  m.secrets_included = options.include_secrets;
  {
    storage::DatabaseUrl snapshot_url = storage::DatabaseUrl::parse("sqlite:" + snapshot.string(), scratch.path);
    storage::SociStore store(snapshot_url, storage::StoreOptions{.readers = 1, .max_group = 512, .on_commit = {}});
    take_inventory(store, m);
  }
  const auto files = files_to_keep(options.data, url.file, options.include_secrets);
  m.files = files;
  m.files.push_back(kDatabaseEntry);

  const auto partial = options.out.string() + ".partial";
  try {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(ErrorKind::unavailable, "backup_write", "Cannot write " + partial + ".");
    fs::permissions(partial, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
    SealedWriter sealed(out, options.passphrase);
    ArchiveWriter archive(sealed);
    archive.add(kManifestEntry, m.to_json(), false);
    for (const auto& name : files) archive.add_file(name, options.data / name, private_file(options.data / name));
    archive.add_file(kDatabaseEntry, snapshot, true);
    archive.finish();
  } catch (...) {
    std::error_code ignored;
    fs::remove(partial, ignored);
    throw;
  }
  fs::rename(partial, options.out);
  report.bytes = fs::file_size(options.out);
  return report;
}

}  // namespace lontar::operations
