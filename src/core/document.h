#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/random.h"

namespace lontar {

// A document signed through Lontar, registered so that the QR code on it opens a
// public verification page. The id is unguessable (100 random bits) and is all the
// page needs; the record never holds the document itself.
struct SignedDocument {
  std::string id;  // verification code, Crockford base32
  std::string sha256;  // of the signed file as it left Lontar
  std::string signer_serial;
  std::string signer_name;
  std::string signer_unit;
  std::int64_t signed_at = 0;
  int signature_count = 1;  // signatures in the file after this one
};

// A new verification code: 20 symbols × 5 bits = 100 random bits (≥ 96 required).
std::string new_document_code(RandomSource& random);
bool is_document_code(std::string_view code);
// Throws Error(invalid_input, "bad_document_code") unless is_document_code(code).
void require_document_code(std::string_view code);

// Where the visible stamp goes on its page (36 pt from the two edges).
enum class StampPosition { bottom_left, bottom_right, top_left, top_right };

// "bottom-left", "bottom-right", "top-left", "top-right"; empty means bottom-left.
inline std::optional<StampPosition> parse_stamp_position(std::string_view text) {
  if (text.empty() || text == "bottom-left") return StampPosition::bottom_left;
  if (text == "bottom-right") return StampPosition::bottom_right;
  if (text == "top-left") return StampPosition::top_left;
  if (text == "top-right") return StampPosition::top_right;
  return std::nullopt;
}

// The code as printed on the stamp: "ABCDE-FGHJK-MNPQR-STVWX".
inline std::string display_code(const std::string& id) {
  std::string out;
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (i && i % 5 == 0) out += '-';
    out += id[i];
  }
  return out;
}

}  // namespace lontar
