#pragma once

#include <filesystem>

namespace lontar::storage {

// Copies a live SQLite database into `target` (which must not exist) with SQLite's
// online backup API, in one read transaction: a consistent snapshot while servers
// keep writing (WAL lets them).
void snapshot_sqlite(const std::filesystem::path& source, const std::filesystem::path& target);

}  // namespace lontar::storage
