#pragma once

#include <string>
#include <string_view>

#include "http/message.h"
#include "instance/instance.h"

namespace lontar {

// The registered PDF behind a verification code, as it left Lontar, for anyone holding
// the code (the code is printed only on that paper). Counted against the client
// address's public budget like a check. Throws not_found "unknown_document" for a code
// nobody has, or whose file is not kept (documents registered before files were kept).
std::string registered_pdf(Instance& instance, std::string_view code, const std::string& client_address);

// GET …/{code}/pdf for the portal and the API alike: the registered PDF as a download,
// never rendered in our origin (attachment, sandboxing CSP), not indexed, not kept by
// shared caches.
http::HttpResponse registered_pdf_download(Instance& instance, const http::HttpRequest& request);

}  // namespace lontar
