// OpenSSL's CMP server calls these once it has checked a message's protection (or, in
// the refuse phase, to answer with the server's own refusal).
#include <openssl/crmf.h>

#include "cmp/cmp_exchange.h"
#include "core/cmp_transactions.h"
#include "core/encoding.h"
#include "core/error.h"
#include "core/revocation.h"
#include "crypto/der.h"
#include "crypto/proven_key.h"
#include "crypto/x509_names.h"

namespace lontar::cmp {

namespace {

Exchange& exchange_of(OSSL_CMP_SRV_CTX* server) {
  return *static_cast<Exchange*>(OSSL_CMP_SRV_CTX_get0_custom_ctx(server));
}

OSSL_CMP_PKISI* status(int pki_status, int fail_bit = -1, const std::string& text = {}) {
  return OSSL_CMP_STATUSINFO_new(pki_status, fail_bit < 0 ? 0 : 1 << fail_bit, text.empty() ? nullptr : text.c_str());
}

OSSL_CMP_PKISI* rejection(Exchange& ex, int fail_bit, const std::string& text) {
  ex.outcome = "rejected: " + text;
  return status(OSSL_CMP_PKISTATUS_rejection, fail_bit, text);
}

// RFC 4210 §5.2.3 PKIFailureInfo for the procedure's refusals.
int fail_bit_for(const Error& e) {
  const auto& code = e.code();
  if (code.starts_with("token_") || code == "method_not_allowed" || code == "outside_renewal_window")
    return OSSL_CMP_PKIFAILUREINFO_notAuthorized;
  if (code.starts_with("key_")) return OSSL_CMP_PKIFAILUREINFO_badCertTemplate;
  if (code == "certificate_not_valid") return OSSL_CMP_PKIFAILUREINFO_certRevoked;
  if (code == "open_request_exists") return OSSL_CMP_PKIFAILUREINFO_duplicateCertReq;
  if (e.kind() == ErrorKind::unavailable) return OSSL_CMP_PKIFAILUREINFO_systemUnavail;
  if (e.kind() == ErrorKind::internal) return OSSL_CMP_PKIFAILUREINFO_systemFailure;
  return OSSL_CMP_PKIFAILUREINFO_badRequest;
}

std::string der_base64(const std::string& der) { return to_base64(as_bytes(der)); }

CmpTransactions transactions(Exchange& ex) { return ex.instance.cmp_transactions(); }

bool claim(Exchange& ex, std::int64_t request_id, const std::string& state) {
  CmpTransaction t;
  t.id = ex.transaction_id;
  t.body = ex.body == body::ir      ? "ir"
           : ex.body == body::cr    ? "cr"
           : ex.body == body::p10cr ? "p10cr"
           : ex.body == body::kur   ? "kur"
           : ex.body == body::rr    ? "rr"
                                               : "genm";
  t.request_id = request_id;
  t.holder_serial = ex.holder ? ex.holder->serial_hex : "";
  t.registration_authority = ex.ra ? ex.ra->name : "";
  t.request_der = der_base64(ex.message_der);
  t.state = state;
  return transactions(ex).claim(t);
}

// The request number in the words, so that a client (lontar-lock) can name it.
OSSL_CMP_PKISI* waiting_for_verifier(const Exchange& ex) {
  return status(OSSL_CMP_PKISTATUS_waiting, -1,
                "Request #" + std::to_string(ex.request_id) + " waits for a verifier's decision.");
}

// The request's outcome as a certification response: the certificate, a rejection, or
// still waiting.
OSSL_CMP_PKISI* outcome(Exchange& ex, X509** cert_out, STACK_OF(X509)** chain_out) {
  const auto details = ex.instance.requests().for_transaction(ex.request_id);
  if (!details) return rejection(ex, OSSL_CMP_PKIFAILUREINFO_badRequest, "The request no longer exists.");
  const auto state = details->request.state;
  if (state == RequestState::issued && details->certificate) {
    const auto certificate = crypto::Certificate::from_pem(details->certificate->pem);
    *cert_out = X509_dup(certificate.get());
    *chain_out = sk_X509_new_null();
    for (const auto& ca : ex.chain) sk_X509_push(*chain_out, X509_dup(ca.get()));
    ex.outcome = "issued " + details->certificate->serial_hex;
    return status(OSSL_CMP_PKISTATUS_accepted, -1, "Request #" + std::to_string(ex.request_id) + ": issued.");
  }
  if (state == RequestState::rejected || state == RequestState::cancelled || state == RequestState::expired)
    return rejection(ex, OSSL_CMP_PKIFAILUREINFO_badRequest,
                     std::string("The request was ") + to_string(state) +
                         (details->request.decision_reason.empty() ? "." : ": " + details->request.decision_reason));
  ex.outcome = "waiting";
  return waiting_for_verifier(ex);
}

std::unique_ptr<SigningRequest> requested_key(Exchange& ex, const X509_REQ* p10cr) {
  if (p10cr) {
    unsigned char* der = nullptr;
    const int length = i2d_X509_REQ(p10cr, &der);
    if (length <= 0) throw Error(ErrorKind::invalid_input, "csr_bad", "The p10cr's CSR cannot be encoded.");
    const std::string csr(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
    OPENSSL_free(der);
    return ex.instance.factory().parse_csr(csr);
  }
  if (ex.envelope.request_key.empty())
    throw Error(ErrorKind::policy, "key_missing", "The certificate template carries no public key.");
  return std::make_unique<crypto::ProvenKey>(crypto::ProvenKey::from_spki(ex.envelope.request_key));
}

OSSL_CMP_PKISI* enrol(Exchange& ex, const X509_REQ* p10cr) {
  if (ex.token.empty())
    return rejection(ex, OSSL_CMP_PKIFAILUREINFO_notAuthorized,
                     "An ir, cr or p10cr is protected with the MAC of a CSR token; to renew, send a kur signed "
                     "with the current certificate.");
  if (!claim(ex, ex.request_id, "waiting"))
    return rejection(ex, OSSL_CMP_PKIFAILUREINFO_transactionIdInUse, "This transactionID was used before.");
  try {
    const auto key = requested_key(ex, p10cr);
    ex.instance.requests().submit_key(ex.request_id, ex.token, *key);
    ex.outcome = "submitted request " + std::to_string(ex.request_id);
    return waiting_for_verifier(ex);
  } catch (const Error& e) {
    transactions(ex).settle(ex.transaction_id, "rejected", ex.request_id);
    return rejection(ex, fail_bit_for(e), e.what());
  }
}

// What an RA decided about the holder: the subject and addresses it asks for, from the
// CRMF template (cr) or the CSR (p10cr).
RaIssue ra_order(Exchange& ex, const OSSL_CRMF_MSG* crm, const X509_REQ* p10cr) {
  RaIssue order;
  order.ra = *ex.ra;
  order.product_id = ex.profile;
  const X509_NAME* subject = nullptr;
  if (p10cr) {
    subject = X509_REQ_get_subject_name(p10cr);
    order.email_addresses = crypto::request_email_addresses(p10cr);
  } else if (const auto* tmpl = crm ? OSSL_CRMF_MSG_get0_tmpl(crm) : nullptr) {
    subject = OSSL_CRMF_CERTTEMPLATE_get0_subject(tmpl);
    order.email_addresses = crypto::email_addresses(OSSL_CRMF_CERTTEMPLATE_get0_extensions(tmpl));
  }
  for (auto& [type, value] : crypto::name_attributes(subject)) order.subject.push_back({type, value});
  order.transaction.id = ex.transaction_id;
  order.transaction.body = ex.body == body::p10cr ? "p10cr" : "cr";
  order.transaction.registration_authority = ex.ra->name;
  order.transaction.request_der = der_base64(ex.message_der);
  return order;
}

// A registration authority's request: it vetted the holder, so the certificate is
// issued now, for the product the path names, if the RA may request it.
OSSL_CMP_PKISI* ra_enrol(Exchange& ex, const OSSL_CRMF_MSG* crm, const X509_REQ* p10cr, X509** cert_out,
                         STACK_OF(X509)** chain_out) {
  if (ex.body == body::ir || ex.body == body::kur)
    return rejection(ex, OSSL_CMP_PKIFAILUREINFO_badRequest, "A registration authority sends cr or p10cr.");
  if (ex.profile.empty())
    return rejection(ex, OSSL_CMP_PKIFAILUREINFO_badCertTemplate,
                     "Name the product in the path: /.well-known/cmp/p/{product}.");
  try {
    const auto order = ra_order(ex, crm, p10cr);
    const auto key = requested_key(ex, p10cr);
    const auto record = ex.instance.issuance().issue_for_ra(order, *key);
    ex.request_id = record.request_id;
    return outcome(ex, cert_out, chain_out);
  } catch (const Error& e) {
    const int bit = e.code() == "product_not_allowed"  ? OSSL_CMP_PKIFAILUREINFO_notAuthorized
                    : e.code() == "transaction_in_use" ? OSSL_CMP_PKIFAILUREINFO_transactionIdInUse
                    : e.code() == "unknown_product"     ? OSSL_CMP_PKIFAILUREINFO_badCertTemplate
                    : e.code() == "bad_subject" || e.code() == "bad_email" ? OSSL_CMP_PKIFAILUREINFO_badCertTemplate
                                                          : fail_bit_for(e);
    return rejection(ex, bit, e.what());
  }
}

OSSL_CMP_PKISI* renew(Exchange& ex, const OSSL_CRMF_MSG* crm, X509** cert_out, STACK_OF(X509)** chain_out) {
  if (!ex.holder)
    return rejection(ex, OSSL_CMP_PKIFAILUREINFO_notAuthorized, "A kur is signed with the certificate it renews.");
  if (const auto* old = crm ? OSSL_CRMF_MSG_get0_regCtrl_oldCertID(crm) : nullptr;
      old && crypto::integer_hex(OSSL_CRMF_CERTID_get0_serialNumber(old)) != ex.holder->serial_hex)
    return rejection(ex, OSSL_CMP_PKIFAILUREINFO_notAuthorized,
                     "The certificate to renew (oldCertID) is not the one that signed the request.");
  if (!claim(ex, 0, "waiting"))
    return rejection(ex, OSSL_CMP_PKIFAILUREINFO_transactionIdInUse, "This transactionID was used before.");
  try {
    const auto key = requested_key(ex, nullptr);
    const auto request = ex.instance.requests().renew(*ex.holder, *key, "cmp");
    ex.request_id = request.id;
    transactions(ex).settle(ex.transaction_id, request.state == RequestState::issued ? "issued" : "waiting", request.id);
    return outcome(ex, cert_out, chain_out);
  } catch (const Error& e) {
    transactions(ex).settle(ex.transaction_id, "rejected", 0);
    return rejection(ex, fail_bit_for(e), e.what());
  }
}

OSSL_CMP_PKISI* on_cert_request(OSSL_CMP_SRV_CTX* server, const OSSL_CMP_MSG*, int, const OSSL_CRMF_MSG* crm,
                                const X509_REQ* p10cr, X509** cert_out, STACK_OF(X509)** chain_out,
                                STACK_OF(X509)** ca_pubs) {
  auto& ex = exchange_of(server);
  ex.reached = true;
  *ca_pubs = nullptr;
  try {
    switch (ex.phase) {
      case Phase::refuse: return rejection(ex, ex.refusal.fail_bit, ex.refusal.text);
      case Phase::replay_waiting: return status(OSSL_CMP_PKISTATUS_waiting);
      case Phase::replay_issued:
      case Phase::deliver: return outcome(ex, cert_out, chain_out);
      case Phase::live: break;
    }
    if (ex.ra) return ra_enrol(ex, crm, p10cr, cert_out, chain_out);
    if (ex.body == body::kur) return renew(ex, crm, cert_out, chain_out);
    return enrol(ex, p10cr);
  } catch (const Error& e) {
    return rejection(ex, OSSL_CMP_PKIFAILUREINFO_systemFailure, e.what());
  }
}

// An RA revokes what it asked for (its holder's request, an administrator's decision, a
// renewal's supersession); a certificate revoked already is accepted again.
OSSL_CMP_PKISI* ra_revoke(Exchange& ex, const X509_NAME* issuer, const ASN1_INTEGER* serial) {
  const auto serial_hex = serial ? crypto::integer_hex(serial) : std::string();
  const auto record = serial_hex.empty() ? std::nullopt : ex.instance.certificates().by_serial(serial_hex);
  if (!record || record->account_id != ex.ra->account_id ||
      (issuer && X509_NAME_cmp(issuer, X509_get_subject_name(ex.chain.front().get())) != 0))
    return rejection(ex, OSSL_CMP_PKIFAILUREINFO_notAuthorized,
                     "The registration authority may revoke only the certificates it requested.");
  if (!claim(ex, 0, "closed"))
    return rejection(ex, OSSL_CMP_PKIFAILUREINFO_transactionIdInUse, "This transactionID was used before.");
  if (record->status != CertificateStatus::valid) {
    ex.outcome = "already revoked " + serial_hex;
    return status(OSSL_CMP_PKISTATUS_accepted);
  }
  RevokeCommand command;
  command.serial_hex = serial_hex;
  const auto code = ex.envelope.revocation_reason;
  command.reason = code == 1 || code == 3 || code == 4 || code == 5 || code == 9 ? static_cast<RevocationReason>(code)
                                                                                 : RevocationReason::unspecified;
  command.actor = audit_actor(*ex.ra);
  command.requester_is_admin = true;
  try {
    ex.instance.revocation().revoke(command);
    ex.outcome = "revoked " + serial_hex;
    return status(OSSL_CMP_PKISTATUS_accepted);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::conflict) return status(OSSL_CMP_PKISTATUS_accepted);
    return rejection(ex, fail_bit_for(e), e.what());
  }
}

OSSL_CMP_PKISI* on_revocation(OSSL_CMP_SRV_CTX* server, const OSSL_CMP_MSG*, const X509_NAME* issuer,
                              const ASN1_INTEGER* serial) {
  auto& ex = exchange_of(server);
  ex.reached = true;
  if (ex.phase == Phase::refuse) return rejection(ex, ex.refusal.fail_bit, ex.refusal.text);
  if (ex.ra) return ra_revoke(ex, issuer, serial);
  if (!ex.holder || !serial || crypto::integer_hex(serial) != ex.holder->serial_hex ||
      (issuer && X509_NAME_cmp(issuer, X509_get_subject_name(ex.chain.front().get())) != 0))
    return rejection(ex, OSSL_CMP_PKIFAILUREINFO_notAuthorized,
                     "An rr is signed with the certificate it revokes.");
  if (!claim(ex, 0, "closed"))
    return rejection(ex, OSSL_CMP_PKIFAILUREINFO_transactionIdInUse, "This transactionID was used before.");
  RevokeCommand command;
  command.serial_hex = ex.holder->serial_hex;
  const auto code = ex.envelope.revocation_reason;
  command.reason = code == 1 || code == 3 || code == 4 || code == 5 || code == 9 ? static_cast<RevocationReason>(code)
                                                                                 : RevocationReason::unspecified;
  command.actor = "certificate:" + ex.holder->serial_hex;
  command.requester_account_id = ex.holder->account_id;
  try {
    ex.instance.revocation().revoke(command);
    ex.outcome = "revoked " + command.serial_hex;
    return status(OSSL_CMP_PKISTATUS_accepted);
  } catch (const Error& e) {
    return rejection(ex, fail_bit_for(e), e.what());
  }
}

// RFC 9483 §4.3.1: id-it-caCerts, the CA certificates as a SEQUENCE OF Certificate.
int on_general_message(OSSL_CMP_SRV_CTX* server, const OSSL_CMP_MSG*, const STACK_OF(OSSL_CMP_ITAV)*,
                       STACK_OF(OSSL_CMP_ITAV)** out) {
  auto& ex = exchange_of(server);
  ex.reached = true;
  if (ex.phase == Phase::refuse) return 0;
  if (!ex.token.empty()) {  // the MAC of a CSR token that may still be used
    const auto details = ex.instance.requests().for_transaction(ex.request_id);
    if (!details || details->request.state != RequestState::token_issued ||
        details->request.token_expires_at <= to_unix(ex.instance.clock().now())) {
      ex.outcome = "refused: the CSR token is no longer valid";
      return 0;
    }
  }
  if (!claim(ex, ex.request_id, "closed")) return 0;
  std::string certificates;
  for (const auto& ca : ex.chain) certificates += ca.der();
  const std::string sequence = crypto::der::tlv(crypto::der::kSequence, certificates);
  crypto::OsslPtr<ASN1_STRING> value(ASN1_STRING_new());
  crypto::OsslPtr<ASN1_TYPE> any(ASN1_TYPE_new());
  crypto::OsslPtr<ASN1_OBJECT> type(OBJ_txt2obj("1.3.6.1.5.5.7.4.17", 1));
  if (!value || !any || !type || ASN1_STRING_set(value.get(), sequence.data(), static_cast<int>(sequence.size())) != 1)
    return 0;
  ASN1_TYPE_set(any.get(), V_ASN1_SEQUENCE, value.release());
  crypto::OsslPtr<OSSL_CMP_ITAV> itav(OSSL_CMP_ITAV_create(type.get(), any.get()));
  if (!itav) return 0;
  type.release();
  any.release();
  *out = sk_OSSL_CMP_ITAV_new_null();
  if (!*out || !sk_OSSL_CMP_ITAV_push(*out, itav.get())) return 0;
  itav.release();
  ex.outcome = "sent the CA certificates";
  return 1;
}

void on_error(OSSL_CMP_SRV_CTX* server, const OSSL_CMP_MSG*, const OSSL_CMP_PKISI*, const ASN1_INTEGER*,
              const OSSL_CMP_PKIFREETEXT*) {
  auto& ex = exchange_of(server);
  ex.reached = true;
  ex.outcome = "the client reported an error";
}

int on_confirmation(OSSL_CMP_SRV_CTX* server, const OSSL_CMP_MSG*, int, const ASN1_OCTET_STRING*,
                    const OSSL_CMP_PKISI* status_info) {
  auto& ex = exchange_of(server);
  ex.reached = true;
  if (ex.phase == Phase::refuse) return 0;
  char text[256] = "";
  const bool accepted = !status_info || (OSSL_CMP_snprint_PKIStatusInfo(status_info, text, sizeof text) &&
                                         std::string_view(text).starts_with("PKIStatus: accepted"));
  const auto details = ex.instance.requests().for_transaction(ex.request_id);
  if (accepted || !details || !details->certificate) {
    transactions(ex).settle(ex.transaction_id, "confirmed", ex.request_id);
    ex.outcome = "confirmed";
    return 1;
  }
  // RFC 9483 §4.1.1: a certificate its requester will not use must not stay valid.
  RevokeCommand command;
  command.serial_hex = details->certificate->serial_hex;
  command.reason = RevocationReason::cessation_of_operation;
  command.actor = "cmp:certConf";
  command.requester_is_admin = true;
  try {
    ex.instance.revocation().revoke(command);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::conflict) throw;
  }
  transactions(ex).settle(ex.transaction_id, "rejected_by_client", ex.request_id);
  ex.outcome = "rejected by the client; revoked " + command.serial_hex;
  return 1;
}

int on_poll(OSSL_CMP_SRV_CTX* server, const OSSL_CMP_MSG*, int, OSSL_CMP_MSG** original, int64_t* check_after) {
  auto& ex = exchange_of(server);
  ex.reached = true;
  *original = nullptr;
  if (ex.phase == Phase::refuse || !ex.transaction) return 0;
  const auto details = ex.instance.requests().for_transaction(ex.request_id);
  if (!details) return 0;
  const auto state = details->request.state;
  if (state == RequestState::submitted || state == RequestState::approved || state == RequestState::token_issued) {
    *check_after = 2;
    ex.outcome = "still waiting";
    return 1;
  }
  const auto der = from_base64(ex.transaction->request_der);
  if (!der) return 0;
  const unsigned char* cursor = der->data();
  *original = d2i_OSSL_CMP_MSG(nullptr, &cursor, static_cast<long>(der->size()));
  ex.phase = Phase::deliver;
  return *original ? 1 : 0;
}

}  // namespace

void install_callbacks(OSSL_CMP_SRV_CTX* server, Exchange& exchange) {
  OSSL_CMP_SRV_CTX_init(server, &exchange, on_cert_request, on_revocation, on_general_message, on_error,
                        on_confirmation, on_poll);
}

}  // namespace lontar::cmp
