#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "http/message.h"

namespace lontar::http {

// The HTTP status for an error kind (400, 422, 404, 409, 401, 403, 503, 500).
int status_for(ErrorKind kind);

// Routes are path patterns whose segments are literal or `{name}`, which matches one
// non-empty segment and is handed to the handler as request.param("name"):
// "/api/v1/requests/{id}/csr". A last segment `{name*}` takes the rest of the path. A path matched by several patterns goes to the one with
// the most literal segments, so "/api/v1/documents/sign" wins over "/api/v1/documents/{code}".
class Router final {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  void add(const std::string& method, const std::string& pattern, Handler handler);
  // Never throws: unknown paths answer 404, wrong methods 405, and an exception
  // from a handler becomes a JSON error whose status follows the error's kind.
  HttpResponse dispatch(HttpRequest& request) const;

  // Bodies are small unless the route allows more.
  void allow_body(const std::string& pattern, std::size_t max_bytes);
  std::size_t body_limit(const std::string& path) const;

  // Requests to the route with `method` are handled on one of the server's work pools,
  // not on the threads that answer everything else. Anonymous work has a pool of its
  // own, so a flood of public checks cannot stop a signed-in holder from signing or
  // uploading a letter.
  enum class Lane { none, anonymous, signed_in };
  void run_apart(const std::string& method, const std::string& pattern, Lane lane);
  Lane lane(const std::string& method, const std::string& path) const;
  // The pattern a path is routed by ("/v/{code}"), or "(no route)": what the access log
  // names, so a NIK or a document code in a path never reaches the log.
  std::string pattern_for(const std::string& path) const;
  static constexpr std::size_t kDefaultBodyLimit = 64 * 1024;

 private:
  struct Route {
    std::string pattern;
    std::vector<std::string> segments;
    int literal_segments = 0;
    std::map<std::string, Handler> handlers;  // method → handler
    std::optional<std::size_t> body_limit;
    std::map<std::string, Lane> lanes;  // method → lane
  };
  Route& route(const std::string& pattern);
  const Route* match(const std::string& path, std::map<std::string, std::string, std::less<>>* params) const;

  std::map<std::string, Route> routes_;  // pattern → route
};

// A handler that answers every request with the same content (CA files, styles, icons).
Router::Handler fixed_content(std::string content_type, std::string body, std::string cache_control);

}  // namespace lontar::http
