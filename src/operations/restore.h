#pragma once

#include <filesystem>
#include <string>

#include "operations/manifest.h"

namespace lontar::operations {

struct RestoreOptions {
  std::filesystem::path in;
  std::filesystem::path data;  // must not exist, or be an empty folder
  std::string database_url;    // a PostgreSQL backup's new, empty database (postgresql://…)
  std::string passphrase;
  std::string actor;  // for the audit trail
  std::int64_t now_ms = 0;
};

struct RestoreReport {
  Manifest manifest;
  std::int64_t crl_number_before = 0;
  std::int64_t crl_number_after = 0;
};

// Restores a backup into a new data folder: every entry authenticated, every file the
// manifest lists present and nothing else, the database's counts and audit head equal
// to the manifest's. The folder appears only when all of it held. The CRL counter is
// then moved past any number the old instance can have handed out after the backup
// (to the restore time in milliseconds), and the restore is audited. A PostgreSQL
// backup is loaded with pg_restore into `database_url`, which must hold no Lontar
// schema yet, and the restored folder's configuration names that database.
RestoreReport restore_backup(const RestoreOptions& options);

}  // namespace lontar::operations
