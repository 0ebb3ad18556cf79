#include "operations/restore.h"

#include <unistd.h>

#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "operations/backup_archive.h"
#include "storage/engine.h"
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
  explicit Staging(const fs::path& data)
      : path(data.parent_path() / ("." + data.filename().string() + ".restoring-" + std::to_string(::getpid()))) {
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

// A database outside the old data folder is restored inside the new one.
void point_config_at_restored_database(const fs::path& config) {
  std::ifstream in(config);
  std::string text, line;
  while (std::getline(in, line)) {
    if (line.starts_with("url = \"sqlite:")) line = "url = \"sqlite:lontar.db\"";
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
    const auto target = entry->name == kDatabaseEntry ? staging / manifest.database_file : staging / entry->name;
    archive.extract(*entry, target);
  }
  if (seen.size() != expected.size()) refused("files the manifest lists are missing");
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
  if (manifest.database != "sqlite") refused("its database kind is not one this Lontar restores");
  require_safe_entry_name(manifest.database_file);

  Staging staging(options.data);
  extract_all(archive, manifest, staging.path);
  if (manifest.database_moved) point_config_at_restored_database(staging.path / "lontar.toml");
  {
    const auto url = storage::DatabaseUrl::parse("sqlite:" + manifest.database_file, staging.path);
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
  }
  if (fs::exists(options.data)) fs::remove(options.data);
  fs::rename(staging.path, options.data);
  staging.keep = true;
  return report;
}

}  // namespace lontar::operations
