// `lontar ra`: the registration authorities a CA issues for (EJBCA's CMP RA mode).
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "core/encoding.h"
#include "core/error.h"
#include "crypto/certificate.h"
#include "instance/instance.h"

namespace lontar::cli {

namespace {
std::vector<std::string> product_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream items(text);
  for (std::string item; std::getline(items, item, ',');) {
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

void add_ra_add(CLI::App& ra) {
  struct Options {
    std::filesystem::path data, certificate;
    std::string name, products;
  };
  auto o = std::make_shared<Options>();
  auto* command = ra.add_subcommand("add", "Trust a registration authority's vetting for some products");
  command->add_option("--data", o->data, "Data folder of this CA")->required();
  command->add_option("--name", o->name, "A short name for the audit trail, e.g. univ-contoh")->required();
  command->add_option("--cert", o->certificate, "The RA's signing certificate (PEM) it protects CMP messages with")
      ->required();
  command->add_option("--products", o->products, "Products it may request, comma-separated")->required();
  command->callback([o] {
    const auto pem = read_file(o->certificate);
    std::string der;
    try {
      der = crypto::Certificate::from_pem(pem).der();
    } catch (const Error&) {
      throw Error(ErrorKind::invalid_input, "bad_certificate",
                  "The file " + o->certificate.string() + " holds no PEM certificate.");
    }
    auto instance = Instance::open(o->data, {});
    NewRegistrationAuthority command;
    command.name = o->name;
    command.certificate_pem = crypto::Certificate::from_der(der).pem();
    command.certificate_sha256 = sha256_hex(der);
    command.products = product_list(o->products);
    command.actor = cli_actor();
    const auto ra = instance->registration_authorities().add(command);
    std::cout << "Registered the registration authority " << ra.name << "\n  certificate SHA-256: "
              << ra.certificate_sha256 << "\n  may request: " << o->products
              << "\n  CMP endpoint for it: " << instance->config().public_url << "/.well-known/cmp/p/{product}\n";
  });
}

void add_ra_list(CLI::App& ra) {
  auto data = std::make_shared<std::filesystem::path>();
  auto* command = ra.add_subcommand("list", "The registration authorities this CA issues for");
  command->add_option("--data", *data, "Data folder of this CA")->required();
  command->callback([data] {
    auto instance = Instance::open(*data, {});
    for (const auto& ra : instance->registration_authorities().list()) {
      std::cout << ra.name << (ra.removed_at ? "  (removed)" : "") << "\n  certificate SHA-256: "
                << ra.certificate_sha256 << "\n  products:";
      for (const auto& p : ra.products) std::cout << ' ' << p;
      std::cout << "\n";
    }
  });
}

void add_ra_remove(CLI::App& ra) {
  struct Options {
    std::filesystem::path data;
    std::string name;
  };
  auto o = std::make_shared<Options>();
  auto* command = ra.add_subcommand("remove", "Stop issuing for a registration authority (what it has is kept)");
  command->add_option("--data", o->data, "Data folder of this CA")->required();
  command->add_option("--name", o->name, "The RA's name")->required();
  command->callback([o] {
    auto instance = Instance::open(o->data, {});
    instance->registration_authorities().remove(o->name, cli_actor());
    std::cout << "The registration authority " << o->name << " may no longer request certificates.\n";
  });
}
}  // namespace

void add_ra_commands(CLI::App& app) {
  auto* ra = app.add_subcommand("ra", "Registration authorities this CA issues for over CMP");
  ra->require_subcommand(1);
  add_ra_add(*ra);
  add_ra_list(*ra);
  add_ra_remove(*ra);
}

}  // namespace lontar::cli
