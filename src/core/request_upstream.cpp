// RA mode: an approved request is not issued here but forwarded to the upstream CA
// (core/upstream.h), as a durable job: the transaction id is written before the first
// message is sent, so a retry after a crash asks again in the same transaction, and an
// unreachable upstream leaves the request approved, retried with back-off.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/encoding.h"
#include "core/error.h"
#include "core/notices.h"
#include "core/requests.h"

namespace lontar {

namespace {
using nlohmann::json;

constexpr std::int64_t kMaxBackoffSeconds = 3600;

std::int64_t backoff(std::int64_t base, int attempts) {
  std::int64_t delay = base;
  for (int i = 1; i < attempts && delay < kMaxBackoffSeconds; ++i) delay *= 2;
  return std::min(delay, kMaxBackoffSeconds);
}
}  // namespace

void RequestService::forward_to(const UpstreamCa& upstream, std::chrono::seconds retry, std::chrono::seconds lease) {
  upstream_ = &upstream;
  upstream_retry_ = retry;
  upstream_lease_ = lease;
}

std::string RequestService::new_transaction_id() {
  std::vector<std::uint8_t> id(16);
  random_.fill(id);
  return to_hex(id);
}

// The order of `request`, created with its transaction id (and, for eSign, the key made
// now and kept, so that every retry certifies the same key); nullopt when another
// worker holds it or it is not due.
std::optional<CertificateRequest> RequestService::take_order(const CertificateRequest& request, const Product& product) {
  const auto now = to_unix(clock_.now());
  std::optional<CertificateRequest> taken;
  store_.write([&](StoreTransaction& tx) {
    taken.reset();
    auto current = tx.requests().find(request.id);
    if (!current || current->state != RequestState::approved) return;
    auto order = tx.upstream().find_order(request.id);
    if (!order) {
      if (current->method == Method::esign && current->sealed_key.empty()) {
        auto generated = custody_.generate(current->custody_envelope, product);
        current->csr_pem = generated.csr->pem();
        current->sealed_key = std::move(generated.sealed_key);
        if (!tx.requests().save(*current, RequestState::approved)) return;
      }
      tx.upstream().insert_order({request.id, new_transaction_id(), "sending", 0, 0, 0, "", now, now});
      order = tx.upstream().find_order(request.id);
    } else if (order->state == "answer_refused" && order->next_attempt_at <= now) {
      // The last answer was refused (and the CA told so): a new transaction.
      order->transaction_id = new_transaction_id();
      order->state = "sending";
      tx.upstream().update_order(*order);
    }
    if (order->state != "sending" || !tx.upstream().lease_order(request.id, now, now + upstream_lease_.count())) return;
    taken = *current;
  });
  return taken;
}

CertificateRequest RequestService::forward(const CertificateRequest& approved, const Account& owner) {
  const Product& product = products_.require(approved.product_id);
  const auto request = take_order(approved, product);
  if (!request) return approved;
  std::optional<UpstreamOrder> order;
  store_.read([&](StoreTransaction& tx) { order = tx.upstream().find_order(request->id); });
  const auto key = factory_.read_kept_request(request->csr_pem);
  const auto profile = issuance_.build_profile(owner, product);
  CertificateRequest updated = *request;
  try {
    upstream_->certify({order->transaction_id, product.id, profile.subject, profile.email_addresses}, *key,
                       [&](const UpstreamCertificate& issued) { updated = keep_upstream(*request, owner, product, *key, issued); });
    return updated;
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::policy) {
      settle_order(request->id, "refused", e.what(), 0);
      return refuse_issuance(*request, owner, e.what());
    }
    const bool answer_refused = e.code() == "upstream_answer_refused";
    settle_order(request->id, answer_refused ? "answer_refused" : "sending", e.what(),
                 backoff(upstream_retry_.count(), order->attempts + 1));
    throw;
  }
}

