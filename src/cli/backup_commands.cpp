// `lontar backup`, `lontar restore`, `lontar check`: what an operator needs to prove a
// data folder can be brought back, and is whole.
#include <sodium.h>

#include <chrono>
#include <iostream>

#include "cli/commands.h"
#include "core/clock.h"
#include "core/error.h"
#include "instance/data_dir.h"
#include "operations/backup.h"
#include "operations/data_check.h"
#include "operations/restore.h"

namespace lontar::cli {

namespace {
constexpr std::size_t kMinBackupPassphrase = 12;

// Zeroed when the command is done with it.
struct Passphrase {
  std::string text;
  explicit Passphrase(const std::filesystem::path& file) : text(read_secret_file(file)) {}
  ~Passphrase() { sodium_memzero(text.data(), text.size()); }
};

std::string describe(const Inventory& i) {
  return std::to_string(i.certificates) + " certificates (" + std::to_string(i.revoked_certificates) +
         " revoked or superseded), " + std::to_string(i.requests) + " requests, " + std::to_string(i.accounts) +
         " accounts, " + std::to_string(i.documents) + " documents, " + std::to_string(i.audit_events) +
         " audit events, CRL number " + std::to_string(i.crl_number);
}

void add_backup(CLI::App& app) {
  auto o = std::make_shared<operations::BackupOptions>();
  auto passphrase_file = std::make_shared<std::filesystem::path>();
  auto* command = app.add_subcommand("backup", "Take an encrypted backup of a data folder, also while it serves");
  command->add_option("--data", o->data, "Data folder")->required();
  command->add_option("--out", o->out, "The backup file to write")->required();
  command->add_option("--passphrase-file", *passphrase_file, "File holding the backup's passphrase (12 characters or more)")
      ->required();
  command->add_flag("--include-secrets", o->include_secrets,
                    "Also keep DATA/secrets (the demo CA passphrase, an HSM PIN file); left out by default");
  command->callback([o, passphrase_file] {
    Passphrase passphrase(*passphrase_file);
    if (passphrase.text.size() < kMinBackupPassphrase)
      throw Error(ErrorKind::invalid_input, "weak_backup_passphrase",
                  "The backup passphrase must have at least 12 characters: it is all that protects the CA keys' "
                  "files and every record in the backup.");
    o->passphrase = passphrase.text;
    o->now = to_unix(SystemClock().now());
    const auto report = operations::take_backup(*o);
    sodium_memzero(o->passphrase.data(), o->passphrase.size());
    const auto& m = report.manifest;
    std::cout << "Backup written: " << o->out.string() << " (" << report.bytes << " bytes, " << m.files.size()
              << " files)\n  " << describe(m.inventory) << "\n  audit head: event " << m.audit_head_seq << " "
              << m.audit_head_hash << "\n"
              << (m.secrets_included ? "" : "  DATA/secrets was left out: keep the CA passphrase apart from it.\n");
  });
}

void add_restore(CLI::App& app) {
  auto o = std::make_shared<operations::RestoreOptions>();
  auto passphrase_file = std::make_shared<std::filesystem::path>();
  auto* command = app.add_subcommand("restore", "Restore a backup into a new data folder");
  command->add_option("--in", o->in, "The backup file")->required();
  command->add_option("--data", o->data, "The new data folder (must not exist, or be empty)")->required();
  command->add_option("--passphrase-file", *passphrase_file, "File holding the backup's passphrase")->required();
  command->add_option("--db", o->database_url,
                      "A PostgreSQL backup's new, empty database: postgresql://user@host:port/dbname");
  command->callback([o, passphrase_file] {
    Passphrase passphrase(*passphrase_file);
    o->passphrase = passphrase.text;
    o->actor = cli_actor();
    o->now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(SystemClock().now().time_since_epoch()).count();
    const auto report = operations::restore_backup(*o);
    sodium_memzero(o->passphrase.data(), o->passphrase.size());
    const auto& m = report.manifest;
    std::cout << "Restored into " << o->data.string() << " the backup of " << m.source << " taken at "
              << format_utc(m.created_at, "%Y-%m-%d %H:%M:%S UTC") << "\n  " << describe(m.inventory)
              << "\n  CRL numbers continue from " << report.crl_number_after
              << " (past any the old instance handed out after the backup)\n"
              << (m.secrets_included ? "" : "  DATA/secrets was not in the backup: give the CA passphrase with "
                                             "--ca-passphrase-file or $LONTAR_CA_PASSPHRASE_FILE.\n")
              << "  Run 'lontar check --data " << o->data.string() << "' next.\n";
  });
}

void add_check(CLI::App& app) {
  auto data = std::make_shared<std::filesystem::path>();
  auto key = std::make_shared<CaKeyOption>();
  auto* command = app.add_subcommand("check", "Check that a data folder is whole (exit 0 only when every check holds)");
  command->add_option("--data", *data, "Data folder")->required();
  key->add_to(*command);
  command->callback([data, key] {
    const auto findings = operations::check_data_folder(*data, key->passphrase_file);
    std::size_t failed = 0;
    for (const auto& f : findings) {
      std::cout << (f.ok ? "ok    " : "FAIL  ") << f.what << ": " << f.detail << "\n";
      failed += !f.ok;
    }
    if (failed)
      throw Error(ErrorKind::policy, "check_failed",
                  std::to_string(failed) + " of " + std::to_string(findings.size()) + " checks failed");
    std::cout << "all " << findings.size() << " checks hold\n";
  });
}
}  // namespace

void add_backup_commands(CLI::App& app) {
  add_backup(app);
  add_restore(app);
  add_check(app);
}

}  // namespace lontar::cli
