#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/validation_data.h"
#include "pdf/pdf_limits.h"

namespace lontar::pdf {

// One signature found in a PDF: what it signs and its value, as the file says.
struct EmbeddedSignature {
  std::string field_name;
  std::string sub_filter;
  std::string contact_info;              // /ContactInfo: where Lontar's signatures are verified
  std::int64_t ranges[4] = {0, 0, 0, 0};  // /ByteRange
  std::string contents;                  // the CMS signature value (DER and its zero padding)
  std::int64_t signed_size = 0;          // the end of the last byte range: the signed revision
  bool covers_whole_file = false;        // nothing was appended after it
  // Why the signature's place in the file is refused (empty when it is sound): a byte
  // range that does not cover its revision but for the value's hole, a hole holding
  // more than the value, a signature dictionary outside the revision it signs.
  std::string refusal;
  bool well_formed() const { return refusal.empty(); }
  // The two pieces of `pdf` (the file it was found in) the byte range names, as views:
  // a copy of the file per signature would cost more than checking it.
  std::array<std::string_view, 2> signed_parts(std::string_view pdf) const;
};

struct PdfSignatures {
  std::vector<EmbeddedSignature> signatures;  // in the order they were made
  // The document security store holds revocation answers (OCSP or CRL): the
  // signatures can be validated offline (PAdES B-LT).
  bool long_term_validation_data = false;
  ValidationData validation_data;  // what the store holds, decoded
  // Scripts, launch actions, embedded files and the like (see active_content.h).
  std::string active_content;
  // The first change after a signature that the signature does not allow, naming the
  // signature; empty when every update after every signature is allowed.
  std::string change_after_signing;
};

// The signature fields of a PDF, read with qpdf (nothing in the file is run), each
// checked against the revision it signs, and every later update judged. Throws
// Error(invalid_input) for an encrypted or damaged file, Error(policy, "pdf_limit_…")
// past one of the budget's limits.
PdfSignatures find_signatures(std::string_view pdf, PdfBudget& budget);
PdfSignatures find_signatures(std::string_view pdf);  // with the default limits

// Checks the value of one embedded signature against its bytes (digest and signature
// only; trust is the caller's business). Supplied by the caller: this library does
// no cryptography.
using SignatureIntegrityCheck =
    std::function<bool(std::string_view cms_der, std::span<const std::string_view> signed_parts)>;

// Before a PDF is signed again: throws Error(invalid_input, "pdf_already_changed") when
// an earlier signature no longer matches the file (its byte range does not fit, the
// bytes changed since, or the file changed in a way the signature does not allow),
// because a new signature over it would hide the damage; Error(invalid_input,
// "pdf_scripted") for a PDF with active content.
void require_earlier_signatures_intact(std::string_view pdf, const SignatureIntegrityCheck& intact,
                                       PdfBudget& budget);

// Whether everything after the first `signed_size` bytes only adds long-term
// validation data: every object of the signed revision unchanged, the catalog changed
// only in /DSS. Such an update (PAdES B-LT) leaves the signed document as it was.
bool only_validation_data_added(std::string_view pdf, std::int64_t signed_size);

}  // namespace lontar::pdf
