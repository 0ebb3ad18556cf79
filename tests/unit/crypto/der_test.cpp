#include "crypto/der.h"

#include <gtest/gtest.h>
#include <openssl/asn1.h>

#include "crypto/ossl_ptr.h"

namespace lontar::crypto {
namespace {

// The value OpenSSL's own DER reader sees in an INTEGER we wrote.
long openssl_integer(const std::string& der) {
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  OsslPtr<ASN1_STRING> parsed(d2i_ASN1_INTEGER(nullptr, &cursor, static_cast<long>(der.size())));
  EXPECT_TRUE(parsed);
  EXPECT_EQ(cursor, reinterpret_cast<const unsigned char*>(der.data() + der.size()));
  return parsed ? ASN1_INTEGER_get(parsed.get()) : -1;
}

TEST(Der, LengthsUseTheShortFormUpTo127AndTheShortestLongFormAfter) {
  EXPECT_EQ(der::header(der::kSequence, 0), std::string("\x30\x00", 2));
  EXPECT_EQ(der::header(der::kSequence, 127), "\x30\x7f");
  EXPECT_EQ(der::header(der::kSequence, 128), "\x30\x81\x80");
  EXPECT_EQ(der::header(der::kSequence, 256), std::string("\x30\x82\x01\x00", 4));
  EXPECT_EQ(der::header(der::kSequence, 70000), std::string("\x30\x83\x01\x11\x70", 5));
  for (const std::size_t length : {0u, 127u, 128u, 255u, 256u, 65535u, 65536u})
    EXPECT_EQ(der::tlv_size(length), der::header(der::kOctetString, length).size() + length) << length;
}

TEST(Der, IntegersAreMinimalAndPositiveAsOpensslReadsThem) {
  for (const std::int64_t value : {0LL, 1LL, 127LL, 128LL, 255LL, 256LL, 32767LL, 32768LL, 2147483647LL})
    EXPECT_EQ(openssl_integer(der::integer(value)), value) << value;
  EXPECT_EQ(der::integer(128), std::string("\x02\x02\x00\x80", 4));  // the high bit needs a zero octet
  EXPECT_EQ(der::integer_from_hex("80"), std::string("\x02\x02\x00\x80", 4));
  EXPECT_EQ(der::integer_from_hex("7F"), "\x02\x01\x7f");
  EXPECT_EQ(openssl_integer(der::integer_from_hex("0A0B")), 0x0A0B);
}

TEST(Der, TimesSwitchFromUtcTimeToGeneralizedTimeIn2050) {
  const std::int64_t end_of_2049 = 2524607999;  // 2049-12-31 23:59:59 UTC
  EXPECT_EQ(der::time(end_of_2049), "\x17\x0d" "491231235959Z");
  EXPECT_EQ(der::time(end_of_2049 + 1), "\x18\x0f" "20500101000000Z");
  EXPECT_EQ(der::generalized_time(0), "\x18\x0f" "19700101000000Z");
  // OpenSSL reads both back as the same instant.
  for (const std::int64_t when : {end_of_2049, end_of_2049 + 1}) {
    const auto der = der::time(when);
    const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
    OsslPtr<ASN1_STRING> parsed(d2i_ASN1_TIME(nullptr, &cursor, static_cast<long>(der.size())));
    ASSERT_TRUE(parsed);
    OsslPtr<ASN1_STRING> expected(ASN1_TIME_set(nullptr, static_cast<time_t>(when)));
    EXPECT_EQ(ASN1_TIME_compare(parsed.get(), expected.get()), 0) << when;
  }
}

}  // namespace
}  // namespace lontar::crypto
