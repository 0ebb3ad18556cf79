// `lontar init`: a new data folder with its configuration, CA hierarchy and database.
#include <algorithm>
#include <cstdlib>

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "crypto/ca_hierarchy.h"
#include "crypto/crl_writer.h"
#include "instance/instance.h"

namespace lontar {

namespace {
void check_options(const InitOptions& options, const DataDir& dir) {
  if (dir.initialised())
    throw Error(ErrorKind::conflict, "already_initialised",
                options.data.string() + " already holds a Lontar instance; choose an empty folder.");
  if (!crypto::is_known_key_algorithm(options.ca_algorithm) || options.ca_algorithm == "rsa-2048")
    throw Error(ErrorKind::invalid_input, "bad_ca_algorithm",
                "The CA algorithm must be ec-p256, ec-p384, rsa-3072 or rsa-4096 (got '" + options.ca_algorithm + "').");
  if (options.organisation.empty() || options.organisation.find_first_of("\"\\\n") != std::string::npos)
    throw Error(ErrorKind::invalid_input, "bad_organisation",
                "The organisation name must not be empty or contain quotes, backslashes or line breaks.");
}

// The operator's passphrase file, or a generated one kept in the data folder (a demo).
std::string choose_passphrase(const InitOptions& options, const DataDir& dir, InitReport& report) {
  if (options.ca_passphrase_file || std::getenv("LONTAR_CA_PASSPHRASE_FILE")) {
    auto passphrase = resolve_ca_passphrase(dir, options.ca_passphrase_file);
    if (passphrase.size() < 12)
      throw Error(ErrorKind::invalid_input, "weak_ca_passphrase",
                  "The CA passphrase must have at least 12 characters; it guards every key of the CA.");
    return passphrase;
  }
  SystemRandom random;
  auto passphrase = random_hex(random, 32);
  write_file(dir.demo_passphrase(), passphrase + "\n", true);
  ::chmod(dir.demo_passphrase().parent_path().c_str(), 0700);
  report.generated_passphrase = true;
  return passphrase;
}

// RA mode: the upstream's chain becomes the holders' chain (ca/chain.pem), and the RA's
// key and certificate from the upstream are kept like the CA keys.
UpstreamSettings write_upstream(const InitOptions& options, const DataDir& dir, const std::string& passphrase,
                                const ProductCatalog& products) {
  if (!options.upstream_url.starts_with("http://") && !options.upstream_url.starts_with("https://"))
    throw Error(ErrorKind::invalid_input, "bad_upstream",
                "--mode ra needs --upstream, the upstream CA's CMP address (https://…/.well-known/cmp).");
  if (options.upstream_chain.empty() || options.ra_certificate.empty() || options.ra_key.empty())
    throw Error(ErrorKind::invalid_input, "bad_upstream",
                "--mode ra needs --upstream-chain (the upstream's CA certificates), --ra-cert and --ra-key.");
  const auto chain_pem = read_file(options.upstream_chain);
  const auto chain = crypto::Certificate::all_from_pem(chain_pem);
  const bool has_root = std::any_of(chain.begin(), chain.end(), [](const crypto::Certificate& c) {
    return X509_check_issued(c.get(), c.get()) == X509_V_OK;
  });
  if (chain.empty() || !has_root)
    throw Error(ErrorKind::invalid_input, "bad_upstream_chain",
                options.upstream_chain.string() + " must hold the upstream's CA certificates, its root included.");
  const auto ra_certificate = crypto::Certificate::from_pem(read_file(options.ra_certificate));
  const auto ra_key = crypto::PrivateKey::from_encrypted_pem(read_file(options.ra_key), passphrase);
  if (X509_check_private_key(ra_certificate.get(), ra_key.get()) != 1)
    throw Error(ErrorKind::invalid_input, "ra_key_mismatch", "The RA key does not belong to the RA certificate.");
  write_file(dir.chain(), chain_pem, false);
  write_file(dir.key("ra"), ra_key.to_encrypted_pem(passphrase), true);
  write_file(dir.certificate("ra"), ra_certificate.pem(), false);
  UpstreamSettings u;
  u.cmp_url = options.upstream_url;
  while (u.cmp_url.ends_with("/")) u.cmp_url.pop_back();
  const auto scheme_end = u.cmp_url.find("://") + 3;
  const auto origin = u.cmp_url.substr(0, u.cmp_url.find('/', scheme_end));
  u.name = options.upstream_name.empty() ? origin : options.upstream_name;
  // A Lontar CA's addresses; another CA's are set in lontar.toml.
  u.ocsp_url = origin + "/ocsp";
  u.crl_url = origin + "/crl/root.crl";
  u.tsa_url = origin + "/tsa";
  for (const auto& product : products.products) u.profiles.emplace(product.id, product.id);
  return u;
}

crypto::CaHierarchy write_hierarchy(const InitOptions& options, const DataDir& dir, const std::string& passphrase) {
  crypto::CaHierarchyOptions ca;
  ca.algorithm = options.ca_algorithm;
  ca.organisation = options.organisation;
  ca.urls = crypto::CaUrls::under(options.public_url);
  SystemRandom random;
  auto hierarchy = crypto::create_ca_hierarchy(ca, std::chrono::system_clock::now(), random);
  const std::pair<const char*, const crypto::KeyAndCertificate*> parts[] = {
      {"root", &hierarchy.root}, {"issuing", &hierarchy.issuing}, {"ocsp", &hierarchy.ocsp}, {"tls", &hierarchy.tls}};
  for (const auto& [name, part] : parts) {
    write_file(dir.key(name), part->key.to_encrypted_pem(passphrase), true);
    write_file(dir.certificate(name), part->certificate.pem(), false);
  }
  write_file(dir.chain(), hierarchy.issuing.certificate.pem() + hierarchy.root.certificate.pem(), false);
  // The root signs rarely and its key belongs offline, so its CRL (listing no revoked
  // CA) is made once here with a year's validity.
  crypto::FileSigner root_signer(crypto::PrivateKey::share(hierarchy.root.key.get()),
                                 hierarchy.root.certificate.duplicate());
  const auto now = std::chrono::system_clock::now();
  crypto::CrlWriter root_crl(root_signer, 1, now, now + std::chrono::days{365});
  write_file(dir.root_crl(), root_crl.finish(), false);
  return hierarchy;
}
}  // namespace

InitReport initialise(const InitOptions& options) {
  const DataDir dir(options.data);
  check_options(options, dir);
  const auto database = storage::DatabaseUrl::parse(options.database_url, options.data);
  std::filesystem::create_directories(options.data);
  ::chmod(options.data.c_str(), 0700);

  InitReport report;
  report.database = database.display;
  const auto passphrase = choose_passphrase(options, dir, report);
  const auto hierarchy = write_hierarchy(options, dir, passphrase);
  report.root_subject = hierarchy.root.certificate.subject();
  report.issuing_subject = hierarchy.issuing.certificate.subject();

  storage::SociStore store(database);
  store.write([&](StoreTransaction& tx) {
    tx.audit().append({"cli:init", "ca.initialised", "ca:issuing",
                       nlohmann::json{{"root", report.root_subject},
                                      {"root_serial", hierarchy.root.certificate.serial_hex()},
                                      {"issuing", report.issuing_subject},
                                      {"issuing_serial", hierarchy.issuing.certificate.serial_hex()},
                                      {"algorithm", options.ca_algorithm}}
                           .dump()},
                      to_unix(std::chrono::system_clock::now()));
  });

  auto config = initial_config(options);
  if (options.mode == "ra") {
    const auto products = parse_config(default_config_toml(config), "the default configuration").catalog;
    config.upstream = write_upstream(options, dir, passphrase, products);
    config.mode = "ra";
  } else if (options.mode != "ca") {
    throw Error(ErrorKind::invalid_input, "bad_mode", "--mode is ca (this instance issues) or ra (an upstream CA does).");
  }
  // Written last: its presence is what marks the folder as initialised.
  write_file(dir.config(), default_config_toml(config), true);
  // Opening the new folder with the CA key issues the timestamp authority's certificate,
  // the same way a folder from before the TSA existed gets one.
  OpenOptions open;
  open.load_ca_key = true;
  open.ca_passphrase_file = options.ca_passphrase_file;
  Instance::open(options.data, open);
  return report;
}

Config initial_config(const InitOptions& options) {
  Config config;
  config.listen = options.listen;
  config.public_url = options.public_url;
  config.database_url = options.database_url;
  config.ca_algorithm = options.ca_algorithm;
  config.organisation = options.organisation;
  return config;
}

}  // namespace lontar
