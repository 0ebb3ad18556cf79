#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "storage/engine.h"

namespace lontar::storage {

// Runs PostgreSQL's own client tool `program` (pg_dump, pg_restore) against `url`'s
// database. The connection travels in the child's environment (PGHOST, PGUSER,
// PGPASSWORD…), never on its command line, where every local user could read it.
// Throws Error(unavailable) with the tool's last words when it fails.
void run_postgres_tool(const std::string& program, const DatabaseUrl& url, const std::vector<std::string>& arguments);

// Whether `url`'s database holds no Lontar schema (a restore's target must not).
bool postgres_database_is_empty(const DatabaseUrl& url);

}  // namespace lontar::storage
