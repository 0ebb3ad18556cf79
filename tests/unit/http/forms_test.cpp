#include "http/forms.h"

#include <gtest/gtest.h>

namespace lontar::http {
namespace {

TEST(Forms, DecodesUrlEncoding) {
  EXPECT_EQ(url_decode("a+b%20c%2Bd"), "a b c+d");
  EXPECT_EQ(url_decode("100%"), "100%");
  EXPECT_EQ(url_decode("%zz%4"), "%zz%4");
}

TEST(Forms, ParsesFieldsFirstValueWins) {
  const auto form = parse_form("nik=5108010101900001&password=a%26b%3Dc&nik=evil&empty=&flag");
  EXPECT_EQ(form.at("nik"), "5108010101900001");
  EXPECT_EQ(form.at("password"), "a&b=c");
  EXPECT_EQ(form.at("empty"), "");
  EXPECT_EQ(form.at("flag"), "");
  EXPECT_TRUE(parse_form("").empty());
}

TEST(Forms, ParsesCookies) {
  const auto cookies = parse_cookies("lang=en; lontar_session=abc ;lontar_session=evil; broken");
  EXPECT_EQ(cookies.at("lang"), "en");
  EXPECT_EQ(cookies.at("lontar_session"), "abc");
  EXPECT_FALSE(cookies.contains("broken"));
}

}  // namespace
}  // namespace lontar::http
