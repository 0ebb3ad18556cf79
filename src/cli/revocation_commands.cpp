#include <iostream>

#include "instance/instance.h"
#include "status/status_services.h"
#include "cli/commands.h"
#include "core/error.h"
#include "core/revocation.h"

namespace lontar::cli {

namespace {
std::int64_t parse_date(const std::string& text) {
  std::tm parts{};
  const char* end = strptime(text.c_str(), "%Y-%m-%d", &parts);
  if (!end || *end != '\0')
    throw Error(ErrorKind::invalid_input, "bad_date", "Dates are written YYYY-MM-DD (got '" + text + "').");
  return static_cast<std::int64_t>(timegm(&parts));
}

void add_cert_revoke(CLI::App& certs) {
  struct Options {
    std::filesystem::path data;
    CaKeyOption ca;
    std::string serial;
    std::string reason;
    std::string invalidity_date;
  };
  auto o = std::make_shared<Options>();
  auto* command = certs.add_subcommand("revoke", "Revoke a certificate (final; shown in CRL and OCSP within seconds)");
  command->add_option("--data", o->data, "Data folder")->required();
  command->add_option("--serial", o->serial, "Serial number in hex")->required();
  command->add_option("--reason", o->reason,
                      "keyCompromise, affiliationChanged, superseded, cessationOfOperation, privilegeWithdrawn, "
                      "cACompromise or unspecified")
      ->required();
  command->add_option("--invalidity-date", o->invalidity_date, "When the key became unsafe, YYYY-MM-DD");
  o->ca.add_to(*command);
  command->callback([o] {
    const auto reason = parse_revocation_reason(o->reason);
    if (!reason)
      throw Error(ErrorKind::invalid_input, "bad_reason",
                  "Unknown reason '" + o->reason +
                      "'; use keyCompromise, affiliationChanged, superseded, cessationOfOperation, "
                      "privilegeWithdrawn, cACompromise or unspecified.");
    std::string serial = o->serial;
    for (auto& c : serial) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto instance = Instance::open(o->data, {});
    RevokeCommand command;
    command.serial_hex = serial;
    command.reason = *reason;
    command.actor = cli_actor();
    command.requester_is_admin = true;
    if (!o->invalidity_date.empty()) command.invalidity_date = parse_date(o->invalidity_date);
    const auto record = instance->revocation().revoke(command);
    std::cout << "Revoked certificate " << record.serial_hex << " (" << record.revocation_reason << ")\n"
              << "  subject: " << record.subject
              << "\n  Running servers publish it in OCSP and a new CRL within seconds.\n";
  });
}

void add_crl_generate(CLI::App& app) {
  struct Options {
    std::filesystem::path data;
    CaKeyOption ca;
    std::filesystem::path out;
    int validity_hours = 24 * 7;
  };
  auto o = std::make_shared<Options>();
  auto* crl = app.add_subcommand("crl", "Certificate revocation lists");
  crl->require_subcommand(1);
  auto* command = crl->add_subcommand("generate", "Write a freshly signed full CRL of the issuing CA (DER)");
  command->add_option("--data", o->data, "Data folder")->required();
  command->add_option("--out", o->out, "Where to write the CRL")->required();
  command->add_option("--validity-hours", o->validity_hours, "Hours until nextUpdate")->capture_default_str();
  o->ca.add_to(*command);
  command->callback([o] {
    OpenOptions open;
    open.load_ca_key = true;
    open.ca_passphrase_file = o->ca.passphrase_file;
    auto instance = Instance::open(o->data, open);
    const auto crl = generate_crl(instance->store(), instance->issuing_signer(), instance->clock(),
                                  std::chrono::hours{o->validity_hours});
    write_file(o->out, crl.der, false);
    std::cout << "Wrote CRL number " << crl.number << " to " << o->out.string() << "\n";
  });
}
}  // namespace

void add_revocation_commands(CLI::App& app, CLI::App& certs) {
  add_cert_revoke(certs);
  add_crl_generate(app);
}

}  // namespace lontar::cli
