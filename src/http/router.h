#pragma once

#include <functional>
#include <map>
#include <string>

#include "core/error.h"
#include "http/message.h"

namespace lontar::http {

// The HTTP status for an error kind (400, 422, 404, 409, 401, 403, 503, 500).
int status_for(ErrorKind kind);

class Router final {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  void add(const std::string& method, const std::string& path, Handler handler);
  // Matches every path that starts with `prefix` (longest prefix wins) when no exact route does.
  void add_prefix(const std::string& method, const std::string& prefix, Handler handler);
  // Never throws: unknown paths answer 404, wrong methods 405, and an exception
  // from a handler becomes a JSON error whose status follows the error's kind.
  HttpResponse dispatch(const HttpRequest& request) const;

  // Bodies are small unless a path (or a path prefix ending in '/') allows more.
  void allow_body(const std::string& path, std::size_t max_bytes) { body_limits_[path] = max_bytes; }
  std::size_t body_limit(const std::string& path) const;

  // Requests to `path` (or a path prefix ending in '/') with `method` are handled on
  // one of the server's work pools, not on the threads that answer everything else.
  // Anonymous work has a pool of its own, so a flood of public checks cannot stop a
  // signed-in holder from signing or uploading a letter.
  enum class Lane { none, anonymous, signed_in };
  void run_apart(const std::string& method, const std::string& path, Lane lane) { apart_[{method, path}] = lane; }
  Lane lane(const std::string& method, const std::string& path) const;
  static constexpr std::size_t kDefaultBodyLimit = 64 * 1024;

 private:
  std::map<std::string, std::map<std::string, Handler>> routes_;    // path → method → handler
  std::map<std::string, std::map<std::string, Handler>> prefixes_;  // prefix → method → handler
  std::map<std::string, std::size_t> body_limits_;
  std::map<std::pair<std::string, std::string>, Lane> apart_;  // (method, path or prefix) → lane
};


}  // namespace lontar::http
