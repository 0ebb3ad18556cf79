#pragma once

#include <cstddef>
#include <string_view>

namespace lontar {

// The length of the well-formed UTF-8 character at `at` (1 to 4), or 0 when the bytes
// there are not one: a stray continuation byte, a character cut short, an overlong
// form, a surrogate, or anything above U+10FFFF.
std::size_t utf8_character_length(std::string_view text, std::size_t at);

// Text a person typed and the database will keep: well-formed UTF-8 and no NUL.
// PostgreSQL refuses anything else with an error of its own, SQLite stores it as given;
// checking at the edge gives both engines one answer and the user a message to act on.
bool is_storable_text(std::string_view text);

// Throws Error(invalid_input, "bad_text") unless `text` is storable: the one refusal every
// front end gives (a 400 saying what to do).
void require_storable_text(std::string_view text);

}  // namespace lontar
