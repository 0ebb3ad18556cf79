#include "core/issuance.h"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "core/account.h"
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

// The request row of a certificate no applicant asked for here (an operator's, an RA's).
CertificateRequest request_issued_without_procedure(const Account& account, const Product& product,
                                                    const CertificateRecord& record, std::string reason) {
  CertificateRequest request;
  request.account_id = account.id;
  request.product_id = product.id;
  request.type = product.type;
  request.method = Method::lock;
  request.kind = RequestKind::new_certificate;
  request.state = RequestState::issued;
  request.decision_reason = std::move(reason);
  request.created_at = request.updated_at = record.issued_at;
  request.certificate_serial = record.serial_hex;
  request.key_description = record.key_description;
  request.key_sha256 = record.key_sha256;
  return request;
}
}  // namespace

std::string check_ra_subject(const std::vector<SubjectAttribute>& subject) {
  static const std::vector<std::string> kAllowed = {"C", "O", "OU", "CN", "serialNumber"};
  bool has_cn = false;
  if (subject.empty() || subject.size() > 8) return "The subject has 1 to 8 attributes.";
  for (const auto& a : subject) {
    if (std::find(kAllowed.begin(), kAllowed.end(), a.type) == kAllowed.end())
      return "The subject may name only C, O, OU, CN and serialNumber (not " + a.type + ").";
    if (a.value.empty() || a.value.size() > 128) return "Each subject attribute has 1 to 128 characters.";
    if (a.type == "C" && (a.value.size() != 2 || !std::isupper(static_cast<unsigned char>(a.value[0])) ||
                          !std::isupper(static_cast<unsigned char>(a.value[1]))))
      return "The subject's country (C) is two capital letters.";
    has_cn = has_cn || a.type == "CN";
  }
  return has_cn ? "" : "The subject names no one: it has no common name (CN).";
}

std::vector<std::uint8_t> IssuanceService::new_serial() const {
  std::vector<std::uint8_t> serial(16);
  random_.fill(serial);
  serial[0] = static_cast<std::uint8_t>((serial[0] & 0x3f) | 0x40);
  return serial;
}

CertificateProfile IssuanceService::base_profile(const Product& product) const {
  CertificateProfile profile;
  profile.product = &product;
  profile.serial = new_serial();
  const auto now = clock_.now();
  profile.not_before = std::max(now - kBackdate, factory_.issuer_not_before());
  profile.not_after = std::min(now + std::chrono::days{product.validity_days}, factory_.issuer_not_after());
  if (profile.not_after <= now)
    throw Error(ErrorKind::unavailable, "issuer_expired",
                "The issuing CA's certificate has expired; no certificate can be issued until it is renewed.");
  return profile;
}

CertificateProfile IssuanceService::build_profile(const Account& account, const Product& product) const {
  CertificateProfile profile = base_profile(product);
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
  return profile;
}

CertificateRecord IssuanceService::prepare(const Account& account, const Product& product,
                                           const SigningRequest& csr) const {
  const auto& key = csr.facts().key;
  if (auto problem = product.check_key(key); !problem.empty())
    throw Error(ErrorKind::policy, "key_not_allowed", problem);
  return sign_profile(account, product, csr, build_profile(account, product));
}

CertificateRecord IssuanceService::sign_profile(const Account& account, const Product& product,
                                                const SigningRequest& csr, const CertificateProfile& profile) const {
  const auto& key = csr.facts().key;
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

std::vector<std::string> IssuanceService::record_issued(StoreTransaction& tx, CertificateRecord& record,
                                                       const Account& account, const std::string& actor,
                                                       bool supersede) const {
  const auto now = record.issued_at;
  const auto superseded =
      supersede ? tx.certificates().supersede(account.id, record.type, now) : std::vector<std::string>{};
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
    auto request = request_issued_without_procedure(*account, product, record, "issued by an operator");
    request.id = record.request_id = tx.requests().insert(request);
    if (!record_issued(tx, record, *account, command.actor).empty()) {
      request.kind = RequestKind::renewal;
      tx.requests().save(request, RequestState::issued);
    }
  });
}

CertificateRecord IssuanceService::issue_for_ra(const RaIssue& command, const SigningRequest& key) const {
  const Product& product = products_.require(command.product_id);
  if (!may_request(command.ra, product.id))
    throw Error(ErrorKind::forbidden, "product_not_allowed",
                "The registration authority " + command.ra.name + " may not request " + product.id + ".");
  if (auto problem = check_ra_subject(command.subject); !problem.empty())
    throw Error(ErrorKind::invalid_input, "bad_subject", problem);
  for (const auto& email : command.email_addresses)
    if (auto problem = check_email(email); !problem.empty()) throw Error(ErrorKind::invalid_input, "bad_email", problem);
  if (command.email_addresses.size() > 4)
    throw Error(ErrorKind::invalid_input, "bad_email", "A certificate carries at most four e-mail addresses.");
  if (auto problem = product.check_key(key.facts().key); !problem.empty())
    throw Error(ErrorKind::policy, "key_not_allowed", problem);
  std::optional<Account> account;
  store_.read([&](StoreTransaction& tx) { account = tx.accounts().find_by_id(command.ra.account_id); });
  if (!account) throw Error(ErrorKind::internal, "ra_account_missing", "The RA's account is missing.");
  CertificateProfile profile = base_profile(product);
  profile.subject = command.subject;
  profile.email_addresses = command.email_addresses;
  return issue_signed(*account, key, [&] { return sign_profile(*account, product, key, profile); },
                      [&](StoreTransaction& tx, CertificateRecord& record) {
                        if (tx.cmp_transactions().find(command.transaction.id))
                          throw Error(ErrorKind::conflict, "transaction_in_use", "This transactionID was used before.");
                        auto request = request_issued_without_procedure(
                            *account, product, record, "vetted by the registration authority " + command.ra.name);
                        request.id = record.request_id = tx.requests().insert(request);
                        auto transaction = command.transaction;
                        transaction.request_id = request.id;
                        transaction.state = "issued";
                        transaction.created_at = transaction.updated_at = record.issued_at;
                        tx.cmp_transactions().insert(transaction);
                        record_issued(tx, record, *account, audit_actor(command.ra), false);
                      });
}

CertificateRecord IssuanceService::issue(const Account& account, const Product& product, const SigningRequest& csr,
                                         const Recorder& record) const {
  return issue_signed(account, csr, [&] { return prepare(account, product, csr); }, record);
}

CertificateRecord IssuanceService::issue_signed(const Account& account, const SigningRequest& csr,
                                                const std::function<CertificateRecord()>& sign,
                                                const Recorder& record) const {
  for (int attempt = 1;; ++attempt) {
    CertificateRecord prepared = sign();
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
