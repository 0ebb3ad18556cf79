#include "http/router.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace lontar::http {

int status_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_input: return 400;
    case ErrorKind::policy: return 422;
    case ErrorKind::not_found: return 404;
    case ErrorKind::conflict: return 409;
    case ErrorKind::unauthenticated: return 401;
    case ErrorKind::forbidden: return 403;
    case ErrorKind::unavailable: return 503;
    case ErrorKind::rate_limited: return 429;
    case ErrorKind::internal: return 500;
  }
  return 500;
}

namespace {
HttpResponse error_response(int status, const std::string& code, const std::string& message) {
  nlohmann::json body{{"error", {{"code", code}, {"message", message}}}};
  return HttpResponse::json(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}
}  // namespace

void Router::add(const std::string& method, const std::string& path, Handler handler) {
  routes_[path][method] = std::move(handler);
}

void Router::add_prefix(const std::string& method, const std::string& prefix, Handler handler) {
  prefixes_[prefix][method] = std::move(handler);
}

std::size_t Router::body_limit(const std::string& path) const {
  if (const auto exact = body_limits_.find(path); exact != body_limits_.end()) return exact->second;
  std::size_t limit = kDefaultBodyLimit;
  for (const auto& [prefix, bytes] : body_limits_)
    if (prefix.ends_with('/') && path.starts_with(prefix)) limit = bytes;
  return limit;
}

Router::Lane Router::lane(const std::string& method, const std::string& path) const {
  for (const auto& [route, lane] : apart_)
    if (route.first == method && (route.second == path || (route.second.ends_with('/') && path.starts_with(route.second))))
      return lane;
  return Lane::none;
}

HttpResponse Router::dispatch(const HttpRequest& request) const {
  const std::map<std::string, Handler>* methods = nullptr;
  if (const auto exact = routes_.find(request.path); exact != routes_.end()) {
    methods = &exact->second;
  } else {
    // Longest matching prefix: map order puts it last among the candidates.
    for (const auto& [prefix, handlers] : prefixes_)
      if (request.path.starts_with(prefix)) methods = &handlers;
  }
  if (!methods) return error_response(404, "not_found", "There is nothing at this address.");
  auto handler = methods->find(request.method);
  if (handler == methods->end() && request.method == "HEAD") handler = methods->find("GET");
  if (handler == methods->end()) {
    auto response = error_response(405, "method_not_allowed", "This address does not accept " + request.method + ".");
    std::string allow;
    for (const auto& [method, unused] : *methods) allow += (allow.empty() ? "" : ", ") + method;
    response.headers.emplace_back("Allow", allow);
    return response;
  }
  try {
    return handler->second(request);
  } catch (const Error& e) {
    const int status = status_for(e.kind());
    if (status >= 500) {
      spdlog::error("{} {}: {} ({})", request.method, request.path, e.what(), e.code());
      return error_response(status, e.code(), e.kind() == ErrorKind::internal
                                                   ? "Something went wrong on our side; it has been logged."
                                                   : e.what());
    }
    auto response = error_response(status, e.code(), e.what());
    if (e.kind() == ErrorKind::rate_limited) response.headers.emplace_back("Retry-After", "60");
    return response;
  } catch (const std::exception& e) {
    spdlog::error("{} {}: unexpected exception: {}", request.method, request.path, e.what());
    return error_response(500, "internal", "Something went wrong on our side; it has been logged.");
  }
}

}  // namespace lontar::http
