#include "core/esign_keys.h"

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/notices.h"

namespace lontar {

namespace {
Error locked_error() {
  return Error(ErrorKind::forbidden, "esign_key_locked",
               "Your eSign key is locked after too many wrong passphrases. Ask the helpdesk to release it; if you did "
               "not try, revoke the certificate.");
}
}  // namespace

EsignKeys::Opened EsignKeys::open(const Account& holder, CertificateType type, std::string_view passphrase) const {
  std::optional<CertificateRequest> request;
  std::optional<CertificateRecord> certificate;
  EsignKeyGuard guard;
  const auto now = to_unix(clock_.now());
  store_.read([&](StoreTransaction& tx) {
    for (const auto& r : tx.requests().list_for_account(holder.id)) {  // newest first
      if (r.method != Method::esign || r.type != type || r.state != RequestState::issued || r.sealed_key.empty())
        continue;
      auto c = tx.certificates().find_by_serial(r.certificate_serial);
      if (c && c->status == CertificateStatus::valid && c->not_after > now) {
        request = r;
        certificate = c;
        guard = tx.requests().key_guard(r.id);
        return;
      }
    }
  });
  if (!request)
    throw Error(ErrorKind::not_found, "no_esign_certificate",
                std::string("You hold no valid eSign ") + (type == CertificateType::seal ? "seal" : "individual") +
                    " certificate; request one first (method eSign).");
  if (guard.locked_at != 0) throw locked_error();
  try {
    Opened opened{custody_.open(request->custody_envelope, request->sealed_key, passphrase), certificate->pem};
    if (guard.failures != 0) store_.write([&](StoreTransaction& tx) { tx.requests().save_key_guard(request->id, {}); });
    return opened;
  } catch (const Error& e) {
    if (e.code() != "wrong_passphrase") throw;
  }
  bool locked_now = false;
  store_.write([&](StoreTransaction& tx) {
    auto current = tx.requests().key_guard(request->id);  // concurrent guesses count each
    if (current.locked_at != 0) {
      locked_now = true;
      return;
    }
    ++current.failures;
    if (current.failures >= attempts_) {
      current.locked_at = now;
      locked_now = true;
      const std::string object = "certificate:" + request->certificate_serial;
      tx.audit().append({audit_actor(holder), "esign.key_locked", object,
                         nlohmann::json{{"failures", current.failures}}.dump()},
                        now);
      queue_notice(tx, holder, "esign.key_locked", object, std::to_string(current.failures),
                   object + ":locked:" + std::to_string(now), now);
    }
    tx.requests().save_key_guard(request->id, current);
  });
  if (locked_now) throw locked_error();
  throw Error(ErrorKind::unauthenticated, "wrong_passphrase", "The passphrase does not open this key.");
}

int EsignKeys::release(const Actor& actor, std::string_view nik) const {
  if (!can_help(actor.role))
    throw Error(ErrorKind::forbidden, "forbidden", "Only the helpdesk or an administrator can release an eSign key.");
  int released = 0;
  const auto now = to_unix(clock_.now());
  store_.write([&](StoreTransaction& tx) {
    released = 0;
    const auto account = tx.accounts().find_by_nik(nik);
    if (!account) throw Error(ErrorKind::not_found, "unknown_account", "No account has the NIK " + std::string(nik) + ".");
    for (const auto& r : tx.requests().list_for_account(account->id)) {
      if (r.method != Method::esign || r.state != RequestState::issued) continue;
      if (tx.requests().key_guard(r.id).locked_at == 0) continue;
      tx.requests().save_key_guard(r.id, {});
      tx.audit().append({actor.audit_name, "esign.key_released", "certificate:" + r.certificate_serial,
                         nlohmann::json{{"nik", account->nik}}.dump()},
                        now);
      ++released;
    }
  });
  return released;
}

}  // namespace lontar
