#pragma once

#include <string>

namespace lontar::lock {

enum class Lang { id, en };

// --lang wins; otherwise LANGUAGE/LC_ALL/LC_MESSAGES/LANG starting with "en" means English.
Lang choose_lang(const std::string& flag);

// The tool's sentences in Indonesian (default) and English.
std::string say(Lang lang, const std::string& key);

}  // namespace lontar::lock
