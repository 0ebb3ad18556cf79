#pragma once

#include <string_view>

namespace lontar::web {

// A template or static file compiled into the binary ("templates/login.mustache",
// "static/lontar.css"); empty when there is none.
std::string_view asset(std::string_view name);

}  // namespace lontar::web
