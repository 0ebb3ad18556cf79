#pragma once

#include <optional>
#include <string>

#include "core/sessions.h"
#include "http/message.h"

namespace lontar {

// The one session cookie shared by the portal pages and the JSON API.
inline constexpr const char* kSessionCookie = "lontar_session";

// The Set-Cookie value for a new session: HttpOnly, SameSite=Strict, Secure under TLS.
std::string session_cookie(const std::string& token, bool secure);
std::string expired_session_cookie();
std::optional<std::string> session_token(const http::HttpRequest& request);
std::optional<AuthenticatedSession> session_of(const SessionService& sessions, const http::HttpRequest& request);

}  // namespace lontar
