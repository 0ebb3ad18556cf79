#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lontar::crypto::der {

// A minimal DER writer (X.690) for structures too large to build as OpenSSL objects:
// a CRL with a million entries is written straight into one buffer.
enum Tag : std::uint8_t {
  kBoolean = 0x01,
  kInteger = 0x02,
  kBitString = 0x03,
  kOctetString = 0x04,
  kOid = 0x06,
  kEnumerated = 0x0a,
  kUtcTime = 0x17,
  kGeneralizedTime = 0x18,
  kSequence = 0x30,
  kContext0 = 0xa0,  // [0] constructed
  kContext0Primitive = 0x80,
};

std::string header(std::uint8_t tag, std::size_t content_length);
std::string tlv(std::uint8_t tag, std::string_view content);
void append_tlv(std::string& out, std::uint8_t tag, std::string_view content);
std::size_t tlv_size(std::size_t content_length);

// A non-negative INTEGER from big-endian hex ("4A0B…"), with the leading zero octet
// DER needs when the high bit is set.
std::string integer_from_hex(std::string_view hex);
std::string integer(std::int64_t value);
// RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050, always Zulu.
std::string time(std::int64_t unix_seconds);
std::string generalized_time(std::int64_t unix_seconds);

}  // namespace lontar::crypto::der
