#include "status/public_routes.h"

#include <nlohmann/json.hpp>

#include "crypto/certificate.h"

namespace lontar {

namespace {
using http::fixed_content;
}  // namespace

void add_public_routes(http::Router& router, Instance& instance) {
  router.add("GET", "/healthz", [&instance](const http::HttpRequest&) {
    std::int64_t audit_events = 0;
    instance.store().read([&](StoreTransaction& tx) { audit_events = tx.audit().head().first; });
    auto response = http::HttpResponse::json(
        200, nlohmann::json{{"status", "ok"}, {"database", "ok"}, {"audit_events", audit_events}}.dump());
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  });

  for (const std::string name : {"root", "issuing"}) {
    // RFC 5280 §4.2.2.1: caIssuers over HTTP serves a DER certificate as application/pkix-cert.
    const auto certificate = crypto::Certificate::from_pem(read_file(instance.dir().certificate(name)));
    router.add("GET", "/ca/" + name + ".crt", fixed_content("application/pkix-cert", certificate.der(), "public, max-age=86400"));
  }
  router.add("GET", "/crl/root.crl",
             fixed_content("application/pkix-crl", read_file(instance.dir().root_crl()), "public, max-age=3600"));
  router.add("GET", "/ca/chain.pem",
             fixed_content("application/x-pem-file", read_file(instance.dir().chain()), "public, max-age=86400"));
}

}  // namespace lontar
