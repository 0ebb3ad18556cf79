#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "instance/data_dir.h"
#include "instance/failure_throttle.h"
#include "instance/verification_budget.h"
#include "config/config.h"
#include "core/clock.h"
#include "core/cmp_transactions.h"
#include "core/revocation.h"
#include "core/account_administration.h"
#include "core/document_files.h"
#include "core/document_registry.h"
#include "core/esign_keys.h"
#include "core/holder_certificates.h"
#include "core/idempotency.h"
#include "core/issuance.h"
#include "core/sessions.h"
#include "core/registration_authorities.h"
#include "core/requests.h"
#include "crypto/key_custody.h"
#include "pdf/letter_inspector.h"
#include "core/random.h"
#include "crypto/ca_hierarchy.h"
#include "crypto/ca_urls.h"
#include "crypto/signer.h"
#include "crypto/x509_certificate_factory.h"
#include "storage/soci_store.h"

namespace lontar {

struct OpenOptions {
  bool load_ca_key = false;
  std::optional<std::filesystem::path> ca_passphrase_file;
  storage::StoreOptions store;
};

// One initialised data folder, opened: configuration, database and (on request)
// the issuing CA's key. The CLI commands and the server are built on it.
class Instance final {
 public:
  static std::unique_ptr<Instance> open(const std::filesystem::path& data, const OpenOptions& options);
  ~Instance();

  const DataDir& dir() const { return dir_; }
  const Config& config() const { return config_; }
  storage::SociStore& store() { return *store_; }
  const crypto::CaUrls& urls() const { return urls_; }
  Clock& clock() { return clock_; }
  RandomSource& random() { return random_; }
  // Throws when the instance was opened without the CA key.
  const crypto::Signer& issuing_signer() const;
  // The delegated OCSP responder's key; replaced (not mutated) when it is renewed.
  std::shared_ptr<const crypto::Signer> ocsp_signer() const;
  // The timestamp authority's signer (issued by the server on first start when missing).
  std::shared_ptr<const crypto::Signer> tsa_signer() const;
  // Signs the CMP server's responses (issued by the server on first start when missing).
  std::shared_ptr<const crypto::Signer> cmp_signer() const;
  // The portal's TLS key from `lontar init` (needs the instance opened with the CA key).
  crypto::PrivateKey tls_key() const;
  // The jobs' lease holder: issues a new responder certificate when less than a third
  // of the current one's lifetime remains at `now`, and keeps it in the database for the
  // other servers; returns whether this server's responder changed.
  bool renew_ocsp_if_needed(TimePoint now);
  // Every server: takes the responder the database keeps when it is not this server's
  // own; returns whether it did. Throws, keeping its own, when that one is not signed by
  // this CA's issuing key or has expired (the lease holder then replaces it).
  bool adopt_shared_ocsp();
  // Opens every key this folder holds (each CA and service key, or its PKCS#11 token)
  // with its certificate, and the responder the database keeps for the cluster ("shared
  // ocsp"), uses none, and returns their names; throws naming the first that does not open.
  std::vector<std::string> open_every_key(const std::string& passphrase) const;
  IssuanceService issuance();
  // The request procedure (needs the CA key, which issues on approval).
  RequestService& requests();
  const KeyCustody& custody() const { return custody_; }
  // The chain the holders' certificates are issued under (ca/chain.pem): this CA's, or
  // in RA mode the upstream's. `intermediates_pem` holds every CA certificate but the root.
  struct HolderChain {
    std::string intermediates_pem;
    std::string root_pem;
    std::string issuer_subject;  // the CA that signs the holders' certificates
  };
  HolderChain holder_chain() const;
  // RA mode (opened with the CA key): the CA that issues; nullptr when this instance is the CA.
  const UpstreamCa* upstream() const { return upstream_.get(); }
  // The domain's services over this instance's database; the front ends use these,
  // never the store.
  AccountAdministration accounts() { return {*store_, clock_, random_}; }
  SessionService sessions(SessionPolicy policy) { return {*store_, clock_, random_, policy}; }
  HolderCertificates certificates() { return {*store_, clock_, config_.ra_mode()}; }
  DocumentRegistry documents() { return DocumentRegistry(*store_); }
  RevocationService revocation() { return {*store_, clock_, config_.ra_mode()}; }
  CmpTransactions cmp_transactions() { return {*store_, clock_}; }
  RegistrationAuthorities registration_authorities() { return {*store_, config_.catalog, clock_}; }
  IdempotencyLedger idempotency() { return IdempotencyLedger(*store_); }
  EsignKeys esign_keys() { return {*store_, custody_, clock_, config_.requests.esign_attempts}; }
  const CertificateFactory& factory() const;
  // Shared by every public document check of this process.
  VerificationBudget& verification_budget() { return *verification_budget_; }
  // Failed logins per client address, counted alike by the portal form and the API, so
  // guessing through both gets no more tries than through one.
  FailureThrottle& login_failures() { return login_failures_; }
  // Every registered document, kept whole.
  DocumentFiles& document_files() { return *document_files_; }

