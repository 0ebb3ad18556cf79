#pragma once

#include <memory>
#include <optional>
#include <string>

#include "instance/instance.h"
#include "crypto/private_key.h"
#include "support/temp_dir.h"

namespace lontar::testing {

// An initialised data folder with the CA key loaded, and helpers to make accounts
// and CSRs. Uses SQLite unless a database URL is given.
class TestInstance final {
 public:
  explicit TestInstance(std::string database_url = "sqlite:lontar.db", storage::StoreOptions store = {});

  Instance& instance() { return *instance_; }
  const std::filesystem::path& data() const { return dir_.path(); }
  Account add_account(const std::string& nik, const std::string& name = "Ni Luh Putu Ayu",
                      const std::string& unit = "UPT TIK", Role role = Role::applicant);

 private:
  TempDir dir_;
  std::unique_ptr<Instance> instance_;
};

std::string csr_for(const crypto::PrivateKey& key, const std::string& common_name = "Claimed Name",
                    const std::optional<std::string>& challenge = std::nullopt);

// Runs a shell command, returns its exit status and (combined) output.
struct CommandResult {
  int status;
  std::string output;
};
CommandResult run_command(const std::string& command);
std::string shell_quote(const std::string& text);

}  // namespace lontar::testing
