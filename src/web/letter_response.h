#pragma once

#include <string>

#include "http/message.h"

namespace lontar {

// A recommendation letter as an HTTP answer: the applicant's upload, served as a PDF
// that can run nothing here (a sandboxing CSP, nosniff from the server), inline for
// reading in the browser or as an attachment.
inline http::HttpResponse letter_response(std::string pdf, std::int64_t request_id, bool inline_view) {
  http::HttpResponse response;
  response.content_type = "application/pdf";
  response.body = std::move(pdf);
  response.headers.emplace_back("Content-Disposition", std::string(inline_view ? "inline" : "attachment") +
                                                           "; filename=\"surat-rekomendasi-" +
                                                           std::to_string(request_id) + ".pdf\"");
  response.headers.emplace_back("Content-Security-Policy", "sandbox; default-src 'none'; frame-ancestors 'self'");
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

}  // namespace lontar
