#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lontar {

std::string to_hex(std::span<const std::uint8_t> bytes);
std::optional<std::vector<std::uint8_t>> from_hex(std::string_view hex);
std::string to_base64(std::span<const std::uint8_t> bytes);
// RFC 3986 percent-encoding for a query value: unreserved characters kept, every other byte as %XX.
std::string percent_encode(std::string_view text);
std::optional<std::vector<std::uint8_t>> from_base64(std::string_view text);

// Equal length and contents, compared in constant time (tokens, CSRF values).
bool constant_time_equal(std::string_view a, std::string_view b);

// SHA-256 of `data`, lower-case hex.
std::string sha256_hex(std::string_view data);

inline std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// The value of one attribute ("CN", "OU") in an RFC 2253 subject, or empty.
std::string subject_attribute(const std::string& subject, const std::string& type);

}  // namespace lontar
