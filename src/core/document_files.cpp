#include "core/document_files.h"

#include <algorithm>
#include <cctype>

#include "core/error.h"

namespace lontar {

void require_sha256_hex(std::string_view sha256) {
  if (sha256.size() != 64 ||
      !std::all_of(sha256.begin(), sha256.end(), [](unsigned char c) { return std::isxdigit(c) != 0; }))
    throw Error(ErrorKind::internal, "bad_document_hash", "A document is named by its SHA-256 in hex.");
}

}  // namespace lontar
