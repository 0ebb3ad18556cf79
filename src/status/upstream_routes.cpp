#include "status/upstream_routes.h"

#include "core/error.h"
#include "status/status_sources.h"

namespace lontar {

namespace {
http::HttpResponse answer(std::string content_type, std::string body, const char* cache) {
  http::HttpResponse response;
  response.content_type = std::move(content_type);
  response.body = std::move(body);
  response.headers.emplace_back("Cache-Control", cache);
  return response;
}
}  // namespace

void add_upstream_routes(http::Router& router, Instance& instance) {
  std::shared_ptr<StatusSources> sources = make_status_sources(instance);
  const auto budget = [&instance](const http::HttpRequest& request) {
    instance.verification_budget().count_read(request.remote_address, to_unix(instance.clock().now()));
  };
  router.add("POST", "/ocsp", [sources, budget](const http::HttpRequest& request) {
    budget(request);
    return answer("application/ocsp-response", sources->ocsp(request.body), "no-store");
  });
  router.add("POST", "/tsa", [sources, budget](const http::HttpRequest& request) {
    budget(request);
    if (request.header("content-type") != "application/timestamp-query")
      throw Error(ErrorKind::invalid_input, "bad_content_type", "Send the request as application/timestamp-query.");
    return answer("application/timestamp-reply", sources->timestamp(request.body), "no-store");
  });
  router.add("GET", "/crl/root.crl", [sources, budget](const http::HttpRequest& request) {
    budget(request);
    return answer("application/pkix-crl", sources->root_crl(), "public, max-age=300");
  });
  for (const auto* path : {"/ocsp", "/tsa"}) router.run_apart("POST", path, http::Router::Lane::anonymous);
  router.run_apart("GET", "/crl/root.crl", http::Router::Lane::anonymous);
}

}  // namespace lontar
