#pragma once

#include <functional>
#include <map>
#include <string>

#include "http/message.h"

namespace lontar::http {

class Router final {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  void add(const std::string& method, const std::string& path, Handler handler);
  // Matches every path that starts with `prefix` (longest prefix wins) when no exact route does.
  void add_prefix(const std::string& method, const std::string& prefix, Handler handler);
  // Never throws: unknown paths answer 404, wrong methods 405, and an exception
  // from a handler becomes a JSON error whose status follows the error's kind.
  HttpResponse dispatch(const HttpRequest& request) const;

 private:
  std::map<std::string, std::map<std::string, Handler>> routes_;    // path → method → handler
  std::map<std::string, std::map<std::string, Handler>> prefixes_;  // prefix → method → handler
};


}  // namespace lontar::http
