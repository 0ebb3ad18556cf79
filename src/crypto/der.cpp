#include "crypto/der.h"


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
  // Tag, length, a possible zero octet for the sign, then the value: built in place
  // because a CRL writes a million of these.
  const std::size_t value_length = (hex.size() + 1) / 2;
  std::string out(3 + value_length, '\0');
  std::size_t at = 3;
  std::size_t i = 0;
  if (hex.size() % 2 == 1) {
    const int lo = nibble(hex[0]);
    if (lo < 0) throw Error(ErrorKind::internal, "bad_serial", "a serial number is not hex");
    out[at++] = static_cast<char>(lo);
    i = 1;
  }
  for (; i + 1 < hex.size(); i += 2) {
    const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) throw Error(ErrorKind::internal, "bad_serial", "a serial number is not hex");
    out[at++] = static_cast<char>(hi << 4 | lo);
  }
  const bool needs_sign_octet = value_length == 0 || (static_cast<unsigned char>(out[3]) & 0x80);
  const std::size_t length = value_length + (needs_sign_octet ? 1 : 0);
  if (length > 127) throw Error(ErrorKind::internal, "bad_serial", "a serial number is too long");
  std::size_t begin = needs_sign_octet ? 0 : 1;  // out[2] is the sign octet slot
  out[begin] = static_cast<char>(kInteger);
  out[begin + 1] = static_cast<char>(length);
  return out.substr(begin);
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
struct CivilTime {
  long long year;
  unsigned month, day, hour, minute, second;
};

// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days);
// gmtime_r and strftime cost more than the rest of a CRL entry together.
CivilTime civil(std::int64_t unix_seconds) {
  long long days = unix_seconds / 86400;
  long long rest = unix_seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  days += 719468;
  const long long era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const long long y = static_cast<long long>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
  return {y, m, d, static_cast<unsigned>(rest / 3600), static_cast<unsigned>(rest % 3600 / 60),
          static_cast<unsigned>(rest % 60)};
}

void two_digits(std::string& out, unsigned value) {
  out += static_cast<char>('0' + value / 10 % 10);
  out += static_cast<char>('0' + value % 10);
}

std::string encode_time(std::uint8_t tag, const CivilTime& t, bool four_digit_year) {
  std::string out;
  out.reserve(17);
  out += static_cast<char>(tag);
  out += static_cast<char>(four_digit_year ? 15 : 13);
  if (four_digit_year) two_digits(out, static_cast<unsigned>(t.year / 100));
  two_digits(out, static_cast<unsigned>(t.year % 100));
  two_digits(out, t.month);
  two_digits(out, t.day);
  two_digits(out, t.hour);
  two_digits(out, t.minute);
  two_digits(out, t.second);
  out += 'Z';
  return out;
}
}  // namespace

std::string generalized_time(std::int64_t unix_seconds) {
  const auto t = civil(unix_seconds);
  if (t.year < 0 || t.year > 9999) throw Error(ErrorKind::internal, "bad_time", "a time is out of range");
  return encode_time(kGeneralizedTime, t, true);
}

std::string time(std::int64_t unix_seconds) {
  const auto t = civil(unix_seconds);
  if (t.year >= 2050 || t.year < 1950) return generalized_time(unix_seconds);
  return encode_time(kUtcTime, t, false);
}

}  // namespace lontar::crypto::der
