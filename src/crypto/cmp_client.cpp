#include "crypto/cmp_client.h"

#include <openssl/cmp.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "core/error.h"
#include "crypto/certificate.h"
#include "crypto/crypto_error.h"

namespace lontar::crypto {

namespace {

struct X509StackFree {
  void operator()(STACK_OF(X509) * stack) const noexcept { sk_X509_pop_free(stack, X509_free); }
};

int quiet(const char*, const char*, int, OSSL_CMP_severity, const char*) { return 1; }

std::string pem_of(X509* certificate) {
  OsslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), certificate) != 1) throw_openssl("writing a certificate");
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

}  // namespace

struct KeyUpdate::Impl {
  Transfer transfer;
  OsslPtr<OSSL_CMP_CTX> ctx;

  static OSSL_CMP_MSG* send(OSSL_CMP_CTX* ctx, const OSSL_CMP_MSG* request) {
    auto* self = static_cast<Impl*>(OSSL_CMP_CTX_get_transfer_cb_arg(ctx));
    try {
      unsigned char* der = nullptr;
      const int length = i2d_OSSL_CMP_MSG(request, &der);
      if (length <= 0) return nullptr;
      const std::string bytes(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
      OPENSSL_free(der);
      const auto answer = self->transfer(bytes);
      const auto* cursor = reinterpret_cast<const unsigned char*>(answer.data());
      return d2i_OSSL_CMP_MSG(nullptr, &cursor, static_cast<long>(answer.size()));
    } catch (const std::exception&) {
      return nullptr;  // the caller's transport said why; OpenSSL reports a transfer error
    }
  }

  std::string status_text() const {
    char text[1024] = "";
    return OSSL_CMP_CTX_snprint_PKIStatus(ctx.get(), text, sizeof text) ? text : "";
  }
};

KeyUpdate::KeyUpdate(Transfer transfer, const std::string& current_certificate_pem, const PrivateKey& current_key,
                     const PrivateKey& new_key, const std::string& trusted_chain_pem)
    : impl_(new Impl{std::move(transfer), OsslPtr<OSSL_CMP_CTX>(OSSL_CMP_CTX_new(nullptr, nullptr))}) {
  auto* ctx = impl_->ctx.get();
  if (!ctx) throw_openssl("creating a CMP client");
  OSSL_CMP_CTX_set_log_cb(ctx, quiet);
  const auto current = Certificate::from_pem(current_certificate_pem);
  const auto chain = Certificate::all_from_pem(trusted_chain_pem);
  OsslPtr<X509_STORE> trusted(X509_STORE_new());
  std::unique_ptr<STACK_OF(X509), X509StackFree> untrusted(sk_X509_new_null());
  for (const auto& ca : chain) {
    // Self-signed: a root to trust; the others help build the server's chain.
    if (X509_check_issued(ca.get(), ca.get()) == X509_V_OK) X509_STORE_add_cert(trusted.get(), ca.get());
    else sk_X509_push(untrusted.get(), X509_dup(ca.get()));
  }
  EVP_PKEY* fresh = new_key.get();
  if (!fresh || EVP_PKEY_up_ref(fresh) != 1) throw_openssl("sharing the new key");
  if (OSSL_CMP_CTX_set1_cert(ctx, current.get()) != 1 || OSSL_CMP_CTX_set1_pkey(ctx, current_key.get()) != 1 ||
      OSSL_CMP_CTX_set1_oldCert(ctx, current.get()) != 1 || OSSL_CMP_CTX_set0_newPkey(ctx, 1, fresh) != 1 ||
      OSSL_CMP_CTX_set0_trustedStore(ctx, trusted.release()) != 1 ||
      (sk_X509_num(untrusted.get()) > 0 && OSSL_CMP_CTX_set1_untrusted(ctx, untrusted.get()) != 1) ||
      OSSL_CMP_CTX_set1_recipient(ctx, X509_get_issuer_name(current.get())) != 1 ||
      OSSL_CMP_CTX_set_transfer_cb(ctx, Impl::send) != 1 || OSSL_CMP_CTX_set_transfer_cb_arg(ctx, impl_.get()) != 1)
    throw_openssl("setting up the CMP client");
}

KeyUpdate::~KeyUpdate() = default;

KeyUpdate::Step KeyUpdate::step() {
  int check_after = 0;
  const int result = OSSL_CMP_try_certreq(impl_->ctx.get(), OSSL_CMP_KUR, nullptr, &check_after);
  Step out;
  out.status = impl_->status_text();
  if (result == -1) {
    out.kind = Step::Kind::waiting;
    out.check_after_seconds = check_after;
  } else if (X509* issued = result == 1 ? OSSL_CMP_CTX_get0_newCert(impl_->ctx.get()) : nullptr) {
    out.kind = Step::Kind::issued;
    out.certificate_pem = pem_of(issued);
  } else {
    out.kind = Step::Kind::refused;
    if (out.status.empty() || out.status.find("rejection") == std::string::npos) {
      const auto reason = ERR_reason_error_string(ERR_peek_last_error());
      out.status = reason ? reason : "the CMP exchange failed";
    }
  }
  ERR_clear_error();
  return out;
}

}  // namespace lontar::crypto
