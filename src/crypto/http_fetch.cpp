#include "crypto/http_fetch.h"

#include <openssl/err.h>
#include <openssl/http.h>
#include <openssl/ssl.h>

#include "core/error.h"
#include "crypto/ossl_ptr.h"

namespace lontar::crypto {

namespace {

struct OpenSslString {
  char* text = nullptr;
  ~OpenSslString() { OPENSSL_free(text); }
};

struct SslCtxFree {
  void operator()(SSL_CTX* ctx) const noexcept { SSL_CTX_free(ctx); }
};

struct Tls {
  std::unique_ptr<SSL_CTX, SslCtxFree> ctx;
  std::string host;
};

// OSSL_HTTP's hook around the connection: TLS on connect (the host's name checked
// against its certificate), the TLS layer removed again when it is done.
BIO* tls_layer(BIO* bio, void* arg, int connect, int detail) {
  auto* tls = static_cast<Tls*>(arg);
  if (connect && detail) {
    BIO* ssl_bio = BIO_new_ssl(tls->ctx.get(), 1);
    SSL* ssl = nullptr;
    if (!ssl_bio || BIO_get_ssl(ssl_bio, &ssl) <= 0 || !ssl ||
        SSL_set_tlsext_host_name(ssl, tls->host.c_str()) != 1 || SSL_set1_host(ssl, tls->host.c_str()) != 1) {
      BIO_free(ssl_bio);
      return nullptr;
    }
    return BIO_push(ssl_bio, bio);
  }
  if (!connect && detail == 0) return bio;
  if (!connect) {
    BIO* below = BIO_pop(bio);
    BIO_free(bio);
    return below;
  }
  return bio;
}

Error unreachable(const HttpFetch& request, const std::string& why) {
  return Error(ErrorKind::unavailable, "upstream_unreachable", request.url + " did not answer usefully: " + why);
}

}  // namespace

std::string fetch(const HttpFetch& request) {
  int use_tls = 0;
  OpenSslString host, port, path, query;
  if (OSSL_HTTP_parse_url(request.url.c_str(), &use_tls, nullptr, &host.text, &port.text, nullptr, &path.text,
                          &query.text, nullptr) != 1) {
    ERR_clear_error();
    throw Error(ErrorKind::invalid_input, "bad_url", "Cannot read the address " + request.url + ".");
  }
  std::string target = path.text ? path.text : "/";
  if (query.text && *query.text) target += std::string("?") + query.text;
  Tls tls{std::unique_ptr<SSL_CTX, SslCtxFree>(use_tls ? SSL_CTX_new(TLS_client_method()) : nullptr), host.text};
  if (use_tls) {
    if (!tls.ctx || SSL_CTX_set_default_verify_paths(tls.ctx.get()) != 1)
      throw unreachable(request, "TLS cannot be set up");
    SSL_CTX_set_verify(tls.ctx.get(), SSL_VERIFY_PEER, nullptr);
  }
  OsslPtr<BIO> body;
  if (!request.content_type.empty()) {
    body.reset(BIO_new_mem_buf(request.body.data(), static_cast<int>(request.body.size())));
    if (!body) throw unreachable(request, "out of memory");
  }
  OsslPtr<BIO> answer(OSSL_HTTP_transfer(
      nullptr, host.text, port.text, target.c_str(), use_tls, nullptr, nullptr, nullptr, nullptr,
      use_tls ? tls_layer : nullptr, use_tls ? &tls : nullptr, 0, nullptr,
      request.content_type.empty() ? nullptr : request.content_type.c_str(), body.get(),
      // Every answer asked for is DER: its length is known from its first bytes, even from
      // a server that keeps the connection open (OpenSSL's mock CMP server does).
      request.expected_content_type.empty() ? nullptr : request.expected_content_type.c_str(), 1, request.max_bytes,
      request.timeout_seconds, 0));
  if (!answer) {
    const auto code = ERR_peek_last_error();
    const char* reason = code ? ERR_reason_error_string(code) : nullptr;
    ERR_clear_error();
    throw unreachable(request, reason ? reason : "no answer");
  }
  std::string out;
  char buffer[16384];
  for (int n; (n = BIO_read(answer.get(), buffer, sizeof buffer)) > 0;) {
    out.append(buffer, static_cast<std::size_t>(n));
    if (out.size() > request.max_bytes) throw unreachable(request, "the answer is too large");
  }
  // The error queue is left alone: a CMP exchange calls this in the middle of its own work.
  return out;
}

}  // namespace lontar::crypto
