#pragma once

#include <string>

#include <kainjow/mustache.hpp>

namespace lontar {

// The portal's words in Indonesian (the default) and English (SPEC §7).
kainjow::mustache::data portal_text(const std::string& lang);

}  // namespace lontar
