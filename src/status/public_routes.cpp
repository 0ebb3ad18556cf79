#include "status/public_routes.h"

#include <nlohmann/json.hpp>

#include "crypto/certificate.h"

namespace lontar {

namespace {
using http::fixed_content;
}  // namespace

void add_public_routes(http::Router& router, Instance& instance, std::function<bool()> draining) {
  router.add("GET", "/healthz", [&instance, draining](const http::HttpRequest&) {
    if (draining && draining()) {
      auto response = http::HttpResponse::json(503, R"({"status":"draining"})");
      response.headers.emplace_back("Cache-Control", "no-store");
      return response;
    }
    std::int64_t audit_events = 0;
    instance.store().read([&](StoreTransaction& tx) { audit_events = tx.audit().head().first; });
    auto response = http::HttpResponse::json(
        200, nlohmann::json{{"status", "ok"}, {"database", "ok"}, {"audit_events", audit_events}}.dump());
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  });

  // The holders' chain: this CA's, or in RA mode the upstream's (then its CRL is served
  // by the upstream routes).
  const auto chain = crypto::Certificate::all_from_pem(read_file(instance.dir().chain()));
  bool served_root = false, served_issuing = false;
  for (const auto& certificate : chain) {
    const bool root = X509_check_issued(certificate.get(), certificate.get()) == X509_V_OK;
    if (root ? served_root : served_issuing) continue;
    (root ? served_root : served_issuing) = true;
    // RFC 5280 §4.2.2.1: caIssuers over HTTP serves a DER certificate as application/pkix-cert.
    router.add("GET", root ? "/ca/root.crt" : "/ca/issuing.crt",
               fixed_content("application/pkix-cert", certificate.der(), "public, max-age=86400"));
  }
  if (!instance.config().ra_mode())
    router.add("GET", "/crl/root.crl",
               fixed_content("application/pkix-crl", read_file(instance.dir().root_crl()), "public, max-age=3600"));
  router.add("GET", "/ca/chain.pem",
             fixed_content("application/x-pem-file", read_file(instance.dir().chain()), "public, max-age=86400"));
}

}  // namespace lontar
