#include "core/document.h"

#include "core/error.h"
#include "core/utf8.h"

namespace lontar {

namespace {
constexpr std::size_t kDocumentCodeSymbols = 20;
}

std::string new_document_code(RandomSource& random) { return random_crockford(random, kDocumentCodeSymbols); }

bool is_document_code(std::string_view code) {
  return code.size() == kDocumentCodeSymbols && code.find_first_not_of(kCrockfordAlphabet) == std::string_view::npos;
}

std::string normalise_document_code(std::string_view typed) {
  std::string code;
  for (const char c : typed) {
    if (c == '-' || c == ' ') continue;
    char upper = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    if (upper == 'O') upper = '0';
    if (upper == 'I' || upper == 'L') upper = '1';
    code += upper;
    if (code.size() > 64) break;  // no code is this long; stop copying
  }
  return code;
}

const char* to_string(DocumentVisibility visibility) {
  return visibility == DocumentVisibility::summary ? "summary" : "full";
}

std::optional<DocumentVisibility> parse_document_visibility(std::string_view text) {
  if (text == "full") return DocumentVisibility::full;
  if (text == "summary") return DocumentVisibility::summary;
  return std::nullopt;
}

std::string clean_document_title(std::string_view text) {
  constexpr std::size_t kMaxTitleBytes = 200;
  std::string out;
  bool space = false;
  for (std::size_t i = 0; i < text.size();) {
    const auto length = utf8_character_length(text, i);
    // Bytes that are not a whole character (a file name from an old system, a hostile
    // upload) are dropped: what is kept is text every engine stores and every page shows.
    if (length == 0) {
      ++i;
      continue;
    }
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7f || byte == ' ') {
      space = !out.empty();
      ++i;
      continue;
    }
    if (out.size() + (space ? 1 : 0) + length > kMaxTitleBytes) break;
    if (space) out += ' ';
    space = false;
    out.append(text.substr(i, length));
    i += length;
  }
  return out;
}

std::string choose_document_title(std::string_view entered, std::string_view pdf_title, std::string_view file_name) {
  if (auto title = clean_document_title(entered); !title.empty()) return title;
  if (auto title = clean_document_title(pdf_title); !title.empty()) return title;
  const auto slash = file_name.find_last_of("/\\");
  return clean_document_title(slash == std::string_view::npos ? file_name : file_name.substr(slash + 1));
}

void require_document_code(std::string_view code) {
  if (!is_document_code(code))
    throw Error(ErrorKind::invalid_input, "bad_document_code",
                "The document code is not one Lontar hands out (20 characters, Crockford base32).");
}

}  // namespace lontar