 private:
  explicit Instance(DataDir dir) : dir_(std::move(dir)) {}

  DataDir dir_;
  Config config_;
  crypto::CaUrls urls_;
  SystemClock clock_;
  SystemRandom random_;
  std::unique_ptr<storage::SociStore> store_;
  std::unique_ptr<crypto::FileSigner> issuing_;
  std::shared_ptr<const crypto::FileSigner> ocsp_;  // read and swapped with std::atomic_load/store
  std::shared_ptr<const crypto::FileSigner> tsa_;
  std::shared_ptr<const crypto::FileSigner> cmp_;
  using ServiceIssuer = crypto::KeyAndCertificate (*)(const crypto::CaHierarchyOptions&, const crypto::Signer&,
                                                      TimePoint, RandomSource&);
  std::shared_ptr<const crypto::FileSigner> ensure_service_signer(const std::string& name, const std::string& key_uri,
                                                                  const ServiceIssuer& issue);
  // ca/NAME.key, or the key in the PKCS#11 token `key_uri` names.
  std::unique_ptr<crypto::FileSigner> load_signer(const std::string& name, const std::string& key_uri,
                                                  const std::string& passphrase) const;
  bool adopt_ocsp(const std::optional<CaStateRepository::ServiceKey>& shared, TimePoint now);
  std::mutex renew_mutex_;
  std::string ca_passphrase_;  // kept to encrypt a renewed responder key
  std::unique_ptr<crypto::X509CertificateFactory> factory_;
  std::unique_ptr<IssuanceService> issuance_;
  pdf::QpdfLetterInspector letters_;
  crypto::PassphraseKeyCustody custody_;
  std::unique_ptr<TokenVault> token_vault_;
  std::unique_ptr<TokenVault> open_token_vault();
  std::unique_ptr<RequestService> requests_;
  std::unique_ptr<UpstreamCa> upstream_;
  void forward_to_upstream(const std::string& passphrase);
  std::unique_ptr<VerificationBudget> verification_budget_;
  FailureThrottle login_failures_{30, 15 * 60};  // 30 failed logins per address in 15 minutes
  std::unique_ptr<DocumentFiles> document_files_;
};

struct InitOptions {
  std::filesystem::path data;
  std::optional<std::filesystem::path> ca_passphrase_file;
  std::string public_url = "http://127.0.0.1:8080";
  std::string listen = "127.0.0.1:8080";
  std::string database_url = "sqlite:lontar.db";
  std::string ca_algorithm = "ec-p256";
  std::string organisation = "Lontar Demo Institution";
  // RA mode: the upstream CA's CMP endpoint and name, its CA certificates (issuing and
  // root, PEM), and the RA's certificate from it with its key (PEM, unencrypted or
  // encrypted with the CA passphrase; kept encrypted as ca/ra.key).
  std::string mode = "ca";
  std::string upstream_url;
  std::string upstream_name;
  std::filesystem::path upstream_chain;
  std::filesystem::path ra_certificate;
  std::filesystem::path ra_key;
};

struct InitReport {
  bool generated_passphrase = false;
  std::string root_subject;
  std::string issuing_subject;
  std::string database;
};

// Creates the data folder: configuration, CA hierarchy, database. Refuses a folder
// that already holds an instance.
// The configuration `lontar init` writes for these options (before RA mode's upstream).
Config initial_config(const InitOptions& options);
InitReport initialise(const InitOptions& options);

}  // namespace lontar
