#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/validation_data.h"

namespace lontar::pdf {

// One signature found in a PDF: what it signs and its value, as the file says.
struct EmbeddedSignature {
  std::string field_name;
  std::string sub_filter;
  std::string contact_info;              // /ContactInfo: where Lontar's signatures are verified
  std::int64_t ranges[4] = {0, 0, 0, 0};  // /ByteRange
  std::string contents;                  // the CMS signature value (DER)
  std::string signed_bytes;              // the bytes the byte range names
  std::int64_t signed_size = 0;          // the end of the last byte range
  bool covers_whole_file = false;        // nothing was appended after it
  bool well_formed = false;              // the byte range is sane for this file
};

struct PdfSignatures {
  std::vector<EmbeddedSignature> signatures;
  // The document security store holds revocation answers (OCSP or CRL): the
  // signatures can be validated offline (PAdES B-LT).
  bool long_term_validation_data = false;
  ValidationData validation_data;  // what the store holds, decoded
};

// The signature fields of a PDF, read with qpdf; nothing in the file is run.
// Throws Error(invalid_input) for an encrypted, damaged or oversized file.
PdfSignatures find_signatures(std::string_view pdf);

// Checks the value of one embedded signature against its bytes (digest and signature
// only; trust is the caller's business). Supplied by the caller: this library does
// no cryptography.
using SignatureIntegrityCheck = std::function<bool(std::string_view cms_der, std::string_view signed_bytes)>;

// Before a PDF is signed again: throws Error(invalid_input, "pdf_already_changed") when
// an earlier signature no longer matches the file (its byte range does not fit, or the
// bytes changed since), because a new signature over it would hide the damage.
void require_earlier_signatures_intact(std::string_view pdf, const SignatureIntegrityCheck& intact);

// Whether everything after the first `signed_size` bytes only adds long-term
// validation data: every object of the signed revision unchanged, the catalog changed
// only in /DSS. Such an update (PAdES B-LT) leaves the signed document as it was.
bool only_validation_data_added(std::string_view pdf, std::int64_t signed_size);

}  // namespace lontar::pdf
