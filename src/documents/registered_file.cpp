#include "documents/registered_file.h"

#include "core/document_registry.h"
#include "core/error.h"

namespace lontar {

namespace {
Error unknown() { return Error(ErrorKind::not_found, "unknown_document", "No document is registered under this code."); }

// The document and what this visitor may see of it, the read counted.
std::pair<RegisteredDocument, DocumentView> readable(Instance& instance, std::string_view code,
                                                     const std::optional<Account>& viewer,
                                                     const std::string& client_address) {
  if (!is_document_code(code)) throw unknown();
  instance.verification_budget().count_read(client_address, to_unix(instance.clock().now()));
  auto registered = instance.documents().find(code);
  if (!registered) throw unknown();
  const auto view = view_of(*registered, viewer);
  if (view.withdrawn) throw unknown();
  return {std::move(*registered), view};
}

void add_private_headers(http::HttpResponse& response) {
  response.headers.emplace_back("X-Robots-Tag", "noindex");
  response.headers.emplace_back("Cache-Control", "private, no-store");
}

int page_number(const std::string& text) {
  if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::stoi(text);
}
}  // namespace

std::string registered_pdf(Instance& instance, std::string_view code, const std::optional<Account>& viewer,
                           const std::string& client_address) {
  const auto [registered, view] = readable(instance, code, viewer, client_address);
  if (!view.download)
    throw Error(ErrorKind::forbidden, "summary_only",
                "The signer shows only a summary of this document; the file is for the signer and staff.");
  auto pdf = instance.document_files().get(registered.document.sha256);
  if (!pdf) throw unknown();
  return std::move(*pdf);
}

http::HttpResponse registered_pdf_download(Instance& instance, const http::HttpRequest& request,
                                           const std::optional<Account>& viewer) {
  const auto& code = request.param("code");
  http::HttpResponse response;
  response.content_type = "application/pdf";
  response.body = registered_pdf(instance, code, viewer, request.remote_address);
  response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + code + ".pdf\"");
  response.headers.emplace_back("Content-Security-Policy", "sandbox; default-src 'none'");
  add_private_headers(response);
  return response;
}

http::HttpResponse registered_page_preview(Instance& instance, const http::HttpRequest& request,
                                           const std::optional<Account>& viewer) {
  const auto [registered, view] = readable(instance, request.param("code"), viewer, request.remote_address);
  const int page = page_number(request.param("page"));
  if (page < 1 || page > registered.document.pages)
    throw Error(ErrorKind::not_found, "no_such_page", "The document has no such page.");
  if (page > view.pages_shown)
    throw Error(ErrorKind::forbidden, "summary_only",
                "The signer shows only the first page of this document; the rest is for the signer and staff.");
  auto png = page <= registered.document.previews
                 ? instance.document_files().get_preview(registered.document.sha256, page)
                 : std::nullopt;
  if (!png) throw Error(ErrorKind::not_found, "preview_not_ready", "This page's preview is not ready; try again soon.");
  http::HttpResponse response;
  response.content_type = "image/png";
  response.body = std::move(*png);
  response.headers.emplace_back("Content-Security-Policy", "default-src 'none'");
  add_private_headers(response);
  return response;
}

}  // namespace lontar
