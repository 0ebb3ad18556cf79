#include "status/timestamp_route.h"

#include "crypto/certificate.h"
#include "crypto/timestamp_authority.h"

namespace lontar {

void add_timestamp_routes(http::Router& router, Instance& instance) {
  auto tsa = std::make_shared<crypto::TimestampAuthority>(instance.tsa_signer(), read_file(instance.dir().chain()),
                                                          instance.config().timestamp_policy, instance.random(),
                                                          instance.clock());
  router.add("POST", "/tsa", [tsa](const http::HttpRequest& request) {
    if (request.header("content-type") != "application/timestamp-query")
      throw Error(ErrorKind::invalid_input, "bad_content_type", "Send the request as application/timestamp-query.");
    http::HttpResponse response;
    response.content_type = "application/timestamp-reply";
    response.body = tsa->respond(request.body);
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  });
  const auto der = crypto::Certificate::from_pem(read_file(instance.dir().certificate("tsa"))).der();
  router.add("GET", "/ca/tsa.crt", [der](const http::HttpRequest&) {
    http::HttpResponse response;
    response.content_type = "application/pkix-cert";
    response.body = der;
    response.headers.emplace_back("Cache-Control", "public, max-age=86400");
    return response;
  });
}

}  // namespace lontar
