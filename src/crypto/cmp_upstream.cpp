#include "crypto/cmp_upstream.h"

#include <openssl/cmp.h>
#include <openssl/crmf.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <cstdlib>
#include <csignal>
#include <exception>

#include "core/encoding.h"
#include "core/error.h"
#include "crypto/certificate_builder.h"
#include "crypto/crypto_error.h"
#include "crypto/http_fetch.h"

namespace lontar::crypto {

namespace {

struct X509StackFree {
  void operator()(STACK_OF(X509) * stack) const noexcept { sk_X509_pop_free(stack, X509_free); }
};
using X509Stack = std::unique_ptr<STACK_OF(X509), X509StackFree>;

int quiet(const char*, const char*, int, OSSL_CMP_severity, const char*) { return 1; }

std::string spki_of(X509* certificate) {
  unsigned char* der = nullptr;
  const int length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(certificate), &der);
  if (length <= 0) return {};
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return out;
}

// One CMP transaction's client state and what the certConf check found.
struct Exchange {
  Exchange(const CmpUpstreamSettings& s, std::string to) : settings(s), url(std::move(to)) {}
  const CmpUpstreamSettings& settings;
  std::string url;
  const UpstreamOrderDetails* order = nullptr;
  const SigningRequest* key = nullptr;
  const std::function<void(const UpstreamCertificate&)>* keep = nullptr;
  std::string refused;           // why the answer was refused
  std::string transport_error;   // why the last message did not get through
  std::exception_ptr keep_failed;
  bool kept = false;
  OsslPtr<OSSL_CMP_CTX> ctx{OSSL_CMP_CTX_new(nullptr, nullptr)};

  static OSSL_CMP_MSG* send(OSSL_CMP_CTX* ctx, const OSSL_CMP_MSG* request) {
    auto* self = static_cast<Exchange*>(OSSL_CMP_CTX_get_transfer_cb_arg(ctx));
    try {
      unsigned char* der = nullptr;
      const int length = i2d_OSSL_CMP_MSG(request, &der);
      if (length <= 0) return nullptr;
      HttpFetch fetch_request{self->url, "application/pkixcmp", std::string(reinterpret_cast<char*>(der), static_cast<std::size_t>(length)),
                              "application/pkixcmp", 256 * 1024, self->settings.timeout_seconds};
      OPENSSL_free(der);
      const auto answer = fetch(fetch_request);
      const auto* cursor = reinterpret_cast<const unsigned char*>(answer.data());
      auto* message = d2i_OSSL_CMP_MSG(nullptr, &cursor, static_cast<long>(answer.size()));
      if (!message) self->transport_error = self->url + " answered with something that is not a CMP message";
      return message;
    } catch (const std::exception& e) {
      self->transport_error = e.what();
      return nullptr;
    }
  }

  // Whether `certificate` chains to an upstream root, with the CA certificates the
  // answer carried as intermediates.
  bool chains(X509* certificate) const {
    OsslPtr<X509_STORE> roots(X509_STORE_new());
    X509Stack intermediates(OSSL_CMP_CTX_get1_extraCertsIn(ctx.get()));
    if (!intermediates) intermediates.reset(sk_X509_new_null());
    X509Stack published(OSSL_CMP_CTX_get1_caPubs(ctx.get()));
    for (int i = 0; published && i < sk_X509_num(published.get()); ++i)
      sk_X509_push(intermediates.get(), X509_dup(sk_X509_value(published.get(), i)));
    for (const auto& ca : Certificate::all_from_pem(settings.chain_pem)) {
      if (X509_check_issued(ca.get(), ca.get()) == X509_V_OK) X509_STORE_add_cert(roots.get(), ca.get());
      else sk_X509_push(intermediates.get(), X509_dup(ca.get()));
    }
    OsslPtr<X509_STORE_CTX> check(X509_STORE_CTX_new());
    if (!check || X509_STORE_CTX_init(check.get(), roots.get(), certificate, intermediates.get()) != 1) return false;
    const bool ok = X509_verify_cert(check.get()) == 1;
    ERR_clear_error();
    return ok;
  }

