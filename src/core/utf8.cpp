#include "core/utf8.h"

#include "core/error.h"

namespace lontar {

std::size_t utf8_character_length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[at + k]); };
  const auto lead = byte(0);
  if (lead < 0x80) return 1;
  // Unicode 15, table 3-7: the lead byte fixes the length and the range of the second byte.
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (text.size() - at < length) return 0;
  if (byte(1) < low || byte(1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k)
    if ((byte(k) & 0xC0) != 0x80) return 0;
  return length;
}

bool is_storable_text(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto length = utf8_character_length(text, i);
    if (length == 0 || text[i] == '\0') return false;
    i += length;
  }
  return true;
}

void require_storable_text(std::string_view text) {
  if (!is_storable_text(text))
    throw Error(ErrorKind::invalid_input, "bad_text",
                "Some of the text sent is not text (invalid UTF-8 or a NUL byte); retype it and try again.");
}

}  // namespace lontar
