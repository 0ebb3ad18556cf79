#include "core/utf8.h"

#include <gtest/gtest.h>

#include "support/expect_error.h"

#include <string>

namespace lontar {
namespace {

TEST(StorableText, TakesUtf8OfEveryLength) {
  EXPECT_TRUE(is_storable_text(""));
  EXPECT_TRUE(is_storable_text("Ni Luh Putu Ayu"));
  EXPECT_TRUE(is_storable_text("Jos\xC3\xA9"));                   // é, two bytes
  EXPECT_TRUE(is_storable_text("\xE0\xA4\x85 \xEA\xA6\xA7"));     // Devanagari, Balinese script
  EXPECT_TRUE(is_storable_text("\xF0\x9F\x98\x80"));              // an emoji, four bytes
  EXPECT_TRUE(is_storable_text("\xF4\x8F\xBF\xBF"));              // U+10FFFF, the last one
  EXPECT_TRUE(is_storable_text("\xED\x9F\xBF"));                  // U+D7FF, just below the surrogates
}

TEST(StorableText, RefusesWhatADatabaseCannotHold) {
  EXPECT_FALSE(is_storable_text(std::string("a\0b", 3)));         // NUL
  EXPECT_FALSE(is_storable_text("\xFF"));
  EXPECT_FALSE(is_storable_text("\x80"));                         // a continuation byte alone
  EXPECT_FALSE(is_storable_text("Jos\xC3"));                      // cut short
  EXPECT_FALSE(is_storable_text("\xE0\xA4"));
  EXPECT_FALSE(is_storable_text("\xC0\xAF"));                     // overlong '/'
  EXPECT_FALSE(is_storable_text("\xC1\xBF"));
  EXPECT_FALSE(is_storable_text("\xE0\x80\xAF"));                 // overlong, three bytes
  EXPECT_FALSE(is_storable_text("\xF0\x80\x80\xAF"));             // overlong, four bytes
  EXPECT_FALSE(is_storable_text("\xED\xA0\x80"));                 // a surrogate
  EXPECT_FALSE(is_storable_text("\xF4\x90\x80\x80"));             // above U+10FFFF
  EXPECT_FALSE(is_storable_text("\xF5\x80\x80\x80"));
  EXPECT_FALSE(is_storable_text("\xE2\x82\x41"));                 // a third byte that is not a continuation
  EXPECT_FALSE(is_storable_text("\xF0\x9F\x98\x41"));
}

TEST(StorableText, RefusalIsOneInvalidInputWithAReason) {
  EXPECT_NO_THROW(require_storable_text("Ni Luh Putu Ayu"));
  const auto message =
      testing::expect_error([] { require_storable_text("ayu\xFF"); }, ErrorKind::invalid_input, "bad_text");
  EXPECT_NE(message.find("invalid UTF-8 or a NUL byte"), std::string::npos) << message;
  testing::expect_error([] { require_storable_text(std::string("a\0b", 3)); }, ErrorKind::invalid_input, "bad_text");
}

}  // namespace
}  // namespace lontar