  // OpenSSL asks before it sends certConf: a certificate that passes is kept first.
  static int check_and_keep(OSSL_CMP_CTX* ctx, X509* certificate, int fail_info, const char** text) {
    // OpenSSL 3.0 takes the certConf argument for a trust store of its own: the exchange
    // is found through the transfer argument instead.
    auto* self = static_cast<Exchange*>(OSSL_CMP_CTX_get_transfer_cb_arg(ctx));
    if (fail_info != 0 || !certificate) {
      // OpenSSL's one check before this: the certificate's key against the request's.
      self->refused = "its key is not the request's key";
      return fail_info != 0 ? fail_info : 1 << OSSL_CMP_PKIFAILUREINFO_badCertTemplate;
    }
    const auto wanted = build_name(self->order->subject);
    if (spki_of(certificate) != self->key->facts().public_key_der) self->refused = "its key is not the request's key";
    else if (X509_NAME_cmp(X509_get_subject_name(certificate), wanted.get()) != 0)
      self->refused = "its subject is not the one asked for";
    else if (!self->chains(certificate))
      self->refused = "it does not chain to the upstream root";
    if (!self->refused.empty()) {
      *text = self->refused.c_str();
      return 1 << OSSL_CMP_PKIFAILUREINFO_badCertTemplate;
    }
    // Test hook: a crash between the upstream's answer and keeping it, recovered by the
    // transaction id (tests/integration/ra_mode_test.sh). Never set in production.
    if (std::getenv("LONTAR_TEST_CRASH_BEFORE_KEEPING")) std::raise(SIGKILL);
    try {
      const Certificate kept(OsslPtr<X509>(X509_dup(certificate)));
      (*self->keep)({kept.serial_hex(), kept.subject(), kept.pem(), to_unix(kept.not_before()),
                     to_unix(kept.not_after())});
      self->kept = true;
    } catch (...) {
      self->keep_failed = std::current_exception();
    }
    return 0;
  }

  void protect_with(const Signer& ra) {
    auto* c = ctx.get();
    if (!c) throw_openssl("creating a CMP client");
    OSSL_CMP_CTX_set_log_cb(c, quiet);
    OsslPtr<X509_STORE> trusted(X509_STORE_new());
    X509Stack untrusted(sk_X509_new_null());
    for (const auto& ca : Certificate::all_from_pem(settings.chain_pem)) {
      if (X509_check_issued(ca.get(), ca.get()) == X509_V_OK) X509_STORE_add_cert(trusted.get(), ca.get());
      else sk_X509_push(untrusted.get(), X509_dup(ca.get()));
    }
    if (OSSL_CMP_CTX_set1_cert(c, ra.certificate().get()) != 1 || OSSL_CMP_CTX_set1_pkey(c, ra.key()) != 1 ||
        OSSL_CMP_CTX_set0_trustedStore(c, trusted.release()) != 1 ||
        // OpenSSL 3.0 keeps no list at all for an empty one, and then cannot add the
        // answer's extraCerts to it: an empty list is not set.
        (sk_X509_num(untrusted.get()) > 0 && OSSL_CMP_CTX_set1_untrusted(c, untrusted.get()) != 1) ||
        OSSL_CMP_CTX_set_transfer_cb(c, send) != 1 || OSSL_CMP_CTX_set_transfer_cb_arg(c, this) != 1 ||
        OSSL_CMP_CTX_set_option(c, OSSL_CMP_OPT_TOTAL_TIMEOUT, settings.timeout_seconds * 3) != 1)
      throw_openssl("setting up the CMP client");
  }

  // The upstream's refusal, as the caller should treat it.
  [[noreturn]] void fail(const std::string& what) {
    char status[1024] = "";
    const std::string said = OSSL_CMP_CTX_snprint_PKIStatus(ctx.get(), status, sizeof status) ? status : "";
    const int fail_info = OSSL_CMP_CTX_get_failInfoCode(ctx.get());
    const bool rejected = OSSL_CMP_CTX_get_status(ctx.get()) == OSSL_CMP_PKISTATUS_rejection;
    // OpenSSL's first complaint, when neither the transport nor the CA said anything.
    const char* openssl_said = ERR_reason_error_string(ERR_peek_error());
    ERR_clear_error();
    const int retry_bits = (1 << OSSL_CMP_PKIFAILUREINFO_transactionIdInUse) |
                           (1 << OSSL_CMP_PKIFAILUREINFO_systemUnavail) | (1 << OSSL_CMP_PKIFAILUREINFO_systemFailure);
    if (rejected && fail_info >= 0 && (fail_info & retry_bits) == 0)
      throw Error(ErrorKind::policy, "upstream_refused", settings.name + " refused to " + what + ": " + said);
    throw Error(ErrorKind::unavailable, "upstream_unavailable",
                settings.name + " could not be asked to " + what + ": " +
                    (!transport_error.empty() ? transport_error
                     : !said.empty()          ? said
                     : openssl_said           ? std::string("OpenSSL says ") + openssl_said
                                              : "no answer"));
  }
};

}  // namespace

