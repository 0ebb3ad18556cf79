#include "core/document.h"

#include "core/error.h"

namespace lontar {

namespace {
constexpr std::size_t kDocumentCodeSymbols = 20;
}

std::string new_document_code(RandomSource& random) { return random_crockford(random, kDocumentCodeSymbols); }

bool is_document_code(std::string_view code) {
  return code.size() == kDocumentCodeSymbols && code.find_first_not_of(kCrockfordAlphabet) == std::string_view::npos;
}

void require_document_code(std::string_view code) {
  if (!is_document_code(code))
    throw Error(ErrorKind::invalid_input, "bad_document_code",
                "The document code is not one Lontar hands out (20 characters, Crockford base32).");
}

}  // namespace lontar
