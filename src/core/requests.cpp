#include "core/requests.h"
#include "core/request_errors.h"

#include <nlohmann/json.hpp>

#include "core/encoding.h"
#include "core/error.h"
#include "core/notices.h"
#include "core/password.h"

namespace lontar {

namespace {
using nlohmann::json;

}  // namespace

bool can_review(Role role) noexcept {
  return role == Role::verifier || role == Role::helpdesk || role == Role::admin || role == Role::auditor;
}
bool can_decide(Role role) noexcept { return role == Role::verifier; }


const Product& RequestService::product_for(const Account& applicant, std::string_view product_id,
                                           Method method) const {
  const Product& product = products_.require(product_id);
  if (!product.allows_method(method))
    throw Error(ErrorKind::policy, "method_not_allowed",
                "The product " + product.display_name + " cannot be requested by the " + to_string(method) +
                    " method.");
  if (product.type == CertificateType::seal && applicant.unit.empty())
    throw Error(ErrorKind::policy, "seal_without_unit",
                "An electronic seal is issued to a unit, and your account has no unit. Ask the helpdesk to add it.");
  return product;
}

OpenedRequest RequestService::open(const Account& applicant, const NewRequest& command) {
  const Product& product = product_for(applicant, command.product_id, command.method);
  if (!command.agreement_accepted)
    throw Error(ErrorKind::policy, "agreement_required",
                "Read and accept the subscriber agreement and the warning before submitting the request.");
  if (command.method == Method::esign) {
    if (command.letter.empty())
      throw Error(ErrorKind::invalid_input, "letter_required", "Attach the recommendation letter (PDF).");
    if (auto weak = check_password_strength(command.passphrase); !weak.empty())
      throw Error(ErrorKind::invalid_input, "weak_passphrase", "The passphrase is too weak: " + weak);
  }
  if (!command.letter.empty()) {
    if (command.letter.size() > policy_.letter_max_bytes)
      throw Error(ErrorKind::invalid_input, "letter_too_large",
                  "The recommendation letter is larger than " + std::to_string(policy_.letter_max_bytes / 1048576) +
                      " MiB.");
    letters_.check(command.letter);
  }
  expire_tokens();  // an expired, unused token must not block a new request

  const auto now = to_unix(clock_.now());
  OpenedRequest opened;
  CertificateRequest& r = opened.request;
  r.account_id = applicant.id;
  r.product_id = product.id;
  r.type = product.type;
  r.method = command.method;
  r.created_at = now;
  r.updated_at = now;
  r.agreement_version = policy_.agreement_version;
  if (command.method == Method::lock) {
    opened.csr_token = new_token();
    r.state = RequestState::token_issued;
    r.token_sha256 = hash_token(opened.csr_token);
    r.token_expires_at = now + policy_.token_lifetime.count();
  } else {
    r.state = RequestState::submitted;
    r.submitted_at = now;
    r.custody_envelope = custody_.prepare(command.passphrase);
  }
  try {
    store_.write([&](StoreTransaction& tx) {
      bool renewal = false;
      for (const auto& c : tx.certificates().list_for_account(applicant.id))
        renewal = renewal || (c.type == product.type && c.status == CertificateStatus::valid);
      r.kind = renewal ? RequestKind::renewal : RequestKind::new_certificate;
      if (!command.letter.empty()) r.letter_blob = tx.blobs().put("application/pdf", command.letter);
      r.id = tx.requests().insert(r);
      if (vault_ && !opened.csr_token.empty())
        tx.requests().set_sealed_token(r.id, vault_->seal(opened.csr_token, random_));
      const std::string object = "request:" + std::to_string(r.id);
      tx.audit().append({audit_actor(applicant), "request.opened", object,
                         json{{"product", product.id},
                              {"method", to_string(r.method)},
                              {"kind", to_string(r.kind)},
                              {"agreement_version", policy_.agreement_version},
                              {"agreement_accepted_at", now}}
                             .dump()},
                        now);
      if (r.state == RequestState::submitted) {
        tx.audit().append({audit_actor(applicant), "request.submitted", object,
                           json{{"letter", r.letter_blob}}.dump()},
                          now);
        queue_notice(tx, applicant, "request.submitted", object, "", object + ":submitted", now);
      }
    });
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::conflict) throw;
    throw Error(ErrorKind::conflict, "open_request_exists",
                "You already have an open request for a " + std::string(to_string(product.type)) +
                    " certificate. Finish or cancel it before starting another.");
  }
  return opened;
}

