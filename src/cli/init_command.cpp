#include <iostream>

#include "instance/instance.h"
#include "cli/commands.h"

namespace lontar::cli {

void add_init_command(CLI::App& app) {
  auto options = std::make_shared<InitOptions>();
  auto* command = app.add_subcommand("init", "Create a data folder: configuration, CA hierarchy and database");
  command->add_option("--data", options->data, "Data folder to create")->required();
  command->add_option("--ca-passphrase-file", options->ca_passphrase_file,
                      "File holding the passphrase that encrypts the CA keys (default: generate a demo one)");
  command->add_option("--public-url", options->public_url, "Base URL relying parties reach")
      ->capture_default_str();
  command->add_option("--listen", options->listen, "Address the server listens on")->capture_default_str();
  command->add_option("--db", options->database_url, "sqlite:PATH or postgresql://user@host:port/dbname")
      ->capture_default_str();
  command->add_option("--ca-algorithm", options->ca_algorithm, "ec-p256, ec-p384, rsa-3072 or rsa-4096")
      ->capture_default_str();
  command->add_option("--organisation", options->organisation, "Organisation named in the CA certificates")
      ->capture_default_str();
  command->add_option("--mode", options->mode, "ca: this instance issues; ra: an upstream CA issues over CMP")
      ->capture_default_str();
  command->add_option("--upstream", options->upstream_url, "RA mode: the upstream CA's CMP address");
  command->add_option("--upstream-name", options->upstream_name, "RA mode: the upstream CA as the portal names it");
  command->add_option("--upstream-chain", options->upstream_chain, "RA mode: the upstream's CA certificates (PEM)");
  command->add_option("--ra-cert", options->ra_certificate, "RA mode: this RA's certificate from the upstream");
  command->add_option("--ra-key", options->ra_key, "RA mode: its key (PEM, plain or under the CA passphrase)");
  command->callback([options] {
    const auto report = initialise(*options);
    std::cout << "Initialised " << options->data.string() << "\n"
              << "  root CA:    " << report.root_subject << "\n"
              << "  issuing CA: " << report.issuing_subject << "\n"
              << "  database:   " << report.database << "\n";
    if (options->mode == "ra")
      std::cout << "  mode:       registration authority of " << options->upstream_url
                << "\n  The upstream registers this RA with: lontar ra add --name NAME --cert ra.crt --products …\n";
    if (report.generated_passphrase)
      std::cout << "  The CA keys are encrypted with a generated demo passphrase kept in "
                << DataDir(options->data).demo_passphrase().string()
                << " (mode 0600).\n  For production, initialise with --ca-passphrase-file and keep the passphrase "
                   "off this machine.\n";
  });

  // The package ships this as its example; `lontar init` writes the same with its options.
  app.add_subcommand("default-config", "Print the configuration `lontar init` writes with its default options")
      ->callback([] { std::cout << default_config_toml(initial_config(InitOptions{})); });
}

}  // namespace lontar::cli
