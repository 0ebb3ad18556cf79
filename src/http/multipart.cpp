#include "http/multipart.h"

#include <algorithm>
#include <cctype>

namespace lontar::http {

namespace {
std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// The value of `name=` in a header's parameters, quoted or not.
std::optional<std::string> parameter(std::string_view header, std::string_view name) {
  const std::string lowered = lower(header);
  std::size_t at = 0;
  const std::string key = std::string(name) + "=";
  while ((at = lowered.find(key, at)) != std::string::npos) {
    const bool starts_word = at == 0 || lowered[at - 1] == ';' || lowered[at - 1] == ' ';
    at += key.size();
    if (!starts_word) continue;
    if (at < header.size() && header[at] == '"') {
      const auto end = header.find('"', at + 1);
      if (end == std::string_view::npos) return std::nullopt;
      return std::string(header.substr(at + 1, end - at - 1));
    }
    const auto end = header.find(';', at);
    std::string value(header.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at));
    while (!value.empty() && value.back() == ' ') value.pop_back();
    return value;
  }
  return std::nullopt;
}
}  // namespace

std::optional<std::map<std::string, FormPart>> parse_multipart(std::string_view content_type, std::string_view body,
                                                               std::size_t max_parts) {
  if (!lower(content_type).starts_with("multipart/form-data")) return std::nullopt;
  const auto boundary = parameter(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 70) return std::nullopt;
  const std::string delimiter = "--" + *boundary;
  std::map<std::string, FormPart> parts;
  auto at = body.find(delimiter);
  if (at == std::string_view::npos) return std::nullopt;
  at += delimiter.size();
  while (true) {
    if (body.substr(at, 2) == "--") return parts;  // closing delimiter
    if (body.substr(at, 2) != "\r\n") return std::nullopt;
    at += 2;
    const auto headers_end = body.find("\r\n\r\n", at);
    if (headers_end == std::string_view::npos) return std::nullopt;
    const auto headers = body.substr(at, headers_end - at);
    const auto data_start = headers_end + 4;
    const auto next = body.find("\r\n" + delimiter, data_start);
    if (next == std::string_view::npos) return std::nullopt;

    FormPart part;
    std::optional<std::string> name;
    std::size_t line_start = 0;
    while (line_start <= headers.size()) {
      auto line_end = headers.find("\r\n", line_start);
      if (line_end == std::string_view::npos) line_end = headers.size();
      const auto line = headers.substr(line_start, line_end - line_start);
      const auto colon = line.find(':');
      if (colon != std::string_view::npos) {
        const auto field = lower(line.substr(0, colon));
        auto value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        if (field == "content-disposition") {
          if (!lower(value).starts_with("form-data")) return std::nullopt;
          name = parameter(value, "name");
          part.filename = parameter(value, "filename").value_or("");
        } else if (field == "content-type") {
          part.content_type = std::string(value);
        }
      }
      line_start = line_end + 2;
    }
    if (!name || name->empty()) return std::nullopt;
    part.data = std::string(body.substr(data_start, next - data_start));
    if (parts.size() >= max_parts || !parts.emplace(*name, std::move(part)).second) return std::nullopt;
    at = next + 2 + delimiter.size();
  }
}

}  // namespace lontar::http
