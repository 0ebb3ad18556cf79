#pragma once

#include <string>

#include "http/message.h"

namespace lontar {

// A registered PDF as a download: never rendered in our origin (attachment, a sandboxing
// CSP), never indexed by search engines, never kept by shared caches.
inline http::HttpResponse pdf_download(std::string pdf, const std::string& filename) {
  http::HttpResponse response;
  response.content_type = "application/pdf";
  response.body = std::move(pdf);
  response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  response.headers.emplace_back("Content-Security-Policy", "sandbox; default-src 'none'");
  response.headers.emplace_back("X-Robots-Tag", "noindex");
  response.headers.emplace_back("Cache-Control", "private, no-store");
  return response;
}

}  // namespace lontar
