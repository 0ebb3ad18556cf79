#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace lontar::http {

// application/x-www-form-urlencoded and query strings; malformed escapes are kept as text.
std::string url_decode(std::string_view text);
// Every name and value must decode to storable text (UTF-8, no NUL): otherwise an
// Error(invalid_input, "bad_text"), a 400 on every page and engine alike.
std::map<std::string, std::string> parse_form(std::string_view body);
// The Cookie header; the first value of a repeated name wins.
std::map<std::string, std::string> parse_cookies(std::string_view header);

}  // namespace lontar::http
