// Renewal with the current certificate, and enrolment over CMP: the parts of the
// procedure that a protocol client (OpenSSL's CMP, lontar-lock renew) drives.
#include <ctime>

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/notices.h"
#include "core/password.h"
#include "core/requests.h"

namespace lontar {

namespace {
using nlohmann::json;

std::string utc_date(std::int64_t at) {
  const std::time_t t = static_cast<std::time_t>(at);
  std::tm parts{};
  gmtime_r(&t, &parts);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &parts);
  return text;
}
}  // namespace

std::optional<std::string> RequestService::cmp_secret(std::int64_t id) const {
  if (!vault_) return std::nullopt;
  std::string sealed;
  std::optional<CertificateRequest> request;
  store_.read([&](StoreTransaction& tx) {
    request = tx.requests().find(id);
    sealed = request ? tx.requests().sealed_token(id) : "";
  });
  if (!request || request->method != Method::lock || sealed.empty()) return std::nullopt;
  return vault_->open(sealed);
}

CertificateRequest RequestService::submit_key(std::int64_t id, std::string_view token, const SigningRequest& key) {
  auto details = redeem(token);
  if (details.request.id != id)
    throw Error(ErrorKind::not_found, "token_unknown", "The CSR token belongs to another request.");
  return submit_redeemed(std::move(details), std::nullopt, key, "", id, "cmp");
}

std::int64_t RequestService::renewal_opens_at(const CertificateRecord& current) const {
  const Product* product = products_.find(current.product_id);
  const std::int64_t days = product ? product->renewal_window_days : 60;
  return current.not_after - days * 86400;
}

bool RequestService::holder_unchanged(const CertificateRecord& current, const Account& owner,
                                      const Product& product) const {
  try {
    return factory_.subject_text(issuance_.build_profile(owner, product).subject) == current.subject;
  } catch (const Error&) {
    return false;  // the account no longer has what the product needs: a verifier looks
  }
}

const Product& RequestService::renewable_product(const CertificateRecord& current, Method method) const {
  const auto now = to_unix(clock_.now());
  if (current.status != CertificateStatus::valid || current.not_after <= now)
    throw Error(ErrorKind::policy, "certificate_not_valid",
                std::string("Only a valid certificate can be renewed; this one is ") +
                    (current.not_after <= now ? "expired" : to_string(current.status)) +
                    ". Request a new certificate in the portal.");
  const Product& product = products_.require(current.product_id);
  if (!product.allows_method(method))
    throw Error(ErrorKind::policy, "method_not_allowed",
                "The product " + product.display_name + " cannot be renewed by the " + display_name(method) +
                    " method.");
  if (const auto opens = renewal_opens_at(current); now < opens)
    throw Error(ErrorKind::policy, "outside_renewal_window",
                "This certificate can be renewed from " + utc_date(opens) + ", " +
                    std::to_string(product.renewal_window_days) + " days before it expires on " +
                    utc_date(current.not_after) + ".");
  return product;
}

CertificateRequest RequestService::renew(const CertificateRecord& current, const SigningRequest& key,
                                         std::string_view via) {
  // The same key sent again by a client that stopped waiting: its renewal, in whatever
  // state, even when its issuance has superseded the certificate that signs now.
  std::optional<CertificateRequest> earlier;
  store_.read([&](StoreTransaction& tx) {
    for (auto& r : tx.requests().list_for_account(current.account_id))
      if (r.kind == RequestKind::renewal && r.key_sha256 == key.facts().key.spki_sha256 &&
          (r.state == RequestState::submitted || r.state == RequestState::approved || r.state == RequestState::issued))
        earlier = std::move(r);
  });
  if (earlier) return *earlier;
  const Product& product = renewable_product(current, Method::lock);
  const auto& facts = key.facts();
  if (auto problem = product.check_key(facts.key); !problem.empty())
    throw Error(ErrorKind::policy, "key_not_allowed", problem);
  CertificateRequest r;
  r.method = Method::lock;
  r.csr_pem = key.pem();
  r.key_description = facts.key.describe();
  r.key_sha256 = facts.key.spki_sha256;
  return open_renewal(current, product, std::move(r), via);
}

