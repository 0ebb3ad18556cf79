#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "core/store.h"
#include "storage/engine.h"

namespace soci {
class session;
}

namespace lontar::storage {

// A consistent export of a PostgreSQL database while servers keep writing to it: one
// REPEATABLE READ transaction exports its snapshot (pg_export_snapshot), pg_dump reads
// exactly that snapshot, and the manifest's counts are taken in it too, so the dump
// and its manifest describe the same moment.
class PostgresExport final {
 public:
  explicit PostgresExport(const DatabaseUrl& url);
  ~PostgresExport();
  PostgresExport(const PostgresExport&) = delete;
  PostgresExport& operator=(const PostgresExport&) = delete;

  Inventory inventory();
  std::pair<std::int64_t, std::string> audit_head();
  // pg_dump's custom format of the snapshot, written to `file`.
  void dump(const std::filesystem::path& file);

 private:
  DatabaseUrl url_;
  std::unique_ptr<soci::session> sql_;
  std::string snapshot_;
};

// Loads a dump made by PostgresExport into `url`'s database, which must hold no
// Lontar schema yet, in one transaction.
void restore_postgres_dump(const DatabaseUrl& url, const std::filesystem::path& file);

// The tables and extensions a database holds (names quoted for SQL), taken before a
// restore loads into it, so that a restore refused after the load can take out what it
// added and leave the database as it found it.
struct PostgresObjects {
  std::set<std::string> tables;
  std::set<std::string> extensions;
};
PostgresObjects postgres_objects(const DatabaseUrl& url);
// Drops, in one transaction, every table and extension `url`'s database holds that
// `before` did not; returns how many.
int drop_postgres_objects_since(const DatabaseUrl& url, const PostgresObjects& before);

}  // namespace lontar::storage
