#include "crypto/der.h"

#include <ctime>

#include "core/error.h"

namespace lontar::crypto::der {

std::string header(std::uint8_t tag, std::size_t length) {
  std::string out(1, static_cast<char>(tag));
  if (length < 0x80) {
    out += static_cast<char>(length);
    return out;
  }
  std::string bytes;
  for (auto n = length; n > 0; n >>= 8) bytes.insert(bytes.begin(), static_cast<char>(n & 0xff));
  out += static_cast<char>(0x80 | bytes.size());
  return out + bytes;
}

std::size_t tlv_size(std::size_t length) {
  std::size_t size = 2 + length;  // tag and the first length octet
  if (length >= 0x80)
    for (auto n = length; n > 0; n >>= 8) ++size;  // long form: one octet per byte of length
  return size;
}

std::string tlv(std::uint8_t tag, std::string_view content) { return header(tag, content.size()).append(content); }

void append_tlv(std::string& out, std::uint8_t tag, std::string_view content) {
  out += header(tag, content.size());
  out += content;
}

std::string integer_from_hex(std::string_view hex) {
  while (hex.size() > 1 && hex.front() == '0') hex.remove_prefix(1);
  const auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string bytes;
  std::size_t i = 0;
  if (hex.size() % 2 == 1) {
    bytes += static_cast<char>(nibble(hex[0]));
    i = 1;
  }
  for (; i + 1 < hex.size(); i += 2) {
    const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) throw Error(ErrorKind::internal, "bad_serial", "a serial number is not hex");
    bytes += static_cast<char>(hi << 4 | lo);
  }
  if (bytes.empty()) bytes = std::string(1, '\0');
  if (static_cast<unsigned char>(bytes[0]) & 0x80) bytes.insert(bytes.begin(), '\0');
  return tlv(kInteger, bytes);
}

std::string integer(std::int64_t value) {
  std::string bytes;
  auto v = static_cast<std::uint64_t>(value);
  do {
    bytes.insert(bytes.begin(), static_cast<char>(v & 0xff));
    v >>= 8;
  } while (v != 0);
  if (static_cast<unsigned char>(bytes[0]) & 0x80) bytes.insert(bytes.begin(), '\0');
  return tlv(kInteger, bytes);
}

namespace {
std::tm utc(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm parts{};
  gmtime_r(&t, &parts);
  return parts;
}
}  // namespace

std::string generalized_time(std::int64_t unix_seconds) {
  const auto parts = utc(unix_seconds);
  char text[20];
  std::strftime(text, sizeof text, "%Y%m%d%H%M%SZ", &parts);
  return tlv(kGeneralizedTime, text);
}

std::string time(std::int64_t unix_seconds) {
  const auto parts = utc(unix_seconds);
  if (parts.tm_year + 1900 >= 2050 || parts.tm_year + 1900 < 1950) return generalized_time(unix_seconds);
  char text[16];
  std::strftime(text, sizeof text, "%y%m%d%H%M%SZ", &parts);
  return tlv(kUtcTime, text);
}

}  // namespace lontar::crypto::der