CmpUpstream::CmpUpstream(CmpUpstreamSettings settings, std::shared_ptr<const Signer> ra)
    : settings_(std::move(settings)), ra_(std::move(ra)) {}

void CmpUpstream::certify(const UpstreamOrderDetails& order, const SigningRequest& key,
                          const std::function<void(const UpstreamCertificate&)>& keep) const {
  const auto profile = settings_.profiles.find(order.product_id);
  if (profile == settings_.profiles.end())
    throw Error(ErrorKind::policy, "upstream_refused", "No upstream profile is configured for " + order.product_id + ".");
  // An empty profile: the endpoint itself (a CA with one profile, OpenSSL's mock server).
  Exchange ex{settings_, profile->second.empty() ? settings_.cmp_url : settings_.cmp_url + "/p/" + profile->second};
  ex.order = &order;
  ex.key = &key;
  ex.keep = &keep;
  ex.protect_with(*ra_);
  auto* c = ex.ctx.get();
  const auto transaction = from_hex(order.transaction_id).value_or(std::vector<std::uint8_t>{});
  OsslPtr<ASN1_OCTET_STRING> id(ASN1_OCTET_STRING_new());
  const auto& spki = key.facts().public_key_der;
  const auto* cursor = reinterpret_cast<const unsigned char*>(spki.data());
  OsslPtr<EVP_PKEY> public_key(d2i_PUBKEY(nullptr, &cursor, static_cast<long>(spki.size())));
  if (!public_key || OSSL_CMP_CTX_set0_newPkey(c, 0, public_key.get()) != 1)
    throw_openssl("reading the request's key");
  public_key.release();  // the context owns it now
  const auto subject = build_name(order.subject);
  if (!id || transaction.size() != 16 ||
      ASN1_OCTET_STRING_set(id.get(), transaction.data(), static_cast<int>(transaction.size())) != 1 ||
      OSSL_CMP_CTX_set1_transactionID(c, id.get()) != 1 || OSSL_CMP_CTX_set1_subjectName(c, subject.get()) != 1 ||
      OSSL_CMP_CTX_set_option(c, OSSL_CMP_OPT_SUBJECTALTNAME_NODEFAULT, 1) != 1 ||
      OSSL_CMP_CTX_set_option(c, OSSL_CMP_OPT_POPO_METHOD, OSSL_CRMF_POPO_RAVERIFIED) != 1 ||
      OSSL_CMP_CTX_set_certConf_cb(c, Exchange::check_and_keep) != 1)
    throw_openssl("preparing the certification request");
  for (const auto& email : order.email_addresses) {
    OsslPtr<GENERAL_NAME> name(a2i_GENERAL_NAME(nullptr, nullptr, nullptr, GEN_EMAIL, email.c_str(), 0));
    if (!name || OSSL_CMP_CTX_push1_subjectAltName(c, name.get()) != 1) throw_openssl("adding an e-mail address");
  }
  X509* issued = OSSL_CMP_exec_certreq(c, OSSL_CMP_CR, nullptr);
  if (ex.keep_failed) std::rethrow_exception(ex.keep_failed);
  if (!ex.refused.empty())
    throw Error(ErrorKind::invalid_input, "upstream_answer_refused",
                "The certificate from " + settings_.name + " was refused: " + ex.refused + ".");
  if (ex.kept) {
    ERR_clear_error();  // kept: a certConf that went astray changes nothing here
    return;
  }
  if (!issued) ex.fail("certify the key");
  ex.fail("certify the key (no certificate came)");
}

void CmpUpstream::revoke(std::string_view certificate_pem, int reason) const {
  Exchange ex{settings_, settings_.cmp_url};
  ex.protect_with(*ra_);
  const auto certificate = Certificate::from_pem(certificate_pem);
  auto* c = ex.ctx.get();
  if (OSSL_CMP_CTX_set1_oldCert(c, certificate.get()) != 1 ||
      OSSL_CMP_CTX_set_option(c, OSSL_CMP_OPT_REVOCATION_REASON, reason) != 1)
    throw_openssl("preparing the revocation request");
  if (OSSL_CMP_exec_RR_ses(c) == 1) return;
  ex.fail("revoke " + certificate.serial_hex());
}

}  // namespace lontar::crypto
