#include <unistd.h>

#include <iomanip>
#include <iostream>

#include "instance/instance.h"
#include "cli/commands.h"
#include "core/error.h"

namespace lontar::cli {

namespace {
std::string format_date(std::int64_t unix_seconds) { return format_utc(unix_seconds, "%Y-%m-%d %H:%M UTC"); }

void add_cert_issue(CLI::App& certs) {
  struct Options {
    std::filesystem::path data;
    CaKeyOption ca;
    std::string nik;
    std::string product;
    std::filesystem::path csr;
    std::filesystem::path out;
  };
  auto o = std::make_shared<Options>();
  auto* command = certs.add_subcommand("issue", "Issue a certificate from a CSR for an account (operator path)");
  command->add_option("--data", o->data, "Data folder")->required();
  command->add_option("--nik", o->nik, "NIK of the account the certificate is for")->required();
  command->add_option("--product", o->product, "Product, e.g. individual-2y")->required();
  command->add_option("--csr", o->csr, "PKCS#10 request, PEM or DER")->required();
  command->add_option("--out", o->out, "Where to write the certificate (PEM)")->required();
  o->ca.add_to(*command);
  command->callback([o] {
    if (std::filesystem::exists(o->csr) && std::filesystem::file_size(o->csr) > 1024 * 1024)
      throw Error(ErrorKind::invalid_input, "csr_too_large",
                  "The CSR file is larger than 1 MiB; a certificate request is normally under 4 KiB.");
    const auto csr = read_file(o->csr);
    // Checked before issuing, so a certificate is never issued and then lost.
    const auto out_dir = o->out.parent_path().empty() ? std::filesystem::path(".") : o->out.parent_path();
    if (!std::filesystem::is_directory(out_dir) || ::access(out_dir.c_str(), W_OK) != 0)
      throw Error(ErrorKind::invalid_input, "unwritable_out",
                  "Cannot write the certificate to " + o->out.string() + ": the folder does not exist or is not writable.");
    OpenOptions open;
    open.load_ca_key = true;
    open.ca_passphrase_file = o->ca.passphrase_file;
    auto instance = Instance::open(o->data, open);
    const auto record = instance->issuance().issue_for_operator({o->nik, o->product, csr, cli_actor()});
    write_file(o->out, record.pem, false);
    std::cout << "Issued certificate " << record.serial_hex << "\n  subject: " << record.subject
              << "\n  valid:   " << format_date(record.not_before) << " to " << format_date(record.not_after)
              << "\n  written to " << o->out.string() << "\n";
  });
}

void add_cert_list(CLI::App& certs) {
  struct Options {
    std::filesystem::path data;
    std::string nik;
  };
  auto o = std::make_shared<Options>();
  auto* command = certs.add_subcommand("list", "List certificates, newest first");
  command->add_option("--data", o->data, "Data folder")->required();
  command->add_option("--nik", o->nik, "Only this account's certificates");
  command->callback([o] {
    auto instance = Instance::open(o->data, {});
    std::vector<CertificateRecord> records;
    instance->store().read([&](StoreTransaction& tx) {
      if (o->nik.empty()) {
        records = tx.certificates().list(1000);
        return;
      }
      const auto account = tx.accounts().find_by_nik(o->nik);
      if (!account) throw Error(ErrorKind::not_found, "unknown_account", "No account has the NIK " + o->nik + ".");
      records = tx.certificates().list_for_account(account->id);
    });
    std::cout << std::left << std::setw(34) << "SERIAL" << std::setw(12) << "STATUS" << std::setw(15) << "PRODUCT"
              << std::setw(22) << "NOT AFTER" << "SUBJECT\n";
    for (const auto& r : records)
      std::cout << std::setw(34) << r.serial_hex << std::setw(12) << to_string(r.status) << std::setw(15)
                << r.product_id << std::setw(22) << format_date(r.not_after) << r.subject << "\n";
  });
}

void add_cert_show(CLI::App& certs) {
  struct Options {
    std::filesystem::path data;
    std::string serial;
    bool pem = false;
  };
  auto o = std::make_shared<Options>();
  auto* command = certs.add_subcommand("show", "Show one certificate");
  command->add_option("--data", o->data, "Data folder")->required();
  command->add_option("--serial", o->serial, "Serial number in hex")->required();
  command->add_flag("--pem", o->pem, "Print only the PEM");
  command->callback([o] {
    std::string serial = o->serial;
    for (auto& c : serial) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto instance = Instance::open(o->data, {});
    std::optional<CertificateRecord> record;
    instance->store().read([&](StoreTransaction& tx) { record = tx.certificates().find_by_serial(serial); });
    if (!record)
      throw Error(ErrorKind::not_found, "unknown_certificate", "No certificate has the serial " + o->serial + ".");
    if (o->pem) {
      std::cout << record->pem;
      return;
    }
    std::cout << "serial:     " << record->serial_hex << "\nsubject:    " << record->subject
              << "\nproduct:    " << record->product_id << " (" << to_string(record->type) << ")"
              << "\nkey:        " << record->key_description << " sha256:" << record->key_sha256
              << "\nvalid:      " << format_date(record->not_before) << " to " << format_date(record->not_after)
              << "\nstatus:     " << to_string(record->status)
              << (record->revoked_at ? " since " + format_date(record->revoked_at) + " (" + record->revocation_reason + ")"
                                     : std::string())
              << "\nrequest:    " << record->request_id << "\n";
  });
}
}  // namespace

void add_cert_commands(CLI::App& app) {
  auto* certs = app.add_subcommand("cert", "Issue and inspect certificates");
  certs->require_subcommand(1);
  add_cert_issue(*certs);
  add_cert_list(*certs);
  add_cert_show(*certs);
  add_revocation_commands(app, *certs);
}

}  // namespace lontar::cli
