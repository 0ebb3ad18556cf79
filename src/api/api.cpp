#include "api/api.h"

#include "api/support.h"
#include "web/web_assets.h"

namespace lontar {

using namespace api_support;

Api::Api(Instance& instance, SessionPolicy policy)
    : access_(instance, policy),
      accounts_(access_),
      certificates_(access_),
      requests_(access_),
      documents_(access_),
      lock_(access_) {}

void Api::add_routes(http::Router& router) {
  router.add("GET", "/api/v1/openapi.json", [](const http::HttpRequest&) {
    return json_response(200, json::parse(web::asset("static/openapi.json")));
  });
  accounts_.add_routes(router);
  certificates_.add_routes(router);
  requests_.add_routes(router);
  documents_.add_routes(router);
  lock_.add_routes(router);
}

std::size_t letter_body_limit(const Instance& instance) {
  return instance.config().requests.letter_max_bytes * 4 / 3 + 256 * 1024;  // base64 in JSON
}

}  // namespace lontar
