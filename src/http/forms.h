#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace lontar::http {

// application/x-www-form-urlencoded and query strings; malformed escapes are kept as text.
std::string url_decode(std::string_view text);
std::map<std::string, std::string> parse_form(std::string_view body);
// The Cookie header; the first value of a repeated name wins.
std::map<std::string, std::string> parse_cookies(std::string_view header);

}  // namespace lontar::http
