#include "support/test_instance.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>

#include "core/password.h"
#include "crypto/csr.h"

namespace lontar::testing {

TestInstance::TestInstance(std::string database_url, storage::StoreOptions store) {
  InitOptions init;
  init.data = dir_.path();
  init.database_url = std::move(database_url);
  initialise(init);
  OpenOptions open;
  open.load_ca_key = true;
  open.store = store;
  instance_ = Instance::open(dir_.path(), open);
}

Account TestInstance::add_account(const std::string& nik, const std::string& name, const std::string& unit,
                                  Role role) {
  Account account;
  account.role = role;
  account.nik = nik;
  account.name = name;
  account.email = "user" + nik.substr(12) + "@undiksha.ac.id";
  account.organisation = "Universitas Pendidikan Ganesha";
  account.unit = unit;
  account.created_at = 1;
  instance_->store().write([&](StoreTransaction& tx) { account.id = tx.accounts().insert(account); });
  return account;
}

std::string csr_for(const crypto::PrivateKey& key, const std::string& common_name,
                    const std::optional<std::string>& challenge) {
  return crypto::make_csr_pem(key.get(), common_name, challenge);
}

CommandResult run_command(const std::string& command) {
  CommandResult result{0, {}};
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return {-1, "popen failed"};
  std::array<char, 4096> buffer;
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

}  // namespace lontar::testing