CertificateRequest RequestService::submit_csr(const std::optional<Account>& applicant, std::string_view csr,
                                              std::string_view letter) {
  return submit_csr(applicant, *factory_.parse_csr(csr), letter);
}

CertificateRequest RequestService::submit_csr(const std::optional<Account>& applicant, const SigningRequest& csr,
                                              std::string_view letter, std::optional<std::int64_t> request_id) {
  const auto& facts = csr.facts();
  if (!facts.challenge_password || facts.challenge_password->empty())
    throw Error(ErrorKind::invalid_input, "csr_without_token",
                "The CSR does not carry a CSR token. Make it again with the token as its challenge password.");
  return submit_redeemed(redeem(*facts.challenge_password), applicant, csr, letter, request_id,
                         applicant ? "portal" : "token");
}

CertificateRequest RequestService::submit_redeemed(TokenDetails details, const std::optional<Account>& applicant,
                                                   const SigningRequest& csr, std::string_view letter,
                                                   std::optional<std::int64_t> request_id, const char* via) {
  const auto& facts = csr.facts();
  // Named references, not structured bindings: lambdas below capture them (clang 14
  // cannot capture bindings).
  auto& request = details.request;
  auto& owner = details.applicant;
  if (applicant && applicant->id != owner.id) throw unknown_token();
  if (request_id && *request_id != request.id)
    throw Error(ErrorKind::not_found, "token_unknown", "The CSR token inside the CSR belongs to another request.");
  // A retried submission of the same CSR (the first answer was lost) is not an error.
  if (request.state != RequestState::token_issued) {
    if (!request.key_sha256.empty() && request.key_sha256 == facts.key.spki_sha256) return request;
    throw Error(ErrorKind::conflict, "token_used",
                "This CSR token was already used. Each token submits one CSR; request a new one if needed.");
  }
  const Product& product = products_.require(request.product_id);
  if (auto problem = product.check_key(facts.key); !problem.empty())
    throw Error(ErrorKind::policy, "key_not_allowed", problem);
  std::string letter_data(letter);
  if (!letter_data.empty()) {
    if (letter_data.size() > policy_.letter_max_bytes)
      throw Error(ErrorKind::invalid_input, "letter_too_large",
                  "The recommendation letter is larger than " + std::to_string(policy_.letter_max_bytes / 1048576) +
                      " MiB.");
    letters_.check(letter_data);
  } else if (request.letter_blob.empty()) {
    throw Error(ErrorKind::invalid_input, "letter_required", "Attach the recommendation letter (PDF).");
  }

  const auto now = to_unix(clock_.now());
  store_.write([&](StoreTransaction& tx) {
    if (tx.certificates().key_used_by_account(owner.id, facts.key.spki_sha256))
      throw Error(ErrorKind::policy, "key_reused",
                  "This key was certified before; a renewal must use a newly generated key.");
    // One key, one certificate: the second of two requests with it could never be issued.
    if (const auto other = tx.requests().open_request_with_key(owner.id, facts.key.spki_sha256, request.id))
      throw Error(ErrorKind::policy, "key_on_other_request",
                  "This key is already on your request #" + std::to_string(*other) +
                      "; make a new key for this request.");
    CertificateRequest updated = request;
    if (!letter_data.empty()) updated.letter_blob = tx.blobs().put("application/pdf", letter_data);
    updated.state = RequestState::submitted;
    updated.csr_pem = csr.pem();
    updated.key_description = facts.key.describe();
    updated.key_sha256 = facts.key.spki_sha256;
    updated.submitted_at = now;
    updated.updated_at = now;
    if (!tx.requests().save(updated, RequestState::token_issued))
      throw Error(ErrorKind::conflict, "token_used", "This CSR token was already used.");
    const std::string object = "request:" + std::to_string(updated.id);
    tx.audit().append({audit_actor(owner), "request.submitted", object,
                       json{{"key", updated.key_description},
                            {"key_sha256", updated.key_sha256},
                            {"letter", updated.letter_blob},
                            {"via", via}}
                           .dump()},
                      now);
    queue_notice(tx, owner, "request.submitted", object, "", object + ":submitted", now);
    request = updated;
  });
  return request;
}