void RequestService::settle_order(std::int64_t request_id, const std::string& state, const std::string& error,
                                  std::int64_t retry_in) {
  const auto now = to_unix(clock_.now());
  store_.write([&](StoreTransaction& tx) {
    auto order = tx.upstream().find_order(request_id);
    if (!order || order->state == "stored") return;
    order->state = state;
    order->last_error = error;
    order->leased_until = 0;
    order->next_attempt_at = now + retry_in;
    order->updated_at = now;
    tx.upstream().update_order(*order);
    tx.audit().append({"system:upstream", "request.forward_failed", "request:" + std::to_string(request_id),
                       json{{"error", error}, {"attempts", order->attempts}, {"retry_at", order->next_attempt_at}}.dump()},
                      now);
  });
}

CertificateRequest RequestService::keep_upstream(const CertificateRequest& request, const Account& owner,
                                                 const Product& product, const SigningRequest& key,
                                                 const UpstreamCertificate& issued) {
  CertificateRequest updated = request;
  const auto now = to_unix(clock_.now());
  store_.write([&](StoreTransaction& tx) {
    auto current = tx.requests().find(request.id);
    if (current && current->state == RequestState::issued && current->certificate_serial == issued.serial_hex) {
      updated = *current;  // kept by an earlier attempt in this transaction
      return;
    }
    if (!current || current->state != RequestState::approved)
      throw Error(ErrorKind::conflict, "already_issued", "The request was settled by another worker.");
    CertificateRecord record;
    record.serial_hex = issued.serial_hex;
    record.account_id = owner.id;
    record.product_id = product.id;
    record.type = product.type;
    record.subject = issued.subject;
    record.key_description = key.facts().key.describe();
    record.key_sha256 = key.facts().key.spki_sha256;
    record.not_before = issued.not_before;
    record.not_after = issued.not_after;
    record.issued_at = now;
    record.pem = issued.pem;
    record.request_id = request.id;
    updated = *current;
    updated.state = RequestState::issued;
    updated.certificate_serial = record.serial_hex;
    updated.key_description = record.key_description;
    updated.key_sha256 = record.key_sha256;
    updated.updated_at = now;
    if (!tx.requests().save(updated, RequestState::approved))
      throw Error(ErrorKind::conflict, "already_issued", "The request was settled by another worker.");
    const std::string actor = "upstream:" + upstream_->name();
    for (const auto& serial : issuance_.record_issued(tx, record, owner, actor))
      tx.upstream().queue_revocation(serial, 4 /* superseded */, now);
    const std::string object = "request:" + std::to_string(request.id);
    tx.audit().append({actor, "request.issued", object, json{{"serial", record.serial_hex}}.dump()}, now);
    queue_notice(tx, owner, "request.issued", object, record.serial_hex, object + ":issued", now);
    auto order = tx.upstream().find_order(request.id);
    if (order) {
      order->state = "stored";
      order->leased_until = 0;
      order->last_error.clear();
      order->updated_at = now;
      tx.upstream().update_order(*order);
    }
  });
  return updated;
}

int RequestService::forward_revocations() {
  if (!upstream_) return 0;
  const auto now = to_unix(clock_.now());
  std::vector<std::pair<UpstreamRevocation, std::string>> due;
  store_.read([&](StoreTransaction& tx) {
    due.clear();
    for (auto& r : tx.upstream().due_revocations(now, 50)) {
      const auto certificate = tx.certificates().find_by_serial(r.serial_hex);
      due.emplace_back(std::move(r), certificate ? certificate->pem : "");
    }
  });
  int told = 0;
  for (auto& [revocation, pem] : due) {
    try {
      if (pem.empty()) throw Error(ErrorKind::policy, "unknown_certificate", "No such certificate is kept here.");
      upstream_->revoke(pem, revocation.reason);
      revocation.state = "done";
      revocation.last_error.clear();
      ++told;
    } catch (const Error& e) {
      ++revocation.attempts;
      revocation.last_error = e.what();
      if (e.kind() == ErrorKind::policy) revocation.state = "refused";
      revocation.next_attempt_at = now + backoff(upstream_retry_.count(), revocation.attempts);
    }
    store_.write([&](StoreTransaction& tx) {
      tx.upstream().update_revocation(revocation, now);
      if (revocation.state != "pending")
        tx.audit().append({"system:upstream",
                           revocation.state == "done" ? "certificate.revocation_forwarded" : "certificate.revocation_refused",
                           "certificate:" + revocation.serial_hex, json{{"error", revocation.last_error}}.dump()},
                          now);
    });
  }
  return told;
}

}  // namespace lontar
