#include "instance/instance.h"

#include "instance/folder_document_files.h"

#include <cstdlib>

#include <sodium.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/clock.h"
#include "core/error.h"
#include "crypto/pkcs11_key.h"
#include "crypto/ca_hierarchy.h"
#include "crypto/cmp_upstream.h"
#include "crypto/crl_writer.h"
#include "instance/database_document_files.h"

namespace lontar {

namespace {
// A delegated responder of `issuer` (RFC 6960 §4.2.2.2): signed by it and marked for
// OCSP signing, so that no other key this CA certified (the TSA's, a holder's) can
// be made to answer for it. The extension must be there: without it OpenSSL reports
// every usage, and clients (OpenSSL's own) refuse such a responder.
bool is_responder_of(const crypto::Certificate& certificate, const crypto::Certificate& issuer) {
  return X509_verify(certificate.get(), X509_get0_pubkey(issuer.get())) == 1 &&
         (X509_get_extension_flags(certificate.get()) & EXFLAG_XKUSAGE) != 0 &&
         (X509_get_extended_key_usage(certificate.get()) & XKU_OCSP_SIGN) != 0;
}

// The responder every server of a cluster adopts, kept in the database.
std::optional<CaStateRepository::ServiceKey> shared_ocsp_key(storage::SociStore& store) {
  std::optional<CaStateRepository::ServiceKey> shared;
  store.read([&](StoreTransaction& tx) { shared = tx.ca_state().service_key("ocsp"); });
  return shared;
}
}  // namespace

std::unique_ptr<Instance> Instance::open(const std::filesystem::path& data, const OpenOptions& options) {
  std::unique_ptr<Instance> instance(new Instance(DataDir(data)));
  if (!instance->dir_.initialised())
    throw Error(ErrorKind::invalid_input, "not_initialised",
                data.string() + " is not a Lontar data folder; create one with 'lontar init --data " + data.string() +
                    "'.");
  instance->config_ = load_config(instance->dir_.config());
  instance->letters_ = pdf::QpdfLetterInspector(instance->config_.verification.document);
  instance->verification_budget_ = std::make_unique<VerificationBudget>(
      instance->config_.verification.per_address_per_minute, instance->config_.verification.at_once);
  instance->urls_ = crypto::CaUrls::under(instance->config_.public_url);
  auto store_options = options.store;
  store_options.sqlite_memory_mib = static_cast<std::size_t>(instance->config_.sqlite_memory_mib);
  instance->store_ = std::make_unique<storage::SociStore>(
      storage::DatabaseUrl::parse(instance->config_.database_url, data), store_options);
  if (instance->config_.documents.store == "database")
    instance->document_files_ = std::make_unique<DatabaseDocumentFiles>(*instance->store_);
  else
    instance->document_files_ = std::make_unique<FolderDocumentFiles>(instance->dir_.documents());
  if (options.load_ca_key) {
    const auto passphrase = resolve_ca_passphrase(instance->dir_, options.ca_passphrase_file);
    instance->issuing_ = instance->load_signer("issuing", instance->config_.issuing_key_uri, passphrase);
    instance->ca_passphrase_ = passphrase;
    instance->ocsp_ = std::make_shared<const crypto::FileSigner>(crypto::FileSigner::load(
        read_file(instance->dir_.key("ocsp")), read_file(instance->dir_.certificate("ocsp")), passphrase));
    try {
      instance->adopt_shared_ocsp();
    } catch (const Error& e) {  // the lease holder replaces it; until then this server keeps its own
      spdlog::error("OCSP responder not adopted: {}", e.what());
    }
    instance->tsa_ = instance->ensure_service_signer("tsa", instance->config_.tsa_key_uri,
                                                     crypto::issue_timestamp_authority);
    instance->cmp_ = instance->ensure_service_signer("cmp", "", crypto::issue_cmp_signer);
    instance->factory_ = std::make_unique<crypto::X509CertificateFactory>(*instance->issuing_,
                                                                          instance->config_.catalog, instance->urls_);
    auto& i = *instance;
    i.issuance_ = std::make_unique<IssuanceService>(*i.store_, *i.factory_, i.config_.catalog, i.clock_, i.random_);
    auto policy = i.config_.requests;
    policy.portal_url = i.config_.public_url;
    i.requests_ = std::make_unique<RequestService>(*i.store_, *i.issuance_, *i.factory_, i.config_.catalog, i.clock_,
                                                   i.random_, i.letters_, i.custody_, policy);
    i.token_vault_ = i.open_token_vault();
    i.requests_->use_token_vault(*i.token_vault_);
    if (i.config_.ra_mode()) i.forward_to_upstream(passphrase);
  }
  return instance;
}

std::unique_ptr<crypto::FileSigner> Instance::load_signer(const std::string& name, const std::string& key_uri,
                                                         const std::string& passphrase) const {
  const auto certificate = read_file(dir_.certificate(name));
  if (key_uri.empty())
    return std::make_unique<crypto::FileSigner>(crypto::FileSigner::load(read_file(dir_.key(name)), certificate, passphrase));
  const char* from_environment = std::getenv("LONTAR_HSM_PIN_FILE");
  std::filesystem::path pin_file = from_environment && *from_environment ? from_environment : config_.pkcs11_pin_file;
  if (pin_file.empty())
    throw Error(ErrorKind::invalid_input, "no_hsm_pin",
                "The " + name + " key is in a PKCS#11 token: give its PIN file as [ca] pkcs11_pin_file or "
                "$LONTAR_HSM_PIN_FILE.");
  if (pin_file.is_relative()) pin_file = dir_.root() / pin_file;
  auto pin = read_secret_file(pin_file);
  auto key = crypto::load_pkcs11_key({config_.pkcs11_module, key_uri}, pin);
  sodium_memzero(pin.data(), pin.size());
  return std::make_unique<crypto::FileSigner>(std::move(key), crypto::Certificate::from_pem(certificate));
}

std::vector<std::string> Instance::open_every_key(const std::string& passphrase) const {
  const std::pair<std::string, std::string> keys[] = {
      {"root", ""}, {"issuing", config_.issuing_key_uri}, {"ocsp", ""}, {"tsa", config_.tsa_key_uri},
      {"cmp", ""},  {"tls", ""},                          {"ra", config_.upstream.ra_key_uri}};
  std::vector<std::string> opened;
  for (const auto& [name, uri] : keys) {
    if (uri.empty() && !std::filesystem::exists(dir_.key(name))) continue;
    try {
      load_signer(name, uri, passphrase);
    } catch (const std::exception& e) {
      throw Error(ErrorKind::policy, "key_does_not_open", "The " + name + " key does not open: " + e.what());
    }
    opened.push_back(name);
  }
  const auto shared = shared_ocsp_key(*store_);
  if (shared) {
    try {
      const auto responder = crypto::FileSigner::load(shared->encrypted_key_pem, shared->certificate_pem, passphrase);
      if (!is_responder_of(responder.certificate(), crypto::Certificate::from_pem(read_file(dir_.certificate("issuing")))))
        throw Error(ErrorKind::policy, "foreign_ocsp_responder",
                    "it is not an OCSP responder certificate of this CA's issuing key");
    } catch (const std::exception& e) {
      throw Error(ErrorKind::policy, "key_does_not_open",
                  "The OCSP responder key kept in the database does not open: " + std::string(e.what()));
    }
    opened.push_back("shared ocsp");
  }
  return opened;
}

// RA mode: the RA's own key and certificate (from the upstream CA) protect what it sends
// upstream and what its CMP server answers; approved requests go upstream.
void Instance::forward_to_upstream(const std::string& passphrase) {
  const auto& u = config_.upstream;
  std::shared_ptr<const crypto::FileSigner> ra = load_signer("ra", u.ra_key_uri, passphrase);
  cmp_ = ra;
  upstream_ = std::make_unique<crypto::CmpUpstream>(
      crypto::CmpUpstreamSettings{u.name, u.cmp_url, u.profiles, read_file(dir_.chain()), u.timeout_seconds}, ra);
  // OpenSSL's client gives up after three timeouts: a lease of four outlasts any exchange.
  requests_->forward_to(*upstream_, std::chrono::seconds(u.retry_seconds), std::chrono::seconds(4 * u.timeout_seconds));
}

Instance::HolderChain Instance::holder_chain() const {
  HolderChain out;
  for (const auto& certificate : crypto::Certificate::all_from_pem(read_file(dir_.chain()))) {
    if (X509_check_issued(certificate.get(), certificate.get()) == X509_V_OK) {
      out.root_pem = certificate.pem();
    } else {
      if (out.issuer_subject.empty()) out.issuer_subject = certificate.subject();
      out.intermediates_pem += certificate.pem();
    }
  }
  if (out.issuer_subject.empty()) out.issuer_subject = crypto::Certificate::from_pem(out.root_pem).subject();
  return out;
}

Instance::~Instance() { sodium_memzero(ca_passphrase_.data(), ca_passphrase_.size()); }

const crypto::Signer& Instance::issuing_signer() const {
  if (!issuing_) throw Error(ErrorKind::internal, "no_ca_key", "the instance was opened without the CA key");
  return *issuing_;
}

std::shared_ptr<const crypto::Signer> Instance::ocsp_signer() const {
  auto signer = std::atomic_load(&ocsp_);
  if (!signer) throw Error(ErrorKind::internal, "no_ca_key", "the instance was opened without the CA key");
  return signer;
}

crypto::PrivateKey Instance::tls_key() const {
  if (!issuing_) throw Error(ErrorKind::internal, "no_ca_key", "the instance was opened without the CA key");
  return crypto::PrivateKey::from_encrypted_pem(read_file(dir_.key("tls")), ca_passphrase_);
}

std::shared_ptr<const crypto::Signer> Instance::tsa_signer() const {
  if (!tsa_) throw Error(ErrorKind::internal, "no_ca_key", "the instance was opened without the CA key");
  return tsa_;
}

// Beside the CA keys, not in the database: a copy of the database alone opens no token.
std::unique_ptr<TokenVault> Instance::open_token_vault() {
  const auto file = dir_.ca_dir() / "token-vault.key";
  if (!std::filesystem::exists(file)) write_file(file, TokenVault::new_key(random_), true);
  return std::make_unique<TokenVault>(read_file(file));
}

std::shared_ptr<const crypto::Signer> Instance::cmp_signer() const {
  if (!cmp_) throw Error(ErrorKind::internal, "no_ca_key", "the instance was opened without the CA key");
  return cmp_;
}

// Data folders made before a service (the timestamp authority, the CMP server) existed
// get its key and certificate the first time the CA key is opened; `lontar init` opens
// the new folder that way too.
std::shared_ptr<const crypto::FileSigner> Instance::ensure_service_signer(const std::string& name,
                                                                          const std::string& key_uri,
                                                                          const ServiceIssuer& issue) {
  if (std::filesystem::exists(dir_.certificate(name)) &&
      (!key_uri.empty() || std::filesystem::exists(dir_.key(name))))
    return load_signer(name, key_uri, ca_passphrase_);
  crypto::CaHierarchyOptions options;
  options.algorithm = config_.ca_algorithm;
  options.organisation = config_.organisation;
  options.urls = urls_;
  auto fresh = issue(options, *issuing_, clock_.now(), random_);
  write_file(dir_.key(name), fresh.key.to_encrypted_pem(ca_passphrase_), true);
  write_file(dir_.certificate(name), fresh.certificate.pem(), false);
  const auto serial = fresh.certificate.serial_hex();
  store_->write([&](StoreTransaction& tx) {
    tx.audit().append({"system", name + ".certificate_issued", "ca:" + name, nlohmann::json{{"serial", serial}}.dump()},
                      to_unix(clock_.now()));
  });
  return std::make_shared<const crypto::FileSigner>(std::move(fresh.key), std::move(fresh.certificate));
}

bool Instance::adopt_shared_ocsp() {
  std::lock_guard lock(renew_mutex_);
  return adopt_ocsp(shared_ocsp_key(*store_), clock_.now());
}

// The cluster's responder replaces this server's whenever they differ: the server that
// holds the jobs' lease decided on it. It must be one our issuing CA signed; its key is
// encrypted under the CA passphrase every server of the cluster opens the CA with.
bool Instance::adopt_ocsp(const std::optional<CaStateRepository::ServiceKey>& shared, TimePoint now) {
  const auto current = std::atomic_load(&ocsp_);
  if (!shared || !current || !issuing_ || shared->serial == current->certificate().serial_hex()) return false;
  auto signer = std::make_shared<const crypto::FileSigner>(
      crypto::FileSigner::load(shared->encrypted_key_pem, shared->certificate_pem, ca_passphrase_));
  if (!is_responder_of(signer->certificate(), issuing_->certificate()))
    throw Error(ErrorKind::internal, "foreign_ocsp_responder",
                "The certificate kept in the database as the OCSP responder (serial " + shared->serial +
                    ") is not an OCSP responder certificate of this CA's issuing key; this server keeps its own.");
  const auto not_after = signer->certificate().not_after();
  if (now >= not_after)
    throw Error(ErrorKind::internal, "expired_ocsp_responder",
                "The OCSP responder certificate kept in the database (serial " + shared->serial + ") expired on " +
                    format_utc(to_unix(not_after), "%Y-%m-%d %H:%M UTC") + "; this server keeps its own.");
  write_file(dir_.key("ocsp"), shared->encrypted_key_pem, true);
  write_file(dir_.certificate("ocsp"), shared->certificate_pem, false);
  std::atomic_store(&ocsp_, std::move(signer));
  return true;
}

bool Instance::renew_ocsp_if_needed(TimePoint now) {
  std::lock_guard lock(renew_mutex_);
  if (!issuing_ || !std::atomic_load(&ocsp_)) return false;
  auto shared = shared_ocsp_key(*store_);
  bool adopted = false;
  bool shared_usable = true;
  try {
    adopted = adopt_ocsp(shared, now);
  } catch (const std::exception& e) {
    // Left in place it would keep every server on its own responder; the lease holder
    // replaces it, as it replaces one that is due.
    spdlog::warn("The OCSP responder kept in the database is replaced: {}", e.what());
    shared_usable = false;
  }
  const auto current = std::atomic_load(&ocsp_);
  const auto& certificate = current->certificate();
  const auto lifetime = certificate.not_after() - certificate.not_before();
  const auto replaced_serial = shared ? shared->serial : std::string();
  if (now < certificate.not_after() - lifetime / 3) {
    // A folder from before the responder was shared, or a kept responder that cannot be
    // used: this server's becomes the cluster's.
    if (!shared || !shared_usable) {
      const CaStateRepository::ServiceKey own{certificate.serial_hex(), certificate.pem(),
                                              read_file(dir_.key("ocsp"))};
      store_->write([&](StoreTransaction& tx) {
        if (!tx.ca_state().replace_service_key("ocsp", replaced_serial, own, to_unix(now))) return;
        nlohmann::json details{{"serial", own.serial}};
        if (!replaced_serial.empty()) details["replaced"] = replaced_serial;
        tx.audit().append({"system", "ocsp.responder_shared", "ca:ocsp", details.dump()}, to_unix(now));
        tx.ca_state().bump_status_version();
      });
    }
    return adopted;
  }
  crypto::CaHierarchyOptions options;
  options.algorithm = config_.ca_algorithm;
  options.organisation = config_.organisation;
  auto fresh = crypto::issue_ocsp_responder(options, *issuing_, now, random_);
  const CaStateRepository::ServiceKey renewed{fresh.certificate.serial_hex(), fresh.certificate.pem(),
                                              fresh.key.to_encrypted_pem(ca_passphrase_)};
  bool replaced = false;
  store_->write([&](StoreTransaction& tx) {
    replaced = tx.ca_state().replace_service_key("ocsp", replaced_serial, renewed, to_unix(now));
    if (!replaced) return;
    tx.audit().append({"system", "ocsp.responder_renewed", "ca:ocsp", nlohmann::json{{"serial", renewed.serial}}.dump()},
                      to_unix(now));
    // The other servers adopt the new responder when they see the status change.
    tx.ca_state().bump_status_version();
  });
  if (!replaced) {  // another server renewed first (a lease that ran out mid-renewal): its key stands
    return adopt_ocsp(shared_ocsp_key(*store_), now) || adopted;
  }
  write_file(dir_.key("ocsp"), renewed.encrypted_key_pem, true);
  write_file(dir_.certificate("ocsp"), renewed.certificate_pem, false);
  std::atomic_store(&ocsp_, std::make_shared<const crypto::FileSigner>(std::move(fresh.key), std::move(fresh.certificate)));
  return true;
}

IssuanceService Instance::issuance() {
  if (!factory_) throw Error(ErrorKind::internal, "no_ca_key", "the instance was opened without the CA key");
  return IssuanceService(*store_, *factory_, config_.catalog, clock_, random_);
}

RequestService& Instance::requests() {
  if (!requests_) throw Error(ErrorKind::internal, "no_ca_key", "the instance was opened without the CA key");
  return *requests_;
}

const CertificateFactory& Instance::factory() const {
  if (!factory_) throw Error(ErrorKind::internal, "no_ca_key", "the instance was opened without the CA key");
  return *factory_;
}

}  // namespace lontar