CertificateRequest RequestService::cancel(const Account& applicant, std::int64_t id) {
  auto request = for_owner(applicant, id);
  const auto from = request.state;
  if (from != RequestState::token_issued && from != RequestState::submitted && from != RequestState::draft)
    throw Error(ErrorKind::conflict, "not_cancellable", "This request has been decided and can no longer be cancelled.");
  const auto now = to_unix(clock_.now());
  store_.write([&](StoreTransaction& tx) {
    if (!tx.requests().transition(id, from, RequestState::cancelled, "cancelled by the applicant", now))
      throw Error(ErrorKind::conflict, "not_cancellable", "The request changed meanwhile; reload the page.");
    const std::string object = "request:" + std::to_string(id);
    tx.audit().append({audit_actor(applicant), "request.cancelled", object, "{}"}, now);
    queue_notice(tx, applicant, "request.cancelled", object, "", object + ":cancelled", now);
  });
  request.state = RequestState::cancelled;
  return request;
}

CertificateRequest RequestService::approve(const Account& verifier, std::int64_t id) {
  if (!can_decide(verifier.role))
    throw Error(ErrorKind::forbidden, "not_a_verifier", "Only a verifier can approve or reject requests.");
  auto request = for_reviewer(verifier, id);
  if (request.account_id == verifier.id)
    throw Error(ErrorKind::forbidden, "own_request", "You cannot decide your own request; another verifier must.");
  if (request.state != RequestState::submitted)
    throw Error(ErrorKind::conflict, "already_decided", "This request is no longer waiting for a decision.");
  const Product& product = products_.require(request.product_id);
  const auto now = to_unix(clock_.now());
  std::optional<Account> owner;
  store_.write([&](StoreTransaction& tx) {
    owner.reset();
    // Locks the row: concurrent decisions on one request run one after the other.
    if (!tx.requests().transition(id, RequestState::submitted, RequestState::submitted, "", now))
      throw Error(ErrorKind::conflict, "already_decided", "This request was decided meanwhile.");
    // Checked under the row lock taken above, so a double click cannot count twice.
    for (const auto& earlier : tx.requests().approvals(id))
      if (earlier.verifier_id == verifier.id)
        throw Error(ErrorKind::conflict, "already_approved", "You have already approved this request.");
    tx.requests().add_approval({id, verifier.id, now});
    const auto count = static_cast<int>(tx.requests().approvals(id).size());
    const std::string object = "request:" + std::to_string(id);
    tx.audit().append({audit_actor(verifier), "request.approval", object,
                       json{{"approvals", count}, {"required", product.approvals}}.dump()},
                      now);
    if (count >= product.approvals) {
      auto updated = request;
      updated.state = RequestState::approved;
      updated.decided_by = verifier.id;
      updated.updated_at = now;
      if (!tx.requests().save(updated, RequestState::submitted))
        throw Error(ErrorKind::conflict, "already_decided", "This request was decided meanwhile.");
      tx.audit().append({audit_actor(verifier), "request.approved", object, "{}"}, now);
      owner = tx.accounts().find_by_id(request.account_id);
      if (owner) queue_notice(tx, *owner, "request.approved", object, "", object + ":approved", now);
    }
  });
  if (!owner) return request;  // waiting for another verifier
  request.state = RequestState::approved;
  request.decided_by = verifier.id;
  request.updated_at = now;
  // RA mode: the forwarding job asks the upstream within a second; a verifier's click
  // does not wait on another CA's network.
  if (upstream_) return request;
  try {
    return issue(request, *owner);
  } catch (const Error&) {
    // The request stays approved and the issuing job takes it up again; or that job got
    // there first (its compare-and-set won), and the verifier sees what it issued.
    std::optional<CertificateRequest> stored;
    try {
      store_.read([&](StoreTransaction& tx) { stored = tx.requests().find(id); });
    } catch (const Error&) {
    }
    return stored ? *stored : request;
  }
}

