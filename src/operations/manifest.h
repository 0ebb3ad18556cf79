#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/store.h"

namespace lontar::operations {

// Format 2 may pack entries (a SQLite snapshot is compressed); format 1 never did, and
// a Lontar that reads only format 1 names the version instead of calling the file damaged.
inline constexpr int kManifestFormat = 2;

// The first entry of every backup: what the backup holds, so that a restore can prove
// it got all of it and an operator can see what it is without restoring it.
struct Manifest {
  int format = kManifestFormat;
  std::string lontar_version;
  std::int64_t created_at = 0;
  std::string source;         // the data folder it was taken from
  std::string database;       // "sqlite" or "postgresql"
  std::string database_file;  // SQLite: where the snapshot goes, relative to the data folder
  bool database_moved = false;  // the database lived outside the data folder
  bool secrets_included = false;
  Inventory inventory;
  std::int64_t audit_head_seq = 0;
  std::string audit_head_hash;
  std::vector<std::string> files;  // every entry after the manifest, the snapshot included

  std::string to_json() const;
  // Throws Error(invalid_input, "backup_damaged") when it is not a manifest.
  static Manifest from_json(const std::string& text);
};

inline constexpr const char* kManifestEntry = "MANIFEST.json";
inline constexpr const char* kDatabaseEntry = "database.sqlite";
inline constexpr const char* kPostgresDumpEntry = "database.pgdump";  // pg_dump's custom format

// What a store holds now, as a manifest records it.
void take_inventory(Store& store, Manifest& manifest);

}  // namespace lontar::operations
