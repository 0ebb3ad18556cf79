#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace lontar::cli {

void add_init_command(CLI::App& app);
void add_serve_command(CLI::App& app);
void add_user_commands(CLI::App& app);
void add_cert_commands(CLI::App& app);
void add_audit_commands(CLI::App& app);
void add_doc_commands(CLI::App& app);
void add_preview_command(CLI::App& app);
void add_ra_commands(CLI::App& app);
void add_backup_commands(CLI::App& app);
// `cert revoke` joins the cert group; `crl generate` is its own group.
void add_revocation_commands(CLI::App& app, CLI::App& certs);

// Who ran the command, for the audit trail.
std::string cli_actor();

struct CaKeyOption {
  std::optional<std::filesystem::path> passphrase_file;
  void add_to(CLI::App& command);
};

}  // namespace lontar::cli
