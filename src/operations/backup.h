#pragma once

#include <filesystem>
#include <string>

#include "operations/manifest.h"

namespace lontar::operations {

struct BackupOptions {
  std::filesystem::path data;
  std::filesystem::path out;
  std::string passphrase;
  bool include_secrets = false;  // DATA/secrets (the demo CA passphrase, an HSM PIN)
  std::int64_t now = 0;
};

struct BackupReport {
  Manifest manifest;
  std::uint64_t bytes = 0;
};

// An encrypted backup of a data folder while its servers run: the database as one
// consistent snapshot, the configuration, CA certificates and (encrypted) keys, the
// token vault key and every kept document, behind a manifest. Written to a temporary
// file renamed into place, so `out` is either complete or absent.
BackupReport take_backup(const BackupOptions& options);

}  // namespace lontar::operations
