#include "documents/registered_file.h"

#include "core/error.h"

namespace lontar {

std::string registered_pdf(Instance& instance, std::string_view code, const std::string& client_address) {
  const auto unknown = [] {
    return Error(ErrorKind::not_found, "unknown_document", "No document is registered under this code.");
  };
  if (!is_document_code(code)) throw unknown();
  const auto slot = instance.verification_budget().acquire(client_address, to_unix(instance.clock().now()));
  const auto registered = instance.documents().find(code);
  if (!registered) throw unknown();
  auto pdf = instance.document_files().get(registered->document.sha256);
  if (!pdf) throw unknown();
  return std::move(*pdf);
}

http::HttpResponse registered_pdf_download(Instance& instance, const http::HttpRequest& request) {
  const auto& code = request.param("code");
  http::HttpResponse response;
  response.content_type = "application/pdf";
  response.body = registered_pdf(instance, code, request.remote_address);
  response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + code + ".pdf\"");
  response.headers.emplace_back("Content-Security-Policy", "sandbox; default-src 'none'");
  response.headers.emplace_back("X-Robots-Tag", "noindex");
  response.headers.emplace_back("Cache-Control", "private, no-store");
  return response;
}

}  // namespace lontar
