#include "storage/postgres_export.h"

#include <soci/soci.h>

#include "core/error.h"
#include "storage/postgres_tools.h"
#include "storage/soci_repositories.h"

namespace lontar::storage {

PostgresExport::PostgresExport(const DatabaseUrl& url)
    : url_(url), sql_(std::make_unique<soci::session>("postgresql", url.connect)) {
  *sql_ << "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
  *sql_ << "SELECT pg_export_snapshot()", soci::into(snapshot_);
}

PostgresExport::~PostgresExport() {
  try {
    *sql_ << "ROLLBACK";
  } catch (...) {  // the session closes anyway, ending the transaction
  }
}

Inventory PostgresExport::inventory() { return SociInventoryRepository(*sql_).count(); }

std::pair<std::int64_t, std::string> PostgresExport::audit_head() {
  std::pair<std::int64_t, std::string> head;
  *sql_ << "SELECT seq, hash FROM audit_head WHERE id = 1", soci::into(head.first), soci::into(head.second);
  return head;
}

void PostgresExport::dump(const std::filesystem::path& file) {
  run_postgres_tool("pg_dump", url_,
                    {"--snapshot=" + snapshot_, "--format=custom", "--no-owner", "--no-privileges",
                     "--file=" + file.string()});
}

void restore_postgres_dump(const DatabaseUrl& url, const std::filesystem::path& file) {
  if (!postgres_database_is_empty(url))
    throw Error(ErrorKind::conflict, "restore_target_used",
                "The PostgreSQL database " + url.display +
                    " already holds a Lontar schema: restore into a new, empty database (a restore never overwrites).");
  // An empty --dbname makes pg_restore connect (rather than print SQL) to the database
  // its environment names.
  run_postgres_tool("pg_restore", url,
                    {"--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname=",
                     file.string()});
}

}  // namespace lontar::storage
