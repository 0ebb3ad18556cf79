#include "app/public_routes.h"

#include <nlohmann/json.hpp>

#include "crypto/certificate.h"

namespace lontar {

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
    const auto der = certificate.der();
    router.add("GET", "/ca/" + name + ".crt", [der](const http::HttpRequest&) {
      http::HttpResponse response;
      response.content_type = "application/pkix-cert";
      response.body = der;
      response.headers.emplace_back("Cache-Control", "public, max-age=86400");
      return response;
    });
  }
  const auto root_crl = read_file(instance.dir().root_crl());
  router.add("GET", "/crl/root.crl", [root_crl](const http::HttpRequest&) {
    http::HttpResponse response;
    response.content_type = "application/pkix-crl";
    response.body = root_crl;
    response.headers.emplace_back("Cache-Control", "public, max-age=3600");
    return response;
  });
  const auto chain = read_file(instance.dir().chain());
  router.add("GET", "/ca/chain.pem", [chain](const http::HttpRequest&) {
    http::HttpResponse response;
    response.content_type = "application/x-pem-file";
    response.body = chain;
    response.headers.emplace_back("Cache-Control", "public, max-age=86400");
    return response;
  });
}

}  // namespace lontar
