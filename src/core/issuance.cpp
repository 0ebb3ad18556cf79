#include "core/issuance.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace lontar {

namespace {
constexpr int kSerialAttempts = 4;

Error key_reused_error(const std::string& nik) {
  return Error(ErrorKind::policy, "key_reused",
               "This key was already certified for account " + nik + "; a renewal must use a newly generated key.");
}

// Backdating absorbs small clock differences between the CA and relying parties.
constexpr std::chrono::seconds kBackdate{60};

}  // namespace

std::vector<std::uint8_t> IssuanceService::new_serial() const {
  std::vector<std::uint8_t> serial(16);
  random_.fill(serial);
  serial[0] = static_cast<std::uint8_t>((serial[0] & 0x3f) | 0x40);
  return serial;
}

CertificateProfile IssuanceService::build_profile(const Account& account, const Product& product) const {
  CertificateProfile profile;
  profile.product = &product;
  profile.serial = new_serial();
  profile.subject.push_back({"C", "ID"});
  if (!account.organisation.empty()) profile.subject.push_back({"O", account.organisation});
  if (!account.unit.empty()) profile.subject.push_back({"OU", account.unit});
  if (product.type == CertificateType::seal) {
    if (account.unit.empty())
      throw Error(ErrorKind::policy, "seal_without_unit",
                  "An electronic seal is issued to a unit, but account " + account.nik + " has no unit.");
    profile.subject.push_back({"CN", account.unit});
  } else {
    profile.subject.push_back({"CN", account.name});
    if (product.subject_serial == SubjectSerial::nik) {
      profile.subject.push_back({"serialNumber", "PNOID-" + account.nik});
    } else if (product.subject_serial == SubjectSerial::staff_number) {
      if (account.staff_number.empty())
        throw Error(ErrorKind::policy, "missing_staff_number",
                    "The product " + product.id + " needs a staff number (NIP), and account " + account.nik +
                        " has none.");
      profile.subject.push_back({"serialNumber", "NIP-" + account.staff_number});
    }
    profile.email_addresses.push_back(account.email);
  }
  const auto now = clock_.now();
  profile.not_before = std::max(now - kBackdate, factory_.issuer_not_before());
  profile.not_after = std::min(now + std::chrono::days{product.validity_days}, factory_.issuer_not_after());
  if (profile.not_after <= now)
    throw Error(ErrorKind::unavailable, "issuer_expired",
                "The issuing CA's certificate has expired; no certificate can be issued until it is renewed.");
  return profile;
}

CertificateRecord IssuanceService::prepare(const Account& account, const Product& product,
                                           const SigningRequest& csr) const {
  const auto& key = csr.facts().key;
  if (auto problem = product.check_key(key); !problem.empty())
    throw Error(ErrorKind::policy, "key_not_allowed", problem);
  const CertificateProfile profile = build_profile(account, product);
  const SignedCertificate signed_cert = factory_.sign(csr, profile);
  CertificateRecord record;
  record.serial_hex = signed_cert.serial_hex;
  record.account_id = account.id;
  record.product_id = product.id;
  record.type = product.type;
  record.subject = signed_cert.subject;
  record.key_description = key.describe();
  record.key_sha256 = key.spki_sha256;
  record.not_before = to_unix(profile.not_before);
  record.not_after = to_unix(profile.not_after);
  record.issued_at = to_unix(clock_.now());
  record.pem = signed_cert.pem;
  return record;
}

std::vector<std::string> IssuanceService::record_issued(StoreTransaction& tx, CertificateRecord& record, const Account& account,
                             const std::string& actor) const {
  const auto now = record.issued_at;
  const auto superseded = tx.certificates().supersede(account.id, record.type, now);
  if (!superseded.empty()) tx.ca_state().bump_status_version();
  record.id = tx.certificates().insert(record);
  for (const auto& serial : superseded)
    tx.audit().append({actor, "certificate.superseded", "certificate:" + serial,
                       nlohmann::json{{"by", record.serial_hex}}.dump()},
                      now);
  tx.audit().append({actor, "certificate.issued", "certificate:" + record.serial_hex,
                     nlohmann::json{{"nik", account.nik},
                                    {"product", record.product_id},
                                    {"request", record.request_id},
                                    {"key", record.key_description}}
                         .dump()},
                    now);
  return superseded;
}

CertificateRecord IssuanceService::issue_for_operator(const OperatorIssue& command) const {
  const Product& product = products_.require(command.product_id);
  const auto csr = factory_.parse_csr(command.csr);
  const auto& key = csr->facts().key;
  if (auto problem = product.check_key(key); !problem.empty())
    throw Error(ErrorKind::policy, "key_not_allowed", problem);

  std::optional<Account> account;
  bool key_reused = false;
  store_.read([&](StoreTransaction& tx) {
    account = tx.accounts().find_by_nik(command.nik);
    if (account) key_reused = tx.certificates().key_used_by_account(account->id, key.spki_sha256);
  });
  if (!account)
    throw Error(ErrorKind::not_found, "unknown_account", "No account has the NIK " + command.nik + ".");
  if (key_reused) throw key_reused_error(command.nik);
  return issue(*account, product, *csr, [&](StoreTransaction& tx, CertificateRecord& record) {
    CertificateRequest request;
    request.account_id = account->id;
    request.product_id = product.id;
    request.type = product.type;
    request.method = Method::lock;
    request.kind = RequestKind::new_certificate;
    request.state = RequestState::issued;
    request.decision_reason = "issued by an operator";
    request.created_at = record.issued_at;
    request.updated_at = record.issued_at;
    request.certificate_serial = record.serial_hex;
    request.key_description = record.key_description;
    request.key_sha256 = record.key_sha256;
    request.id = record.request_id = tx.requests().insert(request);
    if (!record_issued(tx, record, *account, command.actor).empty()) {
      request.kind = RequestKind::renewal;
      tx.requests().save(request, RequestState::issued);
    }
  });
}

CertificateRecord IssuanceService::issue(const Account& account, const Product& product, const SigningRequest& csr,
                                         const Recorder& record) const {
  for (int attempt = 1;; ++attempt) {
    CertificateRecord prepared = prepare(account, product, csr);
    try {
      // Key reuse and serial collisions are caught by the database's unique
      // constraints, not by extra queries in the commit.
      store_.write([&](StoreTransaction& tx) { record(tx, prepared); });
      return prepared;
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::conflict || e.code() != "constraint") throw;
      bool reused = false;
      store_.read([&](StoreTransaction& tx) {
        reused = tx.certificates().key_used_by_account(account.id, csr.facts().key.spki_sha256);
      });
      if (reused) throw key_reused_error(account.nik);
      if (attempt == kSerialAttempts)
        throw Error(ErrorKind::internal, "serial_exhausted", "Could not find an unused serial number.");
    }
  }
}

}  // namespace lontar
