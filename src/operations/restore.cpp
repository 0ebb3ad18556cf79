#include "operations/restore.h"

#include <unistd.h>

#include <fstream>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "operations/backup_archive.h"
#include "storage/engine.h"
#include "storage/postgres_export.h"
#include "storage/soci_store.h"

namespace lontar::operations {

namespace fs = std::filesystem;

namespace {
[[noreturn]] void refused(const std::string& why) {
  throw Error(ErrorKind::invalid_input, "backup_refused", "The backup was not restored: " + why + ".");
}

// The staging folder; removed unless the restore completes and renames it.
struct Staging {
  fs::path path;
  bool keep = false;
  explicit Staging(const fs::path& data) {
    std::string name(".");  // built by appending: GCC 12 misreads "." + string at -O3 (-Wrestrict)
    name += data.filename().string();
    name += ".restoring-";
    name += std::to_string(::getpid());
    path = data.parent_path() / name;
    std::error_code ignored;
    fs::remove_all(path, ignored);
    fs::create_directories(path);
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::replace);
  }
  ~Staging() {
    if (keep) return;
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

void require_empty_target(const fs::path& data) {
  if (!fs::exists(data)) return;
  if (!fs::is_directory(data) || !fs::is_empty(data))
    throw Error(ErrorKind::conflict, "restore_target_used",
                data.string() + " is not empty: restore into a new folder (a restore never overwrites).");
}

// The restored folder's configuration names the restored database: a SQLite file that
// lived outside the old folder is now inside the new one; PostgreSQL is the new database.
void point_config_at(const fs::path& config, const std::string& url) {
  std::string quoted = "\"";
  for (const char c : url) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += '"';
  std::ifstream in(config);
  std::string text, line;
  while (std::getline(in, line)) {
    if (line.starts_with("url = \"sqlite:") || line.starts_with("url = \"postgres")) line = "url = " + quoted;
    text += line + "\n";
  }
  in.close();
  std::ofstream(config, std::ios::trunc) << text;
}

void compare_with_manifest(Store& store, const Manifest& manifest) {
  Manifest found;
  take_inventory(store, found);
  const auto& a = manifest.inventory;
  const auto& b = found.inventory;
  if (a.accounts != b.accounts || a.requests != b.requests || a.certificates != b.certificates ||
      a.revoked_certificates != b.revoked_certificates || a.documents != b.documents ||
      a.audit_events != b.audit_events || a.crl_number != b.crl_number)
    refused("the database's counts differ from the manifest's");
  if (found.audit_head_seq != manifest.audit_head_seq || found.audit_head_hash != manifest.audit_head_hash)
    refused("the database's audit head differs from the manifest's");
}

void extract_all(ArchiveReader& archive, const Manifest& manifest, const fs::path& staging) {
  std::set<std::string> expected(manifest.files.begin(), manifest.files.end());
  std::set<std::string> seen;
  while (auto entry = archive.next()) {
    if (!expected.contains(entry->name)) refused(entry->name + " is not in the manifest");
    if (!seen.insert(entry->name).second) refused(entry->name + " appears twice");
    const bool sqlite_copy = entry->name == kDatabaseEntry && manifest.database == "sqlite";
    const auto target = sqlite_copy ? staging / manifest.database_file : staging / entry->name;
    archive.extract(*entry, target);
  }
  if (seen.size() != expected.size()) refused("files the manifest lists are missing");
}

// Where the restored database lives, once its copy is in place and loaded.
storage::DatabaseUrl place_database(const RestoreOptions& options, const Manifest& manifest, const fs::path& staging) {
  if (manifest.database == "sqlite") {
    if (manifest.database_moved) point_config_at(staging / "lontar.toml", "sqlite:lontar.db");
    return storage::DatabaseUrl::parse("sqlite:" + manifest.database_file, staging);
  }
  const auto url = storage::DatabaseUrl::parse(options.database_url, staging);
  const auto dump = staging / kPostgresDumpEntry;
  storage::restore_postgres_dump(url, dump);
  fs::remove(dump);
  point_config_at(staging / "lontar.toml", options.database_url);
  return url;
}

void check_database_kind(const RestoreOptions& options, const Manifest& manifest) {
  if (manifest.database == "sqlite") {
    if (!options.database_url.empty())
      throw Error(ErrorKind::invalid_input, "restore_db_unused",
                  "This backup holds a SQLite database, restored inside the new folder: leave out --db.");
    require_safe_entry_name(manifest.database_file);
  } else if (manifest.database == "postgresql") {
    if (!options.database_url.starts_with("postgres"))
      throw Error(ErrorKind::invalid_input, "restore_db_needed",
                  "This backup holds a PostgreSQL database: name a new, empty database to load it into with "
                  "--db postgresql://user@host:port/dbname.");
  } else {
    refused("its database kind is not one this Lontar restores");
  }
}
}  // namespace

RestoreReport restore_backup(const RestoreOptions& options) {
  require_empty_target(options.data);
  std::ifstream in(options.in, std::ios::binary);
  if (!in) throw Error(ErrorKind::not_found, "backup_missing", "Cannot read " + options.in.string() + ".");
  SealedReader sealed(in, options.passphrase);
  ArchiveReader archive(sealed);
  const auto first = archive.next();
  if (!first || first->name != kManifestEntry) refused("it does not start with its manifest");
  RestoreReport report;
  report.manifest = Manifest::from_json(archive.read_content(*first));
  const auto& manifest = report.manifest;
  check_database_kind(options, manifest);

  Staging staging(options.data);
  extract_all(archive, manifest, staging.path);
  // A PostgreSQL restore refused after the load takes out what it loaded, so the same
  // empty database can be named again.
  std::optional<storage::PostgresObjects> before_load;
  if (manifest.database == "postgresql")
    before_load = storage::postgres_objects(storage::DatabaseUrl::parse(options.database_url, staging.path));
  try {
    const auto url = place_database(options, manifest, staging.path);
    storage::SociStore store(url, storage::StoreOptions{.readers = 1, .max_group = 512, .on_commit = {}});
    compare_with_manifest(store, manifest);
    report.crl_number_before = manifest.inventory.crl_number;
    report.crl_number_after = std::max(manifest.inventory.crl_number + 1, options.now_ms);
    const nlohmann::json details = {{"backup_created_at", manifest.created_at},
                                    {"source", manifest.source},
                                    {"crl_number_before", report.crl_number_before},
                                    {"crl_number", report.crl_number_after}};
    store.write([&](StoreTransaction& tx) {
      tx.inventory().raise_crl_number(report.crl_number_after);
      tx.audit().append({options.actor, "backup.restored", "data_folder", details.dump()}, options.now_ms / 1000);
    });
  } catch (const std::exception& e) {
    if (!before_load) throw;
    const auto url = storage::DatabaseUrl::parse(options.database_url, staging.path);
    int removed = 0;
    try {
      removed = storage::drop_postgres_objects_since(url, *before_load);
    } catch (const std::exception&) {  // the refusal is what the operator must read first
    }
    const auto* error = dynamic_cast<const Error*>(&e);
    if (removed == 0 || !error) throw;
    throw Error(error->kind(), error->code(),
                std::string(e.what()) + " What it had loaded into " + url.display + " was removed again.");
  }
  if (fs::exists(options.data)) fs::remove(options.data);
  fs::rename(staging.path, options.data);
  staging.keep = true;
  return report;
}

}  // namespace lontar::operations