CertificateRequest RequestService::reject(const Account& verifier, std::int64_t id, std::string_view reason) {
  if (!can_decide(verifier.role))
    throw Error(ErrorKind::forbidden, "not_a_verifier", "Only a verifier can approve or reject requests.");
  std::string text(reason);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  if (text.size() < 5 || text.size() > 1000)
    throw Error(ErrorKind::invalid_input, "reason_required",
                "Give the applicant a reason for the rejection (5 to 1000 characters).");
  auto request = for_reviewer(verifier, id);
  if (request.account_id == verifier.id)
    throw Error(ErrorKind::forbidden, "own_request", "You cannot decide your own request; another verifier must.");
  const auto now = to_unix(clock_.now());
  store_.write([&](StoreTransaction& tx) {
    auto updated = request;
    updated.state = RequestState::rejected;
    updated.decision_reason = text;
    updated.decided_by = verifier.id;
    updated.updated_at = now;
    if (!tx.requests().save(updated, RequestState::submitted))
      throw Error(ErrorKind::conflict, "already_decided", "This request is no longer waiting for a decision.");
    const std::string object = "request:" + std::to_string(id);
    tx.audit().append({audit_actor(verifier), "request.rejected", object, json{{"reason", text}}.dump()}, now);
    if (auto owner = tx.accounts().find_by_id(request.account_id))
      queue_notice(tx, *owner, "request.rejected", object, text, object + ":rejected", now);
  });
  return for_reviewer(verifier, id);
}

CertificateRequest RequestService::issue(const CertificateRequest& request, const Account& owner) {
  if (upstream_) return forward(request, owner);
  const Product& product = products_.require(request.product_id);
  std::unique_ptr<SigningRequest> csr;
  std::string sealed_key;
  if (request.method == Method::esign) {
    auto generated = custody_.generate(request.custody_envelope, product);
    csr = std::move(generated.csr);
    sealed_key = std::move(generated.sealed_key);
  } else {
    csr = factory_.read_kept_request(request.csr_pem);  // kept since submission, perhaps days ago
  }
  CertificateRequest updated = request;
  try {
    issue_recorded(request, owner, product, *csr, sealed_key, updated);
  } catch (const Error& e) {
    // A refusal of the request itself (its key was certified meanwhile, the account
    // lost what the product needs) would fail on every retry: the request ends here.
    if (e.kind() != ErrorKind::policy) throw;
    return refuse_issuance(request, owner, e.what());
  }
  return updated;
}

void RequestService::issue_recorded(const CertificateRequest& request, const Account& owner, const Product& product,
                                    const SigningRequest& csr, const std::string& sealed_key,
                                    CertificateRequest& updated) {
  issuance_.issue(owner, product, csr, [&](StoreTransaction& tx, CertificateRecord& record) {
    record.request_id = request.id;
    updated = request;
    updated.state = RequestState::issued;
    updated.certificate_serial = record.serial_hex;
    updated.csr_pem = request.method == Method::esign ? csr.pem() : request.csr_pem;
    updated.sealed_key = sealed_key;
    updated.key_description = record.key_description;
    updated.key_sha256 = record.key_sha256;
    updated.updated_at = record.issued_at;
    if (!tx.requests().save(updated, RequestState::approved))
      throw Error(ErrorKind::conflict, "already_issued", "The request was issued by another worker.");
    issuance_.record_issued(tx, record, owner, "system:issuer");
    const std::string object = "request:" + std::to_string(request.id);
    tx.audit().append({"system:issuer", "request.issued", object, json{{"serial", record.serial_hex}}.dump()},
                      record.issued_at);
    queue_notice(tx, owner, "request.issued", object, record.serial_hex, object + ":issued", record.issued_at);
  });
}

CertificateRequest RequestService::refuse_issuance(const CertificateRequest& request, const Account& owner,
                                                   const std::string& reason) {
  const auto now = to_unix(clock_.now());
  const std::string text = "The CA could not issue the certificate: " + reason;
  store_.write([&](StoreTransaction& tx) {
    if (!tx.requests().transition(request.id, RequestState::approved, RequestState::rejected, text, now))
      throw Error(ErrorKind::conflict, "already_issued", "The request was settled by another worker.");
    const std::string object = "request:" + std::to_string(request.id);
    tx.audit().append({"system:issuer", "request.issuance_refused", object, json{{"reason", reason}}.dump()}, now);
    queue_notice(tx, owner, "request.rejected", object, text, object + ":rejected", now);
  });
  auto refused = request;
  refused.state = RequestState::rejected;
  refused.decision_reason = text;
  refused.updated_at = now;
  return refused;
}

}  // namespace lontar
