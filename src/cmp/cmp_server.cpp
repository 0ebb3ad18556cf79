#include "cmp/cmp_server.h"

#include <openssl/err.h>

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "cmp/cmp_exchange.h"
#include "core/cmp_transactions.h"
#include "core/encoding.h"
#include "core/error.h"

namespace lontar::cmp {

namespace {

using crypto::OsslPtr;

struct X509StackFree {
  void operator()(STACK_OF(X509) * stack) const noexcept { sk_X509_pop_free(stack, X509_free); }
};
using X509Stack = std::unique_ptr<STACK_OF(X509), X509StackFree>;

// OpenSSL's CMP code logs through its context; what it says about a refused message
// is kept to tell a protection failure from other refusals, never printed.
thread_local std::string openssl_said;
int keep_log(const char*, const char*, int, OSSL_CMP_severity level, const char* message) {
  if (level <= OSSL_CMP_LOG_ERR && message && openssl_said.size() < 4096) (openssl_said += message) += '\n';
  return 1;
}

bool is_continuation(int body) {
  return body == body::poll_req || body == body::cert_conf || body == body::error;
}

std::string hex_of(const ASN1_OCTET_STRING* value) {
  if (!value) return {};
  return to_hex({ASN1_STRING_get0_data(value), static_cast<std::size_t>(ASN1_STRING_length(value))});
}

OsslPtr<OSSL_CMP_MSG> parse_message(std::string_view der) {
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  OsslPtr<OSSL_CMP_MSG> message(d2i_OSSL_CMP_MSG(nullptr, &cursor, static_cast<long>(der.size())));
  if (message && cursor != reinterpret_cast<const unsigned char*>(der.data() + der.size())) message.reset();
  ERR_clear_error();
  return message;
}

}  // namespace

struct CmpServer::Impl {
  Instance& instance;
  std::shared_ptr<const crypto::Signer> signer;
  std::vector<crypto::Certificate> chain;  // issuing CA, root

  void refuse(Exchange& ex, int fail_bit, std::string text) {
    ex.phase = Phase::refuse;
    ex.refusal = {fail_bit, std::move(text)};
  }

  // The signer of a signature-protected message: one of this CA's certificates, valid.
  void authenticate_signer(Exchange& ex, const std::string& serial) {
    ex.holder = instance.certificates().by_serial(serial);
    if (!ex.holder) return refuse(ex, OSSL_CMP_PKIFAILUREINFO_signerNotTrusted, "The signer is not a certificate of this CA.");
    if (ex.holder->status == CertificateStatus::revoked)
      return refuse(ex, OSSL_CMP_PKIFAILUREINFO_certRevoked, "The signer's certificate is revoked.");
    if (ex.holder->not_after <= to_unix(instance.clock().now()))
      return refuse(ex, OSSL_CMP_PKIFAILUREINFO_signerNotTrusted, "The signer's certificate has expired.");
  }

  // A registered RA's certificate: pinned by its hash, and still valid (if this CA issued
  // it, not revoked either).
  void authenticate_ra(Exchange& ex, const crypto::Certificate& certificate) {
    const auto now = instance.clock().now();
    if (certificate.not_after() <= now || certificate.not_before() > now)
      return refuse(ex, OSSL_CMP_PKIFAILUREINFO_signerNotTrusted, "The RA's certificate is not valid now.");
    if (const auto own = instance.certificates().by_serial(certificate.serial_hex());
        own && own->status != CertificateStatus::valid && X509_check_issued(chain.front().get(), certificate.get()) == X509_V_OK)
      return refuse(ex, OSSL_CMP_PKIFAILUREINFO_certRevoked, "The RA's certificate is revoked.");
  }

  // An RA sending its request again (its answer was lost, or it crashed before keeping
  // it): the transaction's outcome is delivered again instead of a second certificate.
  bool resumes_ra_transaction(Exchange& ex, const CmpTransaction& earlier) {
    if (!ex.ra || earlier.registration_authority != ex.ra->name) return false;
    if (ex.body != body::cr && ex.body != body::p10cr) return false;
    if (earlier.state != "issued" && earlier.state != "confirmed") return false;
    ex.transaction = earlier;
    ex.request_id = earlier.request_id;
    ex.phase = Phase::deliver;
    return true;
  }

