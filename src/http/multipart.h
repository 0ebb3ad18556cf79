#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace lontar::http {

struct FormPart {
  std::string filename;      // empty for plain fields
  std::string content_type;  // as the client claimed; never trusted
  std::string data;
};

// multipart/form-data (RFC 7578) as browsers send it. Returns nullopt when the body is
// not well-formed multipart for the boundary in `content_type`, has more than
// `max_parts` parts, or repeats a field name.
std::optional<std::map<std::string, FormPart>> parse_multipart(std::string_view content_type, std::string_view body,
                                                               std::size_t max_parts = 32);

}  // namespace lontar::http
