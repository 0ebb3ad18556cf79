#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/random.h"

namespace lontar {

// Who may see a registered document's pages through its code: everyone holding the
// code (it is printed only on that paper), or — `summary` — its title, signer, time,
// page count and first page, with the rest for the signer and staff.
enum class DocumentVisibility { full, summary };
const char* to_string(DocumentVisibility visibility);
std::optional<DocumentVisibility> parse_document_visibility(std::string_view text);

// A document signed through Lontar, registered so that the QR code on it opens a
// public verification page. The id is unguessable (100 random bits) and is all the
// page needs; the file itself is kept by DocumentFiles under its SHA-256.
struct SignedDocument {
  std::string id;  // verification code, Crockford base32
  std::string sha256;  // of the signed file as it left Lontar
  std::string signer_serial;
  std::string signer_name;
  std::string signer_unit;
  std::int64_t signed_at = 0;
  int signature_count = 1;  // signatures in the file after this one
  std::string title;  // what the signer called it, else the PDF's /Title, else its file name
  int pages = 0;
  DocumentVisibility visibility = DocumentVisibility::full;
  int previews = 0;  // pages rendered so far; kPreviewsFailed when they cannot be
  std::int64_t withdrawn_at = 0;  // 0: not withdrawn
  std::string withdrawn_reason;
  std::string withdrawn_by;
  bool withdrawn() const { return withdrawn_at != 0; }
};
inline constexpr int kPreviewsFailed = -1;

// A title as shown on the verification page: control characters dropped, spaces
// collapsed, at most 200 characters (UTF-8 kept whole).
std::string clean_document_title(std::string_view text);
// The first of these that is not empty once cleaned: what the signer entered, the
// PDF's own /Title, the uploaded file's name (without folders).
std::string choose_document_title(std::string_view entered, std::string_view pdf_title, std::string_view file_name);

// A new verification code: 20 symbols × 5 bits = 100 random bits (≥ 96 required).
std::string new_document_code(RandomSource& random);
bool is_document_code(std::string_view code);
// A code as a person types it from paper: dashes and spaces dropped, lower case raised,
// and the letters Crockford base32 reads as digits (O → 0, I and L → 1) mapped.
std::string normalise_document_code(std::string_view typed);
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
