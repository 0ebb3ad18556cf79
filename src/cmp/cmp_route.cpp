#include "cmp/cmp_route.h"

#include "cmp/cmp_server.h"
#include "core/error.h"

namespace lontar {

void add_cmp_routes(http::Router& router, Instance& instance) {
  auto server = std::make_shared<cmp::CmpServer>(instance);
  const auto handle = [server, &instance](const http::HttpRequest& request) {
    // Anonymous, and a MAC costs its client-chosen PBM iterations (OpenSSL caps them):
    // counted per address like the public reads, on the bounded anonymous pool.
    instance.verification_budget().count_read(request.remote_address, to_unix(instance.clock().now()));
    if (request.header("content-type") != "application/pkixcmp")
      throw Error(ErrorKind::invalid_input, "bad_content_type", "Send the CMP message as application/pkixcmp.");
    const auto answer = server->handle(request.body, request.param("profile"));
    if (!answer)
      throw Error(ErrorKind::invalid_input, "not_cmp", "The body is not a DER-encoded CMP message (RFC 4210).");
    http::HttpResponse response;
    response.content_type = "application/pkixcmp";
    response.body = *answer;
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  };
  for (const auto* path : {"/.well-known/cmp", "/.well-known/cmp/p/{profile}"}) {
    router.add("POST", path, handle);
    router.run_apart("POST", path, http::Router::Lane::anonymous);
  }
}

}  // namespace lontar
