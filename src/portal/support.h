#pragma once

// Helpers shared by the portal's page files (not part of any public interface).

#include <map>
#include <string>

#include "core/encoding.h"
#include "core/error.h"
#include "core/store.h"
#include "core/utf8.h"
#include "http/forms.h"
#include "http/message.h"
#include "http/multipart.h"

namespace lontar::portal_support {

inline http::HttpResponse redirect(const std::string& location) {
  http::HttpResponse response;
  response.status = 303;
  response.headers.emplace_back("Location", location);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

// The fields of a form posted by a logged-in visitor whose CSRF token matched.
struct PostedForm {
  std::map<std::string, std::string> fields;
  std::string operator[](const char* name) const {
    const auto found = fields.find(name);
    return found == fields.end() ? std::string() : found->second;
  }
};

inline void require_csrf(const std::string& sent, const Session& session) {
  if (!constant_time_equal(sent, session.csrf))
    throw Error(ErrorKind::forbidden, "csrf", "The form is missing its security token; reload the page and try again.");
}

inline PostedForm checked_form(const http::HttpRequest& request, const Session& session) {
  PostedForm form{http::parse_form(request.body)};
  require_csrf(form["csrf"], session);
  return form;
}

// A multipart form (file uploads) with its CSRF token checked. The page, not the
// client, says which fields are files: a field read as text must be storable text,
// a field read as a file is bytes however the client sent it (curl's `-F name=<file`
// sends a file without a file name).
struct UploadForm {
  std::map<std::string, http::FormPart> parts;
  std::string text(const char* name) const {
    const auto found = parts.find(name);
    if (found == parts.end()) return {};
    require_storable_text(found->second.data);
    return found->second.data;
  }
  std::string file(const char* name) const {
    const auto found = parts.find(name);
    return found == parts.end() ? std::string() : found->second.data;
  }
  std::string file_name(const char* name) const {
    const auto found = parts.find(name);
    return found == parts.end() ? std::string() : found->second.filename;
  }
};

inline UploadForm checked_upload(const http::HttpRequest& request, const Session& session) {
  auto parts = http::parse_multipart(request.header("content-type"), request.body);
  if (!parts) throw Error(ErrorKind::invalid_input, "bad_upload", "The upload form could not be read; try again.");
  for (const auto& [name, part] : *parts) require_storable_text(name);
  UploadForm form{std::move(*parts)};
  require_csrf(form.text("csrf"), session);
  return form;
}

// A query parameter ("?id=7"), or empty.
inline std::string query_value(const http::HttpRequest& request, const char* name) {
  const auto query = http::parse_form(request.query);
  const auto found = query.find(name);
  return found == query.end() ? std::string() : found->second;
}

inline Error forbidden_page() {
  return Error(ErrorKind::forbidden, "forbidden", "Your role does not give access to this page.");
}

// The largest PDF a page accepts for signing or checking.
inline constexpr std::size_t kUploadLimit = 20 * 1024 * 1024;

}  // namespace lontar::portal_support