  // Decides, before OpenSSL checks anything, which secret or certificate the message
  // must be protected with, and whether it is refused outright.
  void prepare(Exchange& ex) {
    auto transactions = instance.cmp_transactions();
    if (is_continuation(ex.body)) {
      ex.transaction = transactions.find(ex.transaction_id);
      if (!ex.transaction) return refuse(ex, OSSL_CMP_PKIFAILUREINFO_badRequest, "Unknown transactionID.");
      ex.request_id = ex.transaction->request_id;
      if (!ex.transaction->registration_authority.empty()) {
        ex.ra = instance.registration_authorities().by_name(ex.transaction->registration_authority);
        if (!ex.ra || ex.ra->removed_at != 0) return refuse(ex, OSSL_CMP_PKIFAILUREINFO_signerNotTrusted, "The RA is no longer registered.");
      } else if (!ex.transaction->holder_serial.empty()) {
        ex.holder = instance.certificates().by_serial(ex.transaction->holder_serial);
      } else {
        ex.token = instance.requests().cmp_secret(ex.request_id).value_or("");
      }
      return;
    }
    if (!ex.envelope.mac_protected && !ex.envelope.first_extra_cert.empty())
      ex.ra = instance.registration_authorities().by_certificate(sha256_hex(ex.envelope.first_extra_cert));
    if (ex.ra && ex.ra->removed_at != 0)
      return refuse(ex, OSSL_CMP_PKIFAILUREINFO_signerNotTrusted,
                    "The registration authority " + ex.ra->name + " was removed; it may request nothing more.");
    if (const auto earlier = transactions.find(ex.transaction_id)) {
      if (resumes_ra_transaction(ex, *earlier)) return;
      return refuse(ex, OSSL_CMP_PKIFAILUREINFO_transactionIdInUse, "This transactionID was used before.");
    }
    if (ex.ra) {
      try {
        authenticate_ra(ex, crypto::Certificate::from_der(ex.envelope.first_extra_cert));
      } catch (const Error&) {
        ERR_clear_error();
        refuse(ex, OSSL_CMP_PKIFAILUREINFO_badMessageCheck, "The signer's certificate cannot be read.");
      }
      return;
    }
    if (ex.envelope.mac_protected) {
      const auto& kid = ex.envelope.sender_kid;
      if (!kid.empty() && kid.size() <= 18 && kid.find_first_not_of("0123456789") == std::string::npos)
        ex.request_id = std::stoll(kid);
      ex.token = instance.requests().cmp_secret(ex.request_id).value_or("");
      if (ex.token.empty())
        return refuse(ex, OSSL_CMP_PKIFAILUREINFO_badMessageCheck,
                      "The MAC's reference names no request with a CSR token.");
      return;
    }
    if (ex.envelope.first_extra_cert.empty())
      return refuse(ex, OSSL_CMP_PKIFAILUREINFO_badMessageCheck,
                    "The message is neither MAC-protected with a CSR token nor signed with a certificate of this CA.");
    try {
      const auto certificate = crypto::Certificate::from_der(ex.envelope.first_extra_cert);
      if (X509_check_issued(chain.front().get(), certificate.get()) != X509_V_OK)
        return refuse(ex, OSSL_CMP_PKIFAILUREINFO_signerNotTrusted, "The signer is not a certificate of this CA.");
      authenticate_signer(ex, certificate.serial_hex());
      if (ex.holder && crypto::Certificate::from_pem(ex.holder->pem).der() != ex.envelope.first_extra_cert)
        return refuse(ex, OSSL_CMP_PKIFAILUREINFO_signerNotTrusted, "The signer is not a certificate of this CA.");
    } catch (const Error&) {
      ERR_clear_error();
      refuse(ex, OSSL_CMP_PKIFAILUREINFO_badMessageCheck, "The signer's certificate cannot be read.");
    }
  }

  OsslPtr<OSSL_CMP_SRV_CTX> server_for(Exchange& ex) {
    OsslPtr<OSSL_CMP_SRV_CTX> server(OSSL_CMP_SRV_CTX_new(nullptr, nullptr));
    if (!server) throw Error(ErrorKind::internal, "cmp_context", "cannot create a CMP server context");
    auto* ctx = OSSL_CMP_SRV_CTX_get0_cmp_ctx(server.get());
    OSSL_CMP_CTX_set_log_cb(ctx, keep_log);
    OSSL_CMP_CTX_set1_cert(ctx, signer->certificate().get());
    OSSL_CMP_CTX_set1_pkey(ctx, signer->key());
    X509Stack untrusted(sk_X509_new_null());
    for (const auto& ca : chain) sk_X509_push(untrusted.get(), X509_dup(ca.get()));
    OSSL_CMP_CTX_set1_untrusted(ctx, untrusted.get());
    OSSL_CMP_SRV_CTX_set_send_unprotected_errors(server.get(), 0);
    // Only an RA vouches for a key it has seen proven (RFC 4211 §4.1 raVerified); a
    // refusal accepts it too, so that the refusal is what the sender reads.
    OSSL_CMP_SRV_CTX_set_accept_raverified(server.get(), ex.ra || ex.phase == Phase::refuse ? 1 : 0);
    OSSL_CMP_SRV_CTX_set_grant_implicit_confirm(server.get(), 1);
    if (ex.phase == Phase::refuse) {
      // Answered with the refusal whatever the protection: nothing is acted on. A signed
      // message is checked against the certificate it carries, so that the refusal, not
      // OpenSSL's "no suitable sender cert", is what its sender reads.
      OSSL_CMP_SRV_CTX_set_accept_unprotected(server.get(), 1);
      if (!ex.envelope.mac_protected && !ex.envelope.first_extra_cert.empty()) {
        try {
          const auto carried = crypto::Certificate::from_der(ex.envelope.first_extra_cert);
          OSSL_CMP_CTX_set1_srvCert(ctx, carried.get());
        } catch (const Error&) {
          ERR_clear_error();
        }
      }
    } else if (!ex.token.empty()) {
      OSSL_CMP_CTX_set1_secretValue(ctx, reinterpret_cast<const unsigned char*>(ex.token.data()),
                                    static_cast<int>(ex.token.size()));
    } else if (ex.ra) {
      const auto certificate = crypto::Certificate::from_pem(ex.ra->certificate_pem);
      OSSL_CMP_CTX_set1_srvCert(ctx, certificate.get());  // pinned: the registered certificate only
    } else if (ex.holder) {
      const auto certificate = crypto::Certificate::from_pem(ex.holder->pem);
      OSSL_CMP_CTX_set1_srvCert(ctx, certificate.get());  // pinned: only this certificate may have signed
    }
    install_callbacks(server.get(), ex);
    return server;
  }

