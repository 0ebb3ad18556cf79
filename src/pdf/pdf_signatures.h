#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

// The signature fields of a PDF, read with qpdf; nothing in the file is run.
// Throws Error(invalid_input) for an encrypted, damaged or oversized file.
std::vector<EmbeddedSignature> find_signatures(std::string_view pdf);

// Whether everything after the first `signed_size` bytes only adds long-term
// validation data: every object of the signed revision unchanged, the catalog changed
// only in /DSS. Such an update (PAdES B-LT) leaves the signed document as it was.
bool only_validation_data_added(std::string_view pdf, std::int64_t signed_size);

}  // namespace lontar::pdf
