#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace lontar::operations {

struct CheckFinding {
  std::string what;    // "database", "audit trail", …
  bool ok = false;
  std::string detail;  // what was found, or what is wrong
};

// What `lontar check` proves of a data folder: the database is sound, the audit chain
// intact, every certificate row has the audit event that issued it, every CA and
// service key opens with its passphrase, the CRL counter has not gone back behind a
// number the audit trail records, and every registered document is kept with the hash
// it was registered under. Each check runs even when another failed.
std::vector<CheckFinding> check_data_folder(const std::filesystem::path& data,
                                            const std::optional<std::filesystem::path>& passphrase_file);

}  // namespace lontar::operations
