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

PostgresObjects postgres_objects(const DatabaseUrl& url) {
  soci::session sql("postgresql", url.connect);
  PostgresObjects objects;
  soci::rowset<std::string> tables =
      (sql.prepare << "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables "
                      "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')");
  objects.tables.insert(tables.begin(), tables.end());
  soci::rowset<std::string> extensions = (sql.prepare << "SELECT quote_ident(extname) FROM pg_extension");
  objects.extensions.insert(extensions.begin(), extensions.end());
  return objects;
}

int drop_postgres_objects_since(const DatabaseUrl& url, const PostgresObjects& before) {
  const auto now = postgres_objects(url);
  soci::session sql("postgresql", url.connect);
  soci::transaction transaction(sql);
  int dropped = 0;
  // The names come from the catalogue, quoted there by quote_ident.
  for (const auto& table : now.tables)
    if (!before.tables.contains(table)) {
      sql << "DROP TABLE IF EXISTS " + table + " CASCADE";
      ++dropped;
    }
  for (const auto& extension : now.extensions)
    if (!before.extensions.contains(extension)) {
      sql << "DROP EXTENSION IF EXISTS " + extension + " CASCADE";
      ++dropped;
    }
  transaction.commit();
  return dropped;
}

}  // namespace lontar::storage
