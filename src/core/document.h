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

}  // namespace lontar
