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

namespace {
std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (true) {
    const auto slash = path.find('/', start);
    segments.push_back(path.substr(start, slash - start));
    if (slash == std::string::npos) return segments;
    start = slash + 1;
  }
}

bool is_parameter(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// "{name*}" as the last segment takes the rest of the path, slashes included.
bool is_rest(const std::string& segment) { return is_parameter(segment) && segment[segment.size() - 2] == '*'; }

std::string parameter_name(const std::string& segment) {
  return segment.substr(1, segment.size() - (is_rest(segment) ? 3 : 2));
}

// Whether `segments` fit `pattern`; fills `params` when given.
bool fits(const std::vector<std::string>& pattern, const std::vector<std::string>& segments,
          std::map<std::string, std::string, std::less<>>* params) {
  const bool rest = !pattern.empty() && is_rest(pattern.back());
  if (rest ? segments.size() < pattern.size() : segments.size() != pattern.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    std::string value = segments[i];
    if (rest && i + 1 == pattern.size())
      for (std::size_t j = i + 1; j < segments.size(); ++j) value += "/" + segments[j];
    if (!is_parameter(pattern[i])) {
      if (pattern[i] != value) return false;
    } else if (value.empty()) {
      return false;
    } else if (params) {
      params->insert_or_assign(parameter_name(pattern[i]), std::move(value));
    }
  }
  return true;
}
}  // namespace

Router::Route& Router::route(const std::string& pattern) {
  auto [found, inserted] = routes_.try_emplace(pattern);
  if (inserted) {
    found->second.pattern = pattern;
    found->second.segments = split_path(pattern);
    for (const auto& segment : found->second.segments) found->second.literal_segments += !is_parameter(segment);
  }
  return found->second;
}

void Router::add(const std::string& method, const std::string& pattern, Handler handler) {
  route(pattern).handlers[method] = std::move(handler);
}

void Router::allow_body(const std::string& pattern, std::size_t max_bytes) { route(pattern).body_limit = max_bytes; }

void Router::run_apart(const std::string& method, const std::string& pattern, Lane lane) {
  route(pattern).lanes[method] = lane;
}

const Router::Route* Router::match(const std::string& path,
                                   std::map<std::string, std::string, std::less<>>* params) const {
  if (const auto exact = routes_.find(path); exact != routes_.end() && exact->second.literal_segments ==
                                                                         static_cast<int>(exact->second.segments.size()))
    return &exact->second;
  const auto segments = split_path(path);
  const Route* best = nullptr;
  for (const auto& [pattern, candidate] : routes_)
    if ((!best || candidate.literal_segments > best->literal_segments) && fits(candidate.segments, segments, nullptr))
      best = &candidate;
  if (best && params) {
    params->clear();
    fits(best->segments, segments, params);
  }
  return best;
}

std::size_t Router::body_limit(const std::string& path) const {
  const auto* found = match(path, nullptr);
  return found && found->body_limit ? *found->body_limit : kDefaultBodyLimit;
}

std::string Router::pattern_for(const std::string& path) const {
  const auto* found = match(path, nullptr);
  return found ? found->pattern : "(no route)";
}

Router::Lane Router::lane(const std::string& method, const std::string& path) const {
  const auto* found = match(path, nullptr);
  if (!found) return Lane::none;
  const auto lane = found->lanes.find(method);
  return lane == found->lanes.end() ? Lane::none : lane->second;
}

HttpResponse Router::dispatch(HttpRequest& request) const {
  const auto* route = match(request.path, &request.params);
  if (!route || route->handlers.empty()) return error_response(404, "not_found", "There is nothing at this address.");
  const auto* methods = &route->handlers;
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

Router::Handler fixed_content(std::string content_type, std::string body, std::string cache_control) {
  return [content_type = std::move(content_type), body = std::move(body),
          cache_control = std::move(cache_control)](const HttpRequest&) {
    HttpResponse response;
    response.content_type = content_type;
    response.body = body;
    response.headers.emplace_back("Cache-Control", cache_control);
    return response;
  };
}

}  // namespace lontar::http
