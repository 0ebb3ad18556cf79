#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/document.h"
#include "pdf/page_footer.h"

namespace lontar::pdf {

// What the visible stamp shows (SPEC §3: a box with a QR code that opens the public
// verification page of the document).
struct Stamp {
  std::string verification_url;  // encoded in the QR code
  std::string verification_code;
  std::string signer_name;
  std::string signer_unit;
  std::string signing_time;  // as shown, e.g. "2026-11-25 10:00 UTC"
  int page = 0;              // 1-based; 0 = the last page
  bool visible = true;       // false: an invisible signature (no box on the page)
  StampPosition position = StampPosition::bottom_left;
  // On every page, by the document's first signature only (later ones may not change
  // page content); no lines: none.
  PageFooter footer;
};

struct SignatureFields {
  std::string reason;
  std::string signer_name;
  std::string pdf_date;  // "D:20261125100000Z"
  // Where the signature is verified (PUBLIC_URL/v/ID): inside the signed bytes, so the
  // signature itself binds the document to its verification code.
  std::string contact_info;
  std::size_t contents_bytes = 24 * 1024;  // room reserved for the CMS signature
};

// Signs a PDF with one more signature, appended as an incremental update so every
// earlier signature stays valid: a signature field whose widget is the visible stamp
// (vector QR code and text), a /Sig dictionary (ETSI.CAdES.detached) whose /ByteRange
// covers the whole file except /Contents, filled by `make_cms(bytes_to_sign)`.
// Throws Error(invalid_input) for encrypted, broken or unsuitable PDFs.
std::string sign_pdf(std::string_view pdf, const Stamp& stamp, const SignatureFields& fields,
                     const std::function<std::string(std::string_view signed_bytes)>& make_cms);

// Vector drawing of a QR code for `text` in a PDF content stream: `size` points square
// at (x, y), quiet zone included.
std::string qr_code_drawing(const std::string& text, double x, double y, double size);

}  // namespace lontar::pdf
