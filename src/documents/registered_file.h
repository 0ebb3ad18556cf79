#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/account.h"
#include "http/message.h"
#include "instance/instance.h"

namespace lontar {

// The registered PDF behind a verification code, as it left Lontar, for whoever its
// visibility lets see it (view_of). Counted against the client address's public read
// budget. Throws not_found "unknown_document" for a code nobody has, a withdrawn
// document, or one whose file is not kept (registered before files were kept), and
// forbidden "summary_only" when the visitor may see the summary only.
std::string registered_pdf(Instance& instance, std::string_view code, const std::optional<Account>& viewer,
                           const std::string& client_address);

// GET …/{code}/pdf for the portal and the API alike: the registered PDF as a download,
// never rendered in our origin (attachment, sandboxing CSP), not indexed, not kept by
// shared caches.
http::HttpResponse registered_pdf_download(Instance& instance, const http::HttpRequest& request,
                                           const std::optional<Account>& viewer);

// GET …/{code}/pages/{page}: the PNG preview of one page, under the same rules (pages
// past the first need the full view); not_found "preview_not_ready" until rendered.
http::HttpResponse registered_page_preview(Instance& instance, const http::HttpRequest& request,
                                           const std::optional<Account>& viewer);

}  // namespace lontar
