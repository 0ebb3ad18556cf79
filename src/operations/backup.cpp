#include "operations/backup.h"

#include <unistd.h>

#include <fstream>
#include <tuple>

#include "config/config.h"
#include "core/error.h"
#include "operations/backup_archive.h"
#include "storage/engine.h"
#include "storage/postgres_export.h"
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

// The database as one consistent copy in the scratch folder, the manifest's
// description of it filled in; returns the entry the copy is kept under.
std::string copy_database(const storage::DatabaseUrl& url, const fs::path& data, const fs::path& copy, Manifest& m) {
  if (url.engine == storage::Engine::postgresql) {
    storage::PostgresExport exported(url);
    m.database = "postgresql";
    m.inventory = exported.inventory();
    std::tie(m.audit_head_seq, m.audit_head_hash) = exported.audit_head();
    exported.dump(copy);
    return kPostgresDumpEntry;
  }
  storage::snapshot_sqlite(url.file, copy);
  m.database = "sqlite";
  const auto relative_db = fs::weakly_canonical(url.file).lexically_relative(fs::canonical(data));
  m.database_moved = relative_db.empty() || relative_db.begin()->string() == "..";
  m.database_file = m.database_moved ? "lontar.db" : relative_db.generic_string();
  storage::DatabaseUrl snapshot_url = storage::DatabaseUrl::parse("sqlite:" + copy.string(), copy.parent_path());
  storage::SociStore store(snapshot_url, storage::StoreOptions{.readers = 1, .max_group = 512, .on_commit = {}});
  take_inventory(store, m);
  return kDatabaseEntry;
}
}  // namespace

BackupReport take_backup(const BackupOptions& options) {
  const auto config = load_config(options.data / "lontar.toml");
  const auto url = storage::DatabaseUrl::parse(config.database_url, options.data);
  ScratchFolder scratch(options.out);
  const auto copy = scratch.path / "database.copy";

  BackupReport report;
  Manifest& m = report.manifest;
  m.lontar_version = LONTAR_VERSION;
  m.created_at = options.now;
  m.source = fs::absolute(options.data).lexically_normal().string();
  m.secrets_included = options.include_secrets;
  const auto database_entry = copy_database(url, options.data, copy, m);
  const auto files = files_to_keep(options.data, url.file, options.include_secrets);
  m.files = files;
  m.files.push_back(database_entry);

  const auto partial = options.out.string() + ".partial";
  try {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(ErrorKind::unavailable, "backup_write", "Cannot write " + partial + ".");
    fs::permissions(partial, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
    SealedWriter sealed(out, options.passphrase);
    ArchiveWriter archive(sealed);
    archive.add(kManifestEntry, m.to_json(), false);
    for (const auto& name : files) archive.add_file(name, options.data / name, private_file(options.data / name));
    // pg_dump's custom format is compressed already; a SQLite page file is not.
    const auto packing = m.database == "sqlite" ? Packing::zstd : Packing::stored;
    archive.add_file(database_entry, copy, true, packing);
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