  OsslPtr<OSSL_CMP_MSG> run(Exchange& ex, const OSSL_CMP_MSG* message) {
    openssl_said.clear();
    auto server = server_for(ex);
    if (ex.transaction && ex.phase != Phase::refuse && ex.phase != Phase::deliver) {
      // Rebuilds what OpenSSL's server context held between the transaction's messages.
      const auto bytes = from_base64(ex.transaction->request_der).value_or(std::vector<std::uint8_t>{});
      auto first = parse_message(std::string(bytes.begin(), bytes.end()));
      if (!first) return nullptr;
      ex.phase = ex.body == body::poll_req ? Phase::replay_waiting : Phase::replay_issued;
      OsslPtr<OSSL_CMP_MSG> discarded(OSSL_CMP_SRV_process_request(server.get(), first.get()));
      ex.phase = Phase::live;
      ex.reached = false;
      auto* ctx = OSSL_CMP_SRV_CTX_get0_cmp_ctx(server.get());
      OSSL_CMP_CTX_set1_senderNonce(ctx, OSSL_CMP_HDR_get0_recipNonce(OSSL_CMP_MSG_get0_header(message)));
    }
    OsslPtr<OSSL_CMP_MSG> response(OSSL_CMP_SRV_process_request(server.get(), message));
    ERR_clear_error();
    return response;
  }
};

CmpServer::CmpServer(Instance& instance) : impl_(new Impl{instance, instance.cmp_signer(), {}}) {
  for (auto& ca : crypto::Certificate::all_from_pem(read_file(instance.dir().chain()))) impl_->chain.push_back(std::move(ca));
}

CmpServer::~CmpServer() = default;

std::optional<std::string> CmpServer::handle(std::string_view der, std::string_view profile) {
  if (der.size() > kMaxMessageBytes) return std::nullopt;
  const auto message = parse_message(der);
  const auto envelope = message ? crypto::read_envelope(der) : std::nullopt;
  if (!message || !envelope) return std::nullopt;
  Exchange ex(impl_->instance, impl_->chain);
  ex.body = OSSL_CMP_MSG_get_bodytype(message.get());
  ex.transaction_id = hex_of(OSSL_CMP_HDR_get0_transactionID(OSSL_CMP_MSG_get0_header(message.get())));
  ex.message_der = std::string(der);
  ex.envelope = *envelope;
  ex.profile = std::string(profile);
  if (ex.transaction_id.empty()) impl_->refuse(ex, OSSL_CMP_PKIFAILUREINFO_badDataFormat, "The message has no transactionID.");
  else impl_->prepare(ex);

  auto response = impl_->run(ex, message.get());
  if (!ex.reached && ex.phase != Phase::refuse && openssl_said.find("protection") != std::string::npos) {
    // OpenSSL refused the protection with a generic badRequest that the client may not
    // even be able to check (a MAC made with the secret it did not use): answered
    // instead, signed, with what RFC 9483 §3.6.4 names.
    impl_->refuse(ex, OSSL_CMP_PKIFAILUREINFO_badMessageCheck,
                  ex.token.empty() ? "The signature does not verify with the signer's certificate."
                                   : "The MAC does not verify: wrong reference or secret.");
    ex.token.clear();
    ex.transaction.reset();
    response = impl_->run(ex, message.get());
  }
  if (!response) return std::nullopt;
  spdlog::info(nlohmann::json{{"cmp", ex.body}, {"transaction", ex.transaction_id}, {"request", ex.request_id},
                              {"ra", ex.ra ? ex.ra->name : ""},
                              {"outcome", ex.phase == Phase::refuse ? "refused: " + ex.refusal.text : ex.outcome}}
                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  unsigned char* out = nullptr;
  const int length = i2d_OSSL_CMP_MSG(response.get(), &out);
  if (length <= 0) return std::nullopt;
  std::string bytes(reinterpret_cast<char*>(out), static_cast<std::size_t>(length));
  OPENSSL_free(out);
  return bytes;
}

}  // namespace lontar::cmp