CertificateRequest RequestService::renew_esign(const EsignKeys& keys, const Account& holder,
                                               const CertificateRecord& current, std::string_view passphrase) {
  if (current.account_id != holder.id)
    throw Error(ErrorKind::not_found, "unknown_certificate", "No certificate of yours has this serial number.");
  const Product& product = renewable_product(current, Method::esign);
  auto opened = keys.open(holder, current.type, passphrase);
  sodium_memzero(opened.key_der.data(), opened.key_der.size());
  if (auto weak = check_password_strength(passphrase); !weak.empty())
    throw Error(ErrorKind::invalid_input, "weak_passphrase", "The passphrase is too weak: " + weak);
  CertificateRequest r;
  r.method = Method::esign;
  r.custody_envelope = custody_.prepare(passphrase);
  return open_renewal(current, product, std::move(r), "portal");
}

CertificateRequest RequestService::open_renewal(const CertificateRecord& current, const Product& product,
                                                CertificateRequest r, std::string_view via) {
  std::optional<Account> owner;
  store_.read([&](StoreTransaction& tx) { owner = tx.accounts().find_by_id(current.account_id); });
  if (!owner) throw Error(ErrorKind::not_found, "unknown_account", "The certificate's account no longer exists.");
  const bool automatic = product.renewal == RenewalPolicy::automatic && holder_unchanged(current, *owner, product);
  const auto now = to_unix(clock_.now());
  r.account_id = owner->id;
  r.product_id = product.id;
  r.type = product.type;
  r.kind = RequestKind::renewal;
  r.state = automatic ? RequestState::approved : RequestState::submitted;
  r.created_at = r.updated_at = r.submitted_at = now;
  r.agreement_version = policy_.agreement_version;
  bool resumed = false;
  try {
    store_.write([&](StoreTransaction& tx) {
      resumed = false;
      if (!r.key_sha256.empty()) {
        if (tx.certificates().key_used_by_account(owner->id, r.key_sha256))
          throw Error(ErrorKind::policy, "key_reused", "This key was certified before; a renewal needs a new key.");
        if (const auto other = tx.requests().open_request_with_key(owner->id, r.key_sha256, 0)) {
          // The same renewal sent again (a client that stopped waiting): the open request.
          if (auto earlier = tx.requests().find(*other); earlier && earlier->kind == RequestKind::renewal) {
            r = *earlier;
            resumed = true;
            return;
          }
          throw Error(ErrorKind::policy, "key_on_other_request",
                      "This key is already on request #" + std::to_string(*other) + "; make a new key.");
        }
      }
      r.id = tx.requests().insert(r);
      audit_renewal(tx, r, current, *owner, automatic, via, now);
    });
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::conflict) throw;
    throw Error(ErrorKind::conflict, "open_request_exists",
                "There is already an open request for a " + std::string(to_string(product.type)) +
                    " certificate on this account. Finish or cancel it before renewing.");
  }
  if (resumed || !automatic || upstream_) return r;  // RA mode: the forwarding job asks the upstream
  try {
    return issue(r, *owner);
  } catch (const Error&) {
    return r;  // stays approved; the issuing job takes it up again
  }
}

void RequestService::audit_renewal(StoreTransaction& tx, const CertificateRequest& r, const CertificateRecord& current,
                                   const Account& owner, bool automatic, std::string_view via, std::int64_t now) {
  const std::string actor = "certificate:" + current.serial_hex;
  const std::string object = "request:" + std::to_string(r.id);
  tx.audit().append({actor, "request.opened", object,
                     json{{"product", r.product_id},
                          {"method", to_string(r.method)},
                          {"kind", "renewal"},
                          {"renews", current.serial_hex},
                          {"via", via}}
                         .dump()},
                    now);
  tx.audit().append({actor, "request.submitted", object,
                     json{{"key", r.key_description}, {"key_sha256", r.key_sha256}, {"via", via}}.dump()}, now);
  if (automatic) {
    tx.audit().append({"system:renewal", "request.approved", object,
                       json{{"policy", "automatic"}, {"renews", current.serial_hex}}.dump()},
                      now);
  } else {
    queue_notice(tx, owner, "request.submitted", object, "", object + ":submitted", now);
  }
}

}  // namespace lontar
