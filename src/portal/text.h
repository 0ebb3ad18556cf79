#pragma once

#include <string>

#include <kainjow/mustache.hpp>

namespace lontar {

// The portal's words in Indonesian (the default) and English (SPEC §7).
const kainjow::mustache::data& portal_text(const std::string& lang);

// One sentence of `text` by key (the key itself when missing).
inline std::string say(const kainjow::mustache::data& text, const std::string& key) {
  const auto* value = text.get(key);
  return value && value->is_string() ? value->string_value() : key;
}

namespace detail {
struct PortalEntry {
  const char* key;
  const char* id;
  const char* en;
};
extern const PortalEntry kProcedureText[];
extern const std::size_t kProcedureTextSize;
extern const PortalEntry kDocumentText[];
extern const std::size_t kDocumentTextSize;
extern const PortalEntry kRenewalText[];
extern const std::size_t kRenewalTextSize;
}  // namespace detail

}  // namespace lontar
