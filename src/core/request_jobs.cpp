// The procedure's background work (run by the server's jobs): issuing what was approved,
// expiring unused tokens, notices before certificates expire.
#include "core/error.h"
#include "core/notices.h"
#include "core/requests.h"

namespace lontar {

int RequestService::issue_approved() {
  std::vector<std::pair<CertificateRequest, std::optional<Account>>> approved;
  store_.read([&](StoreTransaction& tx) {
    approved.clear();
    for (auto& request : tx.requests().list_in_state(RequestState::approved, 100)) {
      auto owner = tx.accounts().find_by_id(request.account_id);
      approved.emplace_back(std::move(request), std::move(owner));
    }
  });
  int issued = 0;
  for (const auto& [request, owner] : approved) {
    if (!owner) continue;  // accounts are never deleted; nothing to issue to
    try {
      if (issue(request, *owner).state == RequestState::issued) ++issued;
    } catch (const Error&) {
      // Another worker got there first, or a dependency is down: the next round retries.
    }
  }
  return issued;
}

int RequestService::expire_tokens() {
  const auto now = to_unix(clock_.now());
  std::vector<CertificateRequest> waiting;
  store_.read([&](StoreTransaction& tx) { waiting = tx.requests().list_in_state(RequestState::token_issued, 1000); });
  int expired = 0;
  for (const auto& request : waiting) {
    if (request.token_expires_at > now) continue;
    store_.write([&](StoreTransaction& tx) {
      if (!tx.requests().transition(request.id, RequestState::token_issued, RequestState::expired,
                                    "the CSR token was not used in time", now))
        return;
      tx.audit().append({"system:expiry", "request.expired", "request:" + std::to_string(request.id), "{}"}, now);
      ++expired;
    });
  }
  return expired;
}

int RequestService::notify_expiring() {
  const auto now = to_unix(clock_.now());
  int queued = 0;
  store_.write([&](StoreTransaction& tx) {
    queued = 0;
    for (const auto& c : tx.certificates().list_expiring(now, now + 30 * 86400)) {
      const auto days_left = (c.not_after - now + 86399) / 86400;
      const int threshold = days_left <= 1 ? 1 : days_left <= 7 ? 7 : 30;
      auto owner = tx.accounts().find_by_id(c.account_id);
      if (!owner) continue;
      const std::string object = "certificate:" + c.serial_hex;
      const auto renew_at = policy_.portal_url.empty() ? "" : " — " + policy_.portal_url + "/sertifikat";
      queue_notice(tx, *owner, "certificate.expiring", object, std::to_string(days_left) + renew_at,
                   object + ":expiring:" + std::to_string(threshold), now);
      ++queued;
    }
  });
  return queued;
}

}  // namespace lontar
