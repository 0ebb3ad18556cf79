#include "portal/portal.h"

#include "portal/support.h"
#include "portal/text.h"
#include "web/web_assets.h"

namespace lontar {

namespace {
namespace mustache = kainjow::mustache;
using namespace portal_support;
}  // namespace

Portal::Portal(Instance& instance, SessionPolicy policy) : site_(instance, policy) {}

void Portal::add_routes(http::Router& router) {
  router.add("GET", "/", [this](const http::HttpRequest& request) {
    const auto visitor = site_.visitor(request);
    return Site::redirect_for(visitor, visitor.session ? "/sertifikat" : "/login");
  });
  accounts_.add_routes(router);
  certificates_.add_routes(router);
  requests_.add_routes(router);
  review_.add_routes(router);
  helpdesk_.add_routes(router);
  admin_.add_routes(router);
  documents_.add_routes(router);
  verify_.add_routes(router);
  router.add("GET", "/bantuan", [this](const http::HttpRequest& request) { return show_help(request); });
  router.add("GET", "/static/favicon.svg",
             http::fixed_content("image/svg+xml", std::string(web::asset("static/favicon.svg")), "public, max-age=86400"));
  router.add("GET", "/favicon.ico", [](const http::HttpRequest&) {
    http::HttpResponse response;
    response.status = 301;
    response.headers.emplace_back("Location", "/static/favicon.svg");
    return response;
  });
  router.add("GET", "/static/lontar.css", http::fixed_content("text/css; charset=utf-8",
                                                              std::string(web::asset("static/lontar.css")),
                                                              "public, max-age=3600"));
}

http::HttpResponse Portal::show_help(const http::HttpRequest& request) const {
  const auto v = site_.visitor(request);
  const auto& text = portal_text(v.lang);
  mustache::list steps;
  for (int n = 1; n <= 8; ++n) steps.push_back(mustache::data(say(text, "step_" + std::to_string(n))));
  mustache::data data;
  data.set("steps", steps);
  return site_.render(v, say(text, "help"), "help.mustache", data);
}

}  // namespace lontar
