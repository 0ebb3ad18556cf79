#include "web/session_cookie.h"

#include "http/forms.h"

namespace lontar {

std::string session_cookie(const std::string& token, bool secure) {
  return std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
}

std::string expired_session_cookie() {
  return std::string(kSessionCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict";
}

std::optional<std::string> session_token(const http::HttpRequest& request) {
  const auto cookies = http::parse_cookies(request.header("cookie"));
  const auto found = cookies.find(kSessionCookie);
  if (found == cookies.end()) return std::nullopt;
  return found->second;
}

std::optional<AuthenticatedSession> session_of(const SessionService& sessions, const http::HttpRequest& request) {
  const auto token = session_token(request);
  return token ? sessions.authenticate(*token) : std::nullopt;
}

}  // namespace lontar
