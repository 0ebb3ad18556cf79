#include "http/forms.h"

#include <gtest/gtest.h>

#include "support/expect_error.h"

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

// A query or form is decoded before anything reads it: bytes that are not text never
// reach a page, a domain rule or a database (where PostgreSQL would refuse them with an
// error of its own and SQLite would keep them).
TEST(Forms, RefusesValuesAndNamesThatAreNotText) {
  for (const char* body : {"q=%FF", "q=ayu%00", "q=%C0%AF", "q=%ED%A0%80", "q=%F4%90%80%80", "q=Jos%C3", "%FF=1",
                           "nik=1&q=ok&title=%E2%82"}) {
    testing::expect_error([&] { parse_form(body); }, ErrorKind::invalid_input, "bad_text");
  }
  EXPECT_EQ(parse_form("q=Jos%C3%A9").at("q"), "Jos\xC3\xA9");
  EXPECT_EQ(parse_form("q=%F0%9F%98%80").at("q"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(parse_form("q=100%").at("q"), "100%") << "a malformed escape stays text";
}

TEST(Forms, ParsesCookies) {
  const auto cookies = parse_cookies("lang=en; lontar_session=abc ;lontar_session=evil; broken");
  EXPECT_EQ(cookies.at("lang"), "en");
  EXPECT_EQ(cookies.at("lontar_session"), "abc");
  EXPECT_FALSE(cookies.contains("broken"));
}

}  // namespace
}  // namespace lontar::http
