#pragma once

#include <cstdint>
#include <string>

namespace lontar {

// A document signed through Lontar, registered so that the QR code on it opens a
// public verification page. The id is unguessable (96 random bits) and is all the
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
